// ramp.cpp - piecewise-linear rates and thinning.
#include "model/ramp.hpp"

#include <algorithm>
#include <cmath>

namespace mxsim::model {

double ramp_rate(const std::vector<RampPoint>& ramp, SimTime t) {
    if (t < ramp.front().at) return 0;
    if (t >= ramp.back().at) return ramp.back().rate_per_hour;
    const auto next = std::upper_bound(ramp.begin(), ramp.end(), t,
                                       [](SimTime x, const RampPoint& p) { return x < p.at; });
    const RampPoint& a = *(next - 1);
    const RampPoint& b = *next;
    const double f = static_cast<double>(t - a.at) / static_cast<double>(b.at - a.at);
    return a.rate_per_hour + f * (b.rate_per_hour - a.rate_per_hour);
}

namespace {

// Where the silent stretch holding `t` ends (the rate is 0 up to there), `t`
// itself when the rate is not 0 there, or nullopt when it stays 0 for good.
// Thinning across a long silence at a high peak rate would take ~peak x
// length candidates (issue 12: hours of work for one file).
std::optional<SimTime> after_silence(const std::vector<RampPoint>& ramp, SimTime t) {
    if (t < ramp.front().at) return ramp.front().at;
    const auto next = std::upper_bound(ramp.begin(), ramp.end(), t,
                                       [](SimTime x, const RampPoint& p) { return x < p.at; });
    if (next == ramp.end()) return ramp.back().rate_per_hour > 0 ? std::optional(t) : std::nullopt;
    if ((next - 1)->rate_per_hour == 0 && next->rate_per_hour == 0) return next->at;
    return t;
}

}  // namespace

std::optional<SimTime> next_ramp_arrival(const std::vector<RampPoint>& ramp, double scale,
                                         SimTime from, SimTime stop, sim::RandomStream& rng) {
    double peak = 0;
    for (const RampPoint& p : ramp)
        peak = std::max(peak, p.rate_per_hour);
    peak *= scale;
    if (!(peak > 0)) return std::nullopt;
    const auto mean_gap =
        std::max<SimTime>(1, static_cast<SimTime>(std::llround(sim::kHour / peak)));
    for (SimTime t = from;;) {
        // Silent stretches are skipped; a silence until `stop` ends the source.
        for (;;) {
            const std::optional<SimTime> end = after_silence(ramp, t);
            if (!end || *end >= stop) return std::nullopt;
            if (*end == t) break;
            t = *end;
        }
        t += rng.exponential_time(mean_gap);
        if (t >= stop) return std::nullopt;
        if (rng.uniform01() * peak < scale * ramp_rate(ramp, t)) return t;
    }
}

}  // namespace mxsim::model
