// sim_time.cpp - parsing and formatting of SimTime durations.
#include "sim/sim_time.hpp"

#include <array>
#include <cctype>

namespace mxsim::sim {
namespace {

struct Unit {
    std::string_view name;
    SimTime scale;
};

// Largest first, so format_duration emits "1d12h" rather than "36h".
constexpr std::array<Unit, 7> kUnits{{{"w", kWeek},
                                      {"d", kDay},
                                      {"h", kHour},
                                      {"m", kMinute},
                                      {"s", kSecond},
                                      {"ms", kMillisecond},
                                      {"us", kMicrosecond}}};

std::optional<SimTime> unit_scale(std::string_view name) {
    for (const Unit& u : kUnits)
        if (u.name == name) return u.scale;
    return std::nullopt;
}

[[noreturn]] void fail(std::string_view text, const std::string& why) {
    throw DurationError(
        "invalid duration \"" + std::string(text) + "\": " + why +
        " (expected e.g. \"300s\", \"15m\", \"1d12h\"; units us, ms, s, m, h, d, w)");
}

bool is_digit(char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
}

// Adds count*scale to total, or reports overflow.
SimTime accumulate(std::string_view text, SimTime total, std::uint64_t count, SimTime scale) {
    const auto max = static_cast<std::uint64_t>(kTimeMax);
    const auto uscale = static_cast<std::uint64_t>(scale);
    if (count > max / uscale) fail(text, "too large for simulated time");
    const std::uint64_t term = count * uscale;
    if (term > max - static_cast<std::uint64_t>(total)) fail(text, "too large for simulated time");
    return total + static_cast<SimTime>(term);
}

}  // namespace

SimTime parse_duration(std::string_view text, std::optional<SimTime> default_unit) {
    if (text.empty()) fail(text, "empty string");
    if (text.front() == '-') fail(text, "negative durations are not allowed");

    SimTime total = 0;
    std::size_t i = 0;
    while (i < text.size()) {
        const std::size_t term_start = i;
        if (!is_digit(text[i])) fail(text, "expected a digit at position " + std::to_string(i));
        std::uint64_t count = 0;
        for (; i < text.size() && is_digit(text[i]); ++i) {
            const auto digit = static_cast<std::uint64_t>(text[i] - '0');
            if (count > (static_cast<std::uint64_t>(kTimeMax) - digit) / 10)
                fail(text, "too large for simulated time");
            count = count * 10 + digit;
        }
        const std::size_t unit_start = i;
        while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i])))
            ++i;
        const std::string_view unit = text.substr(unit_start, i - unit_start);

        if (unit.empty()) {
            if (i != text.size())
                fail(text, "unexpected character '" + std::string(1, text[i]) + "'");
            if (term_start == 0 && default_unit) return accumulate(text, 0, count, *default_unit);
            fail(text, "missing unit after " + std::to_string(count));
        }
        const std::optional<SimTime> scale = unit_scale(unit);
        if (!scale) fail(text, "unknown unit '" + std::string(unit) + "'");
        total = accumulate(text, total, count, *scale);
    }
    return total;
}

std::string format_duration(SimTime t) {
    if (t == 0) return "0s";
    std::string out;
    // Work in unsigned so that -kTimeMax-1 has a magnitude too.
    std::uint64_t rest = t < 0 ? 0 - static_cast<std::uint64_t>(t) : static_cast<std::uint64_t>(t);
    if (t < 0) out += '-';
    for (const Unit& u : kUnits) {
        const auto scale = static_cast<std::uint64_t>(u.scale);
        if (rest >= scale) {
            out += std::to_string(rest / scale);
            out += u.name;
            rest %= scale;
        }
    }
    return out;
}

}  // namespace mxsim::sim
