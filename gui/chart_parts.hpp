// chart_parts.hpp - the pieces every chart of the app is built from: a titled chart in
// the app's style, count axes, a translucent 95% band, the x axis of a sweep, and a note
// written in the middle of the plot. Offers those as functions over QChart (charts.cpp
// assembles them into the views).
#pragma once

#include <string>
#include <vector>

#include <QAbstractAxis>
#include <QBrush>
#include <QChart>
#include <QGraphicsSimpleTextItem>
#include <QString>
#include <QValueAxis>

#include "gui/chart_data.hpp"

namespace mxsim::gui {

// A chart with `title` (rich text: "<br>" breaks a line), its legend at the bottom,
// English thousands separators and no animation.
QChart* new_chart(const QString& title);
// A value axis from 0 to a little above `max`, with decimals only where the span needs.
QValueAxis* count_axis(const QString& title, double max);
// The area between `b.low` and `b.high` (x divided by `x_scale`, y by `y_scale`),
// left out of the legend; nothing when the band has no width (one replication).
void add_band_area(QChart* chart, const Band& b, const QBrush& brush, QAbstractAxis* x,
                   QAbstractAxis* y, double x_scale = 1, double y_scale = 1);
// The x axis of a sweep: a label at each swept value, or the points' names.
QAbstractAxis* sweep_axis(const std::vector<std::string>& labels, bool numeric,
                          const std::vector<double>& xs, const QString& title);
// `text` in the middle of the plot area, kept there as the chart is resized.
void add_note(QChart* chart, const QString& text);
// The note add_note() wrote, or nullptr.
const QGraphicsSimpleTextItem* find_note(const QChart& chart);

// The point of `xs` nearest `x`.
std::size_t nearest(const std::vector<double>& xs, double x);
// "12.5 (95% CI 10.1 to 14.9)", the numbers divided by `scale`; without the interval
// when it has no width.
QString with_interval(const Band& b, std::size_t i, double scale = 1);

}  // namespace mxsim::gui
