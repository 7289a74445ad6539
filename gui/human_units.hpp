// human_units.hpp - numbers as people read them on chart axes and tooltips.
// Offers time_unit_for() (minutes, hours or days for a time span), format_count()
// (thousands separators) and format_time() ("3.5 h", "2 d 4 h").
#pragma once

#include <QString>

namespace mxsim::gui {

struct TimeUnit {
    QString name;    // "minutes", "hours", "days"
    QString short_;  // "min", "h", "d"
    double seconds;  // one unit in seconds
};

// The unit in which `span_seconds` reads best: minutes below 3 hours, hours
// below 3 days, days above.
TimeUnit time_unit_for(double span_seconds);
// 1234567 -> "1,234,567"; other numbers keep one decimal from 100 on ("1,234.5"),
// three below ("0.013", "12.500").
QString format_count(double value);
// A time since the start in `unit`, e.g. "12.5 h".
QString format_time(double seconds, const TimeUnit& unit);

}  // namespace mxsim::gui
