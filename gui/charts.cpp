// charts.cpp - the Qt Charts side of the views: series, axes, tooltips.
#include "gui/charts.hpp"

#include <algorithm>
#include <cmath>

#include <QAreaSeries>
#include <QBarCategoryAxis>
#include <QBarSet>
#include <QCategoryAxis>
#include <QCursor>
#include <QHorizontalBarSeries>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLocale>
#include <QStackedBarSeries>
#include <QToolTip>
#include <QValueAxis>

#include "gui/human_units.hpp"

namespace mxsim::gui {
namespace {

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

std::size_t nearest(const std::vector<double>& xs, double x) {
    std::size_t best = 0;
    for (std::size_t i = 1; i < xs.size(); ++i)
        if (std::abs(xs[i] - x) < std::abs(xs[best] - x)) best = i;
    return best;
}

QString with_interval(const Band& b, std::size_t i) {
    QString text = format_count(b.mean[i]);
    if (b.high[i] > b.low[i])
        text += " (95% CI " + format_count(b.low[i]) + " to " + format_count(b.high[i]) + ")";
    return text;
}

}  // namespace

QColor variant_colour(std::size_t index) {
    static const QColor palette[] = {QColor(0x1f, 0x77, 0xb4), QColor(0xd6, 0x27, 0x28),
                                     QColor(0x2c, 0xa0, 0x2c), QColor(0xff, 0x7f, 0x0e),
                                     QColor(0x94, 0x67, 0xbd), QColor(0x8c, 0x56, 0x4b),
                                     QColor(0xe3, 0x77, 0xc2), QColor(0x7f, 0x7f, 0x7f)};
    return palette[index % std::size(palette)];
}

QChart* make_time_chart(const QString& title, const std::vector<Band>& bands,
                        const QString& value_name, bool draw_bands) {
    QChart* chart = new_chart(title);
    double span = 0, top = 0;
    for (const Band& b : bands) {
        if (!b.x.empty()) span = std::max(span, b.x.back() + (b.x.size() > 1 ? b.x[1] : 0));
        for (const double h : draw_bands ? b.high : b.mean)
            top = std::max(top, h);
    }
    const TimeUnit unit = time_unit_for(span);
    auto* x_axis = new QValueAxis;
    x_axis->setTitleText("time since the start (" + unit.name + ")");
    const double units = span > 0 ? span / unit.seconds : 1;
    x_axis->setRange(0, units);
    x_axis->setLabelFormat(units >= 4 ? "%.0f" : "%.1f");
    auto* y_axis = count_axis(value_name, top);
    chart->addAxis(x_axis, Qt::AlignBottom);
    chart->addAxis(y_axis, Qt::AlignLeft);
    for (std::size_t v = 0; v < bands.size(); ++v) {
        const Band& b = bands[v];
        const QColor colour = variant_colour(v);
        if (draw_bands && b.high != b.low) {
            auto* upper = new QLineSeries;
            auto* lower = new QLineSeries;
            for (std::size_t i = 0; i < b.x.size(); ++i) {
                upper->append(b.x[i] / unit.seconds, b.high[i]);
                lower->append(b.x[i] / unit.seconds, b.low[i]);
            }
            auto* area = new QAreaSeries(upper, lower);
            upper->setParent(area);  // an area series does not own its boundary lines
            lower->setParent(area);
            area->setName(QString::fromStdString(b.name) + " 95% CI");
            QColor fill = colour;
            fill.setAlpha(50);
            area->setBrush(fill);
            area->setPen(Qt::NoPen);
            chart->addSeries(area);
            area->attachAxis(x_axis);
            area->attachAxis(y_axis);
            for (QLegendMarker* m : chart->legend()->markers(area))
                m->setVisible(false);
        }
        auto* line = new QLineSeries;
        line->setName(QString::fromStdString(b.name));
        line->setPen(QPen(colour, 2));
        for (std::size_t i = 0; i < b.x.size(); ++i)
            line->append(b.x[i] / unit.seconds, b.mean[i]);
        chart->addSeries(line);
        line->attachAxis(x_axis);
        line->attachAxis(y_axis);
        QObject::connect(
            line, &QLineSeries::hovered, line, [b, unit, value_name](const QPointF& p, bool on) {
                if (!on || b.x.empty()) return QToolTip::hideText();
                const std::size_t i = nearest(b.x, p.x() * unit.seconds);
                QToolTip::showText(QCursor::pos(), QString::fromStdString(b.name) + ", bin from " +
                                                       format_time(b.x[i], unit) + ": " +
                                                       with_interval(b, i) + " " + value_name);
            });
    }
    return chart;
}

QChart* make_fates_chart(const QString& title, const StackedBars& bars) {
    QChart* chart = new_chart(title);
    auto* series = new QStackedBarSeries;
    double top = 0;
    std::vector<double> totals(bars.categories.size(), 0.0);
    for (const auto& [fate, values] : bars.sets) {
        auto* set = new QBarSet(QString::fromStdString(fate));
        for (std::size_t c = 0; c < values.size(); ++c) {
            set->append(values[c]);
            totals[c] += values[c];
        }
        series->append(set);
    }
    for (const double t : totals)
        top = std::max(top, t);
    chart->addSeries(series);
    auto* x_axis = new QBarCategoryAxis;
    for (const std::string& c : bars.categories)
        x_axis->append(QString::fromStdString(c));
    x_axis->setTitleText("variant");
    auto* y_axis = count_axis("messages (mean per replication)", top);
    chart->addAxis(x_axis, Qt::AlignBottom);
    chart->addAxis(y_axis, Qt::AlignLeft);
    series->attachAxis(x_axis);
    series->attachAxis(y_axis);
    const std::vector<std::string> categories = bars.categories;
    QObject::connect(
        series, &QStackedBarSeries::hovered, series,
        [categories](bool on, int index, QBarSet* set) {
            if (!on) return QToolTip::hideText();
            QToolTip::showText(
                QCursor::pos(),
                QString::fromStdString(categories.at(static_cast<std::size_t>(index))) + ": " +
                    format_count(set->at(index)) + " " + set->label());
        });
    return chart;
}

QChart* make_victims_chart(const QString& title, const VictimBars& victims) {
    if (victims.addresses.empty()) return make_empty_chart(title, "no backscatter reached anyone");
    QChart* chart = new_chart(title);
    auto* series = new QHorizontalBarSeries;
    double top = 0;
    // Categories run bottom to top, so the most hit address goes last.
    QStringList names;
    for (auto it = victims.addresses.rbegin(); it != victims.addresses.rend(); ++it)
        names << QString::fromStdString(*it);
    for (std::size_t v = 0; v < victims.variants.size(); ++v) {
        const auto& [variant, values] = victims.variants[v];
        auto* set = new QBarSet(QString::fromStdString(variant));
        set->setColor(variant_colour(v));
        for (auto it = values.rbegin(); it != values.rend(); ++it) {
            set->append(*it);
            top = std::max(top, *it);
        }
        series->append(set);
    }
    chart->addSeries(series);
    auto* y_axis = new QBarCategoryAxis;
    y_axis->append(names);
    auto* x_axis = count_axis("NDRs and delay notices received (mean per replication)", top);
    chart->addAxis(x_axis, Qt::AlignBottom);
    chart->addAxis(y_axis, Qt::AlignLeft);
    series->attachAxis(x_axis);
    series->attachAxis(y_axis);
    QObject::connect(series, &QHorizontalBarSeries::hovered, series,
                     [names](bool on, int index, QBarSet* s) {
                         if (!on) return QToolTip::hideText();
                         QToolTip::showText(QCursor::pos(), names.at(index) + ", " + s->label() +
                                                                ": " + format_count(s->at(index)) +
                                                                " backscatter messages");
                     });
    return chart;
}

QChart* make_sweep_chart(const QString& title, const SweepCurves& curves,
                         const QString& sweep_name) {
    if (curves.labels.size() < 2)
        return make_empty_chart(title, "this scenario has no sweep: add one to see this chart");
    QChart* chart = new_chart(title);
    double left_top = 0, right_top = 0, x_min = 0, x_max = 1;
    for (const Band& b : curves.absorbed)
        for (const double h : b.high)
            left_top = std::max(left_top, h);
    for (const Band& b : curves.lost)
        for (const double h : b.high)
            right_top = std::max(right_top, h);
    if (!curves.absorbed.empty() && !curves.absorbed.front().x.empty()) {
        x_min = curves.absorbed.front().x.front();
        x_max = curves.absorbed.front().x.back();
    }
    QAbstractAxis* x_axis = nullptr;
    if (curves.numeric) {
        // A label at each swept value (50, 100, 200, 400), not at round steps.
        auto* axis = new QCategoryAxis;
        axis->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
        for (std::size_t i = 0; i < curves.labels.size(); ++i)
            axis->append(format_count(curves.absorbed.front().x[i]), curves.absorbed.front().x[i]);
        axis->setStartValue(x_min);
        axis->setRange(x_min, x_max > x_min ? x_max : x_min + 1);
        x_axis = axis;
    } else {
        auto* axis = new QCategoryAxis;
        for (std::size_t i = 0; i < curves.labels.size(); ++i)
            axis->append(QString::fromStdString(curves.labels[i]), static_cast<double>(i) + 0.5);
        axis->setRange(0, static_cast<double>(curves.labels.size()) - 1);
        x_axis = axis;
    }
    x_axis->setTitleText(sweep_name);
    auto* left = count_axis("backscatter absorbed (NDRs dropped or discarded)", left_top);
    auto* right = count_axis("legitimate mail lost", right_top);
    chart->addAxis(x_axis, Qt::AlignBottom);
    chart->addAxis(left, Qt::AlignLeft);
    chart->addAxis(right, Qt::AlignRight);
    const auto add = [&](const Band& b, std::size_t v, QValueAxis* y, Qt::PenStyle style,
                         const QString& what) {
        auto* line = new QLineSeries;
        line->setName(QString::fromStdString(b.name) + ": " + what);
        line->setPen(QPen(variant_colour(v), 2, style));
        line->setPointsVisible(true);
        for (std::size_t i = 0; i < b.x.size(); ++i)
            line->append(b.x[i], b.mean[i]);
        chart->addSeries(line);
        line->attachAxis(x_axis);
        line->attachAxis(y);
        const std::vector<std::string> labels = curves.labels;
        QObject::connect(line, &QLineSeries::hovered, line,
                         [b, labels, what](const QPointF& p, bool on) {
                             if (!on || b.x.empty()) return QToolTip::hideText();
                             const std::size_t i = nearest(b.x, p.x());
                             QToolTip::showText(QCursor::pos(),
                                                QString::fromStdString(b.name + ", " + labels[i]) +
                                                    ": " + with_interval(b, i) + " " + what);
                         });
    };
    for (std::size_t v = 0; v < curves.absorbed.size(); ++v) {
        add(curves.absorbed[v], v, left, Qt::SolidLine, "backscatter absorbed");
        add(curves.lost[v], v, right, Qt::DashLine, "legitimate mail lost");
    }
    return chart;
}

QChart* make_empty_chart(const QString& title, const QString& why) {
    QChart* chart = new_chart(title + " - " + why);
    chart->legend()->setVisible(false);
    return chart;
}

}  // namespace mxsim::gui
