// charts.hpp - Qt Charts built from chart_data: titles, legends, axes in human
// units, tooltips with exact values. Offers one make_*_chart() per view; each
// returns a new QChart the caller owns (usually handed to a QChartView).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <QChart>
#include <QColor>
#include <QString>

#include "gui/chart_data.hpp"

namespace mxsim::gui {

// The colour of variant `index`, the same on every chart.
QColor variant_colour(std::size_t index);

// Lines over time with their 95% band (a translucent area, not in the legend);
// without `draw_bands` only the lines (their tooltips still give the interval).
QChart* make_time_chart(const QString& title, const std::vector<Band>& bands,
                        const QString& value_name, bool draw_bands = true);
QChart* make_fates_chart(const QString& title, const StackedBars& bars);
// Horizontal bars, one set per variant, the most hit address at the top.
QChart* make_victims_chart(const QString& title, const VictimBars& victims);
// Backscatter absorbed (solid, left axis) and legitimate mail lost (dashed,
// right axis) against the swept value, one colour per variant.
QChart* make_sweep_chart(const QString& title, const SweepCurves& curves,
                         const QString& sweep_name);
// A chart with only a title saying why there is nothing to plot.
QChart* make_empty_chart(const QString& title, const QString& why);

}  // namespace mxsim::gui
