// rate_limit.cpp - the token bucket and Exim's smoothed-rate `ratelimit` condition.
// Offers the definitions declared in rate_limit.hpp; the Exim part quotes Exim/exim
// src/src/acl.c acl_ratelimit() statement by statement (see docs/rate-limits.md).
#include "model/rate_limit.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace mxsim::model {
namespace {

constexpr SimTime kTimeMin = std::numeric_limits<SimTime>::min();
constexpr SimTime kTimeMax = std::numeric_limits<SimTime>::max();

// A duration in (possibly fractional) microseconds, rounded to the nearest SimTime tick and
// saturated at the ends of SimTime (a very slow rate can put a token beyond the end of time).
SimTime round_micros(double us) {
    if (us >= 9.2e18) return kTimeMax;
    if (us <= -9.2e18) return kTimeMin;
    return static_cast<SimTime>(std::llround(us));
}

SimTime saturating_add(SimTime a, SimTime b) {
    if (b > 0 && a > kTimeMax - b) return kTimeMax;
    if (b < 0 && a < kTimeMin - b) return kTimeMin;
    return a + b;
}

void check_time(SimTime now, SimTime last, const char* who) {
    if (now < last)
        throw std::invalid_argument(std::string(who) + ": time went backwards (" +
                                    sim::format_duration(now) + " < " + sim::format_duration(last) +
                                    ")");
}

}  // namespace

// ---- token bucket ----------------------------------------------------------

TokenBucket::TokenBucket(std::uint32_t capacity, double rate_per_second)
    : rate_(rate_per_second), capacity_(capacity) {
    if (capacity < 1) throw std::invalid_argument("TokenBucket: capacity must be at least 1");
    if (!(std::isfinite(rate_per_second) && rate_per_second > 0.0))
        throw std::invalid_argument("TokenBucket: rate must be finite and greater than zero");
}

// From tokens(t) = capacity - taken + (t - anchor) * rate: t = anchor + (n - capacity + taken)
// / rate, one division and one rounding, whatever the number of takes since the anchor.
SimTime TokenBucket::when_tokens(std::int64_t n) const {
    const std::int64_t missing = n - std::int64_t{capacity_} + std::int64_t{taken_};
    return saturating_add(anchor_,
                          round_micros(static_cast<double>(missing) * sim::kSecond / rate_));
}

// Full before now: the refill stopped at capacity, so restart the account from a full bucket.
// Strictly after the rounded full time: at that very microsecond the bucket may still lack a
// fraction of a microsecond's refill, and re-anchoring there would hand it out for free (at
// 0.3 token/s the tokens must come at 3333333, 6666667, 10000000 us, not 3333333, 6666666...).
void TokenBucket::refill(SimTime now) {
    if (now > when_tokens(capacity_)) {
        anchor_ = now;
        taken_ = 0;
    }
}

// Moves the anchor to the time that accounts for all takes so far; tokens(t) is unchanged.
void TokenBucket::rebase() {
    anchor_ = when_tokens(capacity_);
    taken_ = 0;
}

bool TokenBucket::take(SimTime now) {
    check_time(now, last_, "TokenBucket::take");
    last_ = now;
    refill(now);
    if (now < when_tokens(1)) return false;
    if (++taken_ == kRebaseEvery) rebase();
    return true;
}

double TokenBucket::tokens(SimTime now) const {
    const double full = capacity_;
    if (now > when_tokens(capacity_)) return full;
    return std::min(full, full - taken_ + sim::to_seconds(now - anchor_) * rate_);
}

// ---- Exim's ratelimit ACL condition ------------------------------------------

namespace {

// acl_ratelimit() refuses "limit < 0.0" ("is not a positive number"), "period <= 0.0" ("is not
// a time value") and, for count=, "count < 0.0".
void check_exim(const EximRatelimit& cfg, const EximRateState& state, SimTime now, double count) {
    if (!(cfg.limit >= 0.0)) throw std::invalid_argument("exim ratelimit: limit must be >= 0");
    if (cfg.period <= 0) throw std::invalid_argument("exim ratelimit: period must be > 0");
    if (!(std::isfinite(count) && count >= 0.0))
        throw std::invalid_argument("exim ratelimit: count must be finite and >= 0");
    if (state.has_sample()) check_time(now, state.last, "exim ratelimit");
}

// The EWMA step, as acl.c writes it (names as there):
//   "double interval = this_time - prev_time <= 0.0 ? 1e-9 : this_time - prev_time;"
//   "double i_over_p = interval / period;"
//   "double a = exp(-i_over_p);"
//   "dbd->rate = (1 - a) * count / i_over_p + a * dbd->rate;"
//   "if (dbd->rate < count) dbd->rate = count;"
// The expression is kept literally (not -expm1) so results match Exim's to the last bit; for
// near-zero intervals 1 - a loses digits in Exim too (a burst counts ~1 +- 1e-3 per message).
double ewma_step(const EximRatelimit& cfg, const EximRateState& state, SimTime now, double count) {
    const double elapsed = sim::to_seconds(now - state.last);
    const double interval = elapsed <= 0.0 ? 1e-9 : elapsed;
    const double i_over_p = interval / sim::to_seconds(cfg.period);
    const double a = std::exp(-i_over_p);
    const double rate = (1 - a) * count / i_over_p + a * state.rate;
    return rate < count ? count : rate;
}

}  // namespace

double exim_smoothed_rate(const EximRatelimit& cfg, const EximRateState& state, SimTime now,
                          double count) {
    check_exim(cfg, state, now, count);
    // A new key: "The initial rate is what would be computed by the code below for an
    // infinite interval." -> "dbd->rate = count;"
    if (!state.has_sample()) return count;
    return ewma_step(cfg, state, now, count);
}

bool exim_ratelimit(const EximRatelimit& cfg, EximRateState& state, SimTime now, double count) {
    const double rate = exim_smoothed_rate(cfg, state, now, count);
    // "Clients sending at the limit are considered to be over the limit."
    // "rc = (dbd->rate < limit)? FAIL : OK;"  (OK: the condition is true, the sender is over)
    const bool over = !(rate < cfg.limit);
    // "if ((rc == FAIL && leaky) || strict) dbfn_write(...)": leaky keeps the old record (rate
    // and time stamp) when over the limit; strict always writes.
    if (!over || cfg.strict) state = EximRateState{rate, now};
    return over;
}

}  // namespace mxsim::model
