// sim_time.hpp - simulated time: an exact integer count of microseconds.
// Offers SimTime, unit constants, conversions, and parse/format of durations
// such as "300s", "15m", "1d12h" (the units Postfix's main.cf accepts, plus ms/us).
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace mxsim::sim {

// Integer microseconds: exact arithmetic, deterministic ties, no drift over
// simulated weeks (a double loses microsecond resolution after ~285 years,
// but sums of doubles drift long before that).
using SimTime = std::int64_t;

inline constexpr SimTime kMicrosecond = 1;
inline constexpr SimTime kMillisecond = 1'000;
inline constexpr SimTime kSecond = 1'000'000;
inline constexpr SimTime kMinute = 60 * kSecond;
inline constexpr SimTime kHour = 60 * kMinute;
inline constexpr SimTime kDay = 24 * kHour;
inline constexpr SimTime kWeek = 7 * kDay;
inline constexpr SimTime kTimeMax = std::numeric_limits<SimTime>::max();

constexpr SimTime seconds(std::int64_t s) {
    return s * kSecond;
}
constexpr double to_seconds(SimTime t) {
    return static_cast<double>(t) / kSecond;
}
// Whole seconds, rounded down (Postfix's queue arithmetic works in whole seconds).
constexpr std::int64_t whole_seconds(SimTime t) {
    return t >= 0 ? t / kSecond : -((-t + kSecond - 1) / kSecond);
}

// Thrown for a duration string that is empty, negative, has an unknown unit,
// or does not fit in SimTime. The message names the string and the problem.
class DurationError : public std::invalid_argument {
  public:
    using std::invalid_argument::invalid_argument;
};

// Parses a non-negative duration: one or more <digits><unit> terms, units
// us, ms, s, m, h, d, w, e.g. "300s", "1d12h", "250ms". A bare number takes
// `default_unit` (in SimTime units) when one is given, as Postfix does for
// time parameters ("5" in maximal_queue_lifetime means five days); without a
// default a bare number is an error.
SimTime parse_duration(std::string_view text, std::optional<SimTime> default_unit = std::nullopt);

// The shortest exact rendering in the same syntax: 129600000000 -> "1d12h",
// 0 -> "0s", 1500 -> "1ms500us". Negative values get a leading '-'.
std::string format_duration(SimTime t);

}  // namespace mxsim::sim
