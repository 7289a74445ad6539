// charts.hpp - Qt Charts built from chart_data: titles, legends, axes in human
// units, tooltips with exact values, and a note in the middle of a chart that has
// nothing to show. Offers one make_*_chart() per view; each returns a new QChart the
// caller owns (usually handed to a QChartView).
#pragma once

#include <QChart>
#include <QGraphicsSimpleTextItem>
#include <QString>

#include "gui/chart_data.hpp"

namespace mxsim::gui {

// Lines over time with their 95% band (a translucent area, not in the legend), each in
// its variant's colour (Band::colour); without `draw_bands` only the lines (their
// tooltips still give the interval). When every line is 0, `when_empty` (if given) is
// written in the middle.
QChart* make_time_chart(const QString& title, const std::vector<Band>& bands,
                        const QString& value_name, bool draw_bands = true,
                        const QString& when_empty = {});
// One line per MTA (no bands), in the MTAs' own colours, the legend beside the plot
// so that every host name is shown whole.
QChart* make_queue_chart(const QString& title, const MtaQueues& queues);
// Stacked bars, one colour per fate (palette.hpp), the same in every scenario.
QChart* make_fates_chart(const QString& title, const StackedBars& bars);
// Horizontal bars, one set per variant, the most hit address at the top.
QChart* make_victims_chart(const QString& title, const VictimBars& victims);
// Backscatter absorbed (solid, left axis) and legitimate mail lost (dashed,
// right axis) against the swept value, one colour per variant, each with its 95% band.
QChart* make_sweep_chart(const QString& title, const SweepCurves& curves,
                         const QString& sweep_name);
// The median (solid) and 95th percentile (dashed) of legitimate mail's delay with
// their bands, against the swept value; without a sweep, bars per variant.
QChart* make_delay_chart(const QString& title, const DelayCurves& curves,
                         const QString& sweep_name);
// A chart with a title and, in its middle, why there is nothing to plot.
QChart* make_empty_chart(const QString& title, const QString& why);
// What a chart says in its middle (make_empty_chart's `why`, a time chart's
// `when_empty`), or nullptr when it says nothing.
const QGraphicsSimpleTextItem* chart_note(const QChart& chart);

}  // namespace mxsim::gui
