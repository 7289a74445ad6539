// charts.cpp - the Qt Charts side of the views: series, axes, tooltips.
#include "gui/charts.hpp"

#include <algorithm>
#include <cmath>
#include <functional>

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QCursor>
#include <QHorizontalBarSeries>
#include <QLegend>
#include <QLineSeries>
#include <QStackedBarSeries>
#include <QToolTip>

#include "gui/chart_parts.hpp"
#include "gui/human_units.hpp"
#include "gui/palette.hpp"

namespace mxsim::gui {
namespace {

using Colours = std::function<QColor(std::size_t)>;

QColor translucent(QColor c, int alpha) {
    c.setAlpha(alpha);
    return c;
}

// The smallest round step (one that divides hours, days and minutes well) giving at most
// 8 steps over `span`.
double tick_step(double span) {
    const double raw = span / 8;
    const double power = std::pow(10.0, std::floor(std::log10(raw)));
    for (const double m : {1.0, 1.2, 1.5, 2.0, 2.4, 3.0, 5.0, 6.0})
        if (m * power >= raw - 1e-9) return m * power;
    return 10 * power;
}

QChart* time_chart(const QString& title, const std::vector<Band>& bands, const QString& value_name,
                   bool draw_bands, const Colours& colours) {
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
    // Ticks at round steps from 0 (0, 2, 4, 6 days), not at fifths of the span.
    const double step = tick_step(units);
    x_axis->setTickType(QValueAxis::TicksDynamic);
    x_axis->setTickAnchor(0);
    x_axis->setTickInterval(step);
    x_axis->setLabelFormat(step >= 1 ? "%.0f" : "%.1f");
    auto* y_axis = count_axis(value_name, top);
    chart->addAxis(x_axis, Qt::AlignBottom);
    chart->addAxis(y_axis, Qt::AlignLeft);
    for (const Band& b : bands) {
        const QColor colour = colours(b.colour);
        if (draw_bands)
            add_band_area(chart, b, translucent(colour, 50), x_axis, y_axis, unit.seconds);
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

// A line over the sweep points with its band; `what` names it in the legend and tooltip.
// `labels` and `xs` are every sweep point's (the band may lack some).
void add_sweep_line(QChart* chart, const Band& b, const std::vector<std::string>& labels,
                    const std::vector<double>& xs, QAbstractAxis* x, QAbstractAxis* y,
                    Qt::PenStyle style, const QString& what, double y_scale = 1,
                    const QString& unit = {}) {
    const QColor colour = variant_colour(b.colour);
    // Dashed lines get a hatched band, so two overlapping bands stay apart.
    add_band_area(chart, b,
                  style == Qt::SolidLine ? QBrush(translucent(colour, 50))
                                         : QBrush(translucent(colour, 110), Qt::BDiagPattern),
                  x, y, 1, y_scale);
    auto* line = new QLineSeries;
    line->setName(QString::fromStdString(b.name) + ": " + what);
    line->setPen(QPen(colour, 2, style));
    line->setPointsVisible(true);
    for (std::size_t i = 0; i < b.x.size(); ++i)
        line->append(b.x[i], b.mean[i] / y_scale);
    chart->addSeries(line);
    line->attachAxis(x);
    line->attachAxis(y);
    QObject::connect(
        line, &QLineSeries::hovered, line,
        [b, labels, xs, what, y_scale, unit](const QPointF& p, bool on) {
            if (!on || b.x.empty()) return QToolTip::hideText();
            const std::size_t i = nearest(b.x, p.x());
            const std::size_t point = nearest(xs, b.x[i]);
            const std::string at = point < labels.size() ? labels[point] : std::string();
            QToolTip::showText(QCursor::pos(), QString::fromStdString(b.name + ", " + at) + ": " +
                                                   with_interval(b, i, y_scale) + " " + unit +
                                                   (unit.isEmpty() ? "" : " ") + what);
        });
}

double highest(const std::vector<Band>& bands) {
    double top = 0;
    for (const Band& b : bands)
        for (const double h : b.high)
            top = std::max(top, h);
    return top;
}

// Seconds below two minutes, else the unit of time_unit_for().
TimeUnit delay_unit(double max_seconds) {
    if (max_seconds < 120) return {"seconds", "s", 1.0};
    return time_unit_for(max_seconds);
}

QChart* delay_bars(QChart* chart, const DelayCurves& curves, const TimeUnit& unit) {
    auto* series = new QBarSeries;
    const QStringList categories{"median (p50)", "95th percentile (p95)"};
    for (std::size_t v = 0; v < curves.p50.size(); ++v) {
        const Band& p50 = curves.p50[v];
        const Band& p95 = curves.p95[v];
        if (p50.mean.empty() || p95.mean.empty()) continue;  // no legitimate mail
        auto* set = new QBarSet(QString::fromStdString(p50.name));
        set->setColor(variant_colour(p50.colour));
        set->append(p50.mean[0] / unit.seconds);
        set->append(p95.mean[0] / unit.seconds);
        series->append(set);
        QObject::connect(set, &QBarSet::hovered, set, [p50, p95, unit, categories](bool on, int i) {
            if (!on) return QToolTip::hideText();
            const Band& b = i == 0 ? p50 : p95;
            QToolTip::showText(QCursor::pos(),
                               QString::fromStdString(b.name) + ", " + categories.at(i) + ": " +
                                   with_interval(b, 0, unit.seconds) + " " + unit.short_);
        });
    }
    chart->addSeries(series);
    auto* x_axis = new QBarCategoryAxis;
    x_axis->append(categories);
    auto* y_axis = count_axis("delay (" + unit.name + ")", highest(curves.p95) / unit.seconds);
    chart->addAxis(x_axis, Qt::AlignBottom);
    chart->addAxis(y_axis, Qt::AlignLeft);
    series->attachAxis(x_axis);
    series->attachAxis(y_axis);
    return chart;
}

}  // namespace

QChart* make_time_chart(const QString& title, const std::vector<Band>& bands,
                        const QString& value_name, bool draw_bands, const QString& when_empty) {
    QChart* chart = time_chart(title, bands, value_name, draw_bands, variant_colour);
    if (!when_empty.isEmpty() && all_zero(bands)) add_note(chart, when_empty);
    return chart;
}

QChart* make_queue_chart(const QString& title, const MtaQueues& queues) {
    if (queues.shown.empty()) return make_empty_chart(title, "No MTA queued any mail in this run");
    const auto colours = [](std::size_t rank) { return mta_colour(rank); };
    QChart* chart = time_chart(title, queues.shown, "messages queued", false, colours);
    // Beside the plot each host name has a line of its own, not a share of the width.
    chart->legend()->setAlignment(Qt::AlignRight);
    return chart;
}

QChart* make_fates_chart(const QString& title, const StackedBars& bars) {
    if (bars.sets.empty()) return make_empty_chart(title, "No messages in this run");
    QChart* chart = new_chart(title);
    auto* series = new QStackedBarSeries;
    double top = 0;
    std::vector<double> totals(bars.categories.size(), 0.0);
    for (const auto& [fate, values] : bars.sets) {
        auto* set = new QBarSet(QString::fromStdString(fate));
        set->setColor(fate_colour(fate));
        set->setBorderColor(fate_colour(fate));
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
    if (victims.addresses.empty())
        return make_empty_chart(title, "No backscatter reached anyone in this run");
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
        set->setColor(variant_colour(v < victims.colours.size() ? victims.colours[v] : v));
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
    if (curves.labels.size() < 2 || curves.absorbed.empty())
        return make_empty_chart(title, "This scenario has no sweep: add one to see this chart");
    QChart* chart = new_chart(title);
    QAbstractAxis* x_axis =
        sweep_axis(curves.labels, curves.numeric, curves.absorbed.front().x, sweep_name);
    auto* left =
        count_axis("backscatter absorbed (NDRs dropped or discarded)", highest(curves.absorbed));
    auto* right = count_axis("legitimate mail lost", highest(curves.lost));
    chart->addAxis(x_axis, Qt::AlignBottom);
    chart->addAxis(left, Qt::AlignLeft);
    chart->addAxis(right, Qt::AlignRight);
    for (std::size_t v = 0; v < curves.absorbed.size(); ++v) {
        const std::vector<double>& xs = curves.absorbed.front().x;
        add_sweep_line(chart, curves.absorbed[v], curves.labels, xs, x_axis, left, Qt::SolidLine,
                       "backscatter absorbed");
        add_sweep_line(chart, curves.lost[v], curves.labels, xs, x_axis, right, Qt::DashLine,
                       "legitimate mail lost");
    }
    return chart;
}

QChart* make_delay_chart(const QString& title, const DelayCurves& curves,
                         const QString& sweep_name) {
    const auto has_points = [](const Band& b) { return !b.x.empty(); };
    if (std::none_of(curves.p50.begin(), curves.p50.end(), has_points))
        return make_empty_chart(
            title, "No legitimate mail delivered or still queued in this run: no delay to show");
    const TimeUnit unit = delay_unit(highest(curves.p95));
    QChart* chart = new_chart(title);
    if (curves.labels.size() < 2) return delay_bars(chart, curves, unit);
    QAbstractAxis* x_axis = sweep_axis(curves.labels, curves.numeric, curves.xs, sweep_name);
    auto* y_axis = count_axis("delay (" + unit.name + ")", highest(curves.p95) / unit.seconds);
    chart->addAxis(x_axis, Qt::AlignBottom);
    chart->addAxis(y_axis, Qt::AlignLeft);
    for (std::size_t v = 0; v < curves.p50.size(); ++v) {
        add_sweep_line(chart, curves.p50[v], curves.labels, curves.xs, x_axis, y_axis,
                       Qt::SolidLine, "median delay", unit.seconds, unit.short_);
        add_sweep_line(chart, curves.p95[v], curves.labels, curves.xs, x_axis, y_axis, Qt::DashLine,
                       "95th percentile", unit.seconds, unit.short_);
    }
    return chart;
}

QChart* make_empty_chart(const QString& title, const QString& why) {
    QChart* chart = new_chart(title);
    chart->legend()->setVisible(false);
    add_note(chart, why);
    return chart;
}

const QGraphicsSimpleTextItem* chart_note(const QChart& chart) {
    return find_note(chart);
}

}  // namespace mxsim::gui
