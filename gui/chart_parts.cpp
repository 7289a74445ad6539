// chart_parts.cpp - the shared building blocks of the charts (Qt Charts).
#include "gui/chart_parts.hpp"

#include <algorithm>
#include <cmath>

#include <QAreaSeries>
#include <QCategoryAxis>
#include <QFont>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLocale>
#include <QPen>

#include "gui/human_units.hpp"

namespace mxsim::gui {
namespace {

constexpr int kNoteKey = 0;  // QGraphicsItem::data() key marking the note
const QString kNoteTag = "mxsim-note";

}  // namespace

QChart* new_chart(const QString& title) {
    auto* chart = new QChart;
    chart->setTitle(title);
    chart->legend()->setVisible(true);
    chart->legend()->setAlignment(Qt::AlignBottom);
    // Axis labels through QLocale: thousands separators ("12,500").
    chart->setLocale(QLocale(QLocale::English, QLocale::UnitedStates));
    chart->setLocalizeNumbers(true);
    chart->setAnimationOptions(QChart::NoAnimation);
    return chart;
}

QValueAxis* count_axis(const QString& title, double max) {
    auto* axis = new QValueAxis;
    axis->setTitleText(title);
    axis->setRange(0, max > 0 ? max * 1.05 : 1);
    axis->applyNiceNumbers();
    // Whole counts, but decimals when the whole axis spans less than ten: enough
    // for its ticks to differ (0.003, 0.006, ... for a queue that is mostly empty).
    const double top = axis->max();
    const int decimals =
        top >= 10 ? 0 : std::min(6, static_cast<int>(std::ceil(-std::log10(top))) + 1);
    axis->setLabelFormat(QString("%.%1f").arg(decimals));
    return axis;
}

void add_band_area(QChart* chart, const Band& b, const QBrush& brush, QAbstractAxis* x,
                   QAbstractAxis* y, double x_scale, double y_scale) {
    if (b.high == b.low) return;
    auto* upper = new QLineSeries;
    auto* lower = new QLineSeries;
    for (std::size_t i = 0; i < b.x.size(); ++i) {
        upper->append(b.x[i] / x_scale, b.high[i] / y_scale);
        lower->append(b.x[i] / x_scale, b.low[i] / y_scale);
    }
    auto* area = new QAreaSeries(upper, lower);
    upper->setParent(area);  // an area series does not own its boundary lines
    lower->setParent(area);
    area->setName(QString::fromStdString(b.name) + " 95% CI");
    area->setBrush(brush);
    area->setPen(Qt::NoPen);
    chart->addSeries(area);
    area->attachAxis(x);
    area->attachAxis(y);
    for (QLegendMarker* m : chart->legend()->markers(area))
        m->setVisible(false);
}

QAbstractAxis* sweep_axis(const std::vector<std::string>& labels, bool numeric,
                          const std::vector<double>& xs, const QString& title) {
    auto* axis = new QCategoryAxis;
    if (numeric) {
        // A label at each swept value (50, 100, 200, 400), not at round steps.
        axis->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
        for (const double x : xs)
            axis->append(format_count(x), x);
        const double lo = xs.empty() ? 0 : xs.front(), hi = xs.empty() ? 1 : xs.back();
        axis->setStartValue(lo);
        axis->setRange(lo, hi > lo ? hi : lo + 1);
    } else {
        for (std::size_t i = 0; i < labels.size(); ++i)
            axis->append(QString::fromStdString(labels[i]), static_cast<double>(i) + 0.5);
        axis->setRange(0, std::max(1.0, static_cast<double>(labels.size()) - 1));
    }
    axis->setTitleText(title);
    return axis;
}

void add_note(QChart* chart, const QString& text) {
    auto* note = new QGraphicsSimpleTextItem(text, chart);
    note->setData(kNoteKey, kNoteTag);
    QFont font = note->font();
    font.setPointSizeF(font.pointSizeF() * 1.5);
    note->setFont(font);
    note->setBrush(QColor(0x55, 0x55, 0x55));
    note->setZValue(100);  // above the series and the grid
    const auto centre = [chart, note] {
        const QRectF area = chart->plotArea().isEmpty() ? chart->rect() : chart->plotArea();
        note->setPos(area.center() - note->boundingRect().center());
    };
    QObject::connect(chart, &QChart::plotAreaChanged, chart, centre);
    QObject::connect(chart, &QGraphicsWidget::geometryChanged, chart, centre);
    centre();
}

const QGraphicsSimpleTextItem* find_note(const QChart& chart) {
    for (const QGraphicsItem* item : chart.childItems())
        if (item->data(kNoteKey) == kNoteTag)
            return qgraphicsitem_cast<const QGraphicsSimpleTextItem*>(item);
    return nullptr;
}

std::size_t nearest(const std::vector<double>& xs, double x) {
    std::size_t best = 0;
    for (std::size_t i = 1; i < xs.size(); ++i)
        if (std::abs(xs[i] - x) < std::abs(xs[best] - x)) best = i;
    return best;
}

QString with_interval(const Band& b, std::size_t i, double scale) {
    QString text = format_count(b.mean[i] / scale);
    if (b.high[i] > b.low[i])
        text += " (95% CI " + format_count(b.low[i] / scale) + " to " +
                format_count(b.high[i] / scale) + ")";
    return text;
}

}  // namespace mxsim::gui
