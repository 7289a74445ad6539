// human_units.cpp - axis units and number formats in the C locale's English style.
#include "gui/human_units.hpp"

#include <cmath>

#include <QLocale>

namespace mxsim::gui {

TimeUnit time_unit_for(double span_seconds) {
    if (span_seconds < 3 * 3600.0) return {"minutes", "min", 60.0};
    if (span_seconds < 3 * 86400.0) return {"hours", "h", 3600.0};
    return {"days", "d", 86400.0};
}

QString format_count(double value) {
    const QLocale english(QLocale::English, QLocale::UnitedStates);
    if (!std::isfinite(value)) return "-";
    const bool whole = std::abs(value - std::round(value)) < 1e-9;
    return english.toString(value, 'f', whole ? 0 : std::abs(value) >= 100 ? 1 : 3);
}

QString format_time(double seconds, const TimeUnit& unit) {
    const QLocale english(QLocale::English, QLocale::UnitedStates);
    const double v = seconds / unit.seconds;
    const bool whole = std::abs(v - std::round(v)) < 1e-9;
    return english.toString(v, 'f', whole ? 0 : 2) + " " + unit.short_;
}

}  // namespace mxsim::gui
