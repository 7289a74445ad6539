// rate_limit.hpp - per-mailbox rate-limit algorithms, as small pure value types.
// Offers TokenBucket (burst + steady refill, exact to the microsecond) and Exim's smoothed-rate
// `ratelimit` ACL condition (EximRatelimit, EximRateState, exim_smoothed_rate, exim_ratelimit).
#pragma once

#include <cstdint>
#include <limits>

#include "sim/sim_time.hpp"

namespace mxsim::model {

using sim::SimTime;

// ---- token bucket ----------------------------------------------------------

// A bucket of `capacity` tokens that starts full and refills continuously at `rate` tokens per
// second, never above capacity; each accepted message takes one token.
//
// Exactness: the state is an anchor time, the tokens taken since then and the last call. The
// moment a token becomes available is computed from the anchor in one step and rounded to the
// nearest microsecond (SimTime's resolution), so refills never drift: at 0.1 token/s the tenth
// second gives a whole token, not 0.9999999.
//
// sizeof(TokenBucket) == 32 (anchor 8 + last 8 + rate 8 + capacity 4 + taken 4): one per victim
// mailbox. Copyable plain value; no allocation.
class TokenBucket {
  public:
    // Throws std::invalid_argument unless capacity >= 1 and rate is finite and > 0.
    TokenBucket(std::uint32_t capacity, double rate_per_second);

    // Refills by the time elapsed since the anchor (capped at capacity), then takes one token if
    // a whole one is there. A refused call takes nothing, so refusals do not delay the next
    // token. Throws std::invalid_argument if `now` is earlier than the previous call's time.
    bool take(SimTime now);

    // Tokens held at `now` (fractional, <= capacity), for `now` not before the last take().
    double tokens(SimTime now) const;

    std::uint32_t capacity() const { return capacity_; }
    double rate() const { return rate_; }

    // After this many takes without the bucket ever filling up, the anchor moves forward (a
    // rounding of at most 0.5 us, once per 2^20 takes) so `taken_` cannot overflow.
    static constexpr std::uint32_t kRebaseEvery = 1u << 20;

  private:
    SimTime when_tokens(std::int64_t n) const;  // when the bucket reaches n tokens
    void refill(SimTime now);
    void rebase();

    // Invariant: tokens(t) = min(capacity, capacity - taken + (t - anchor) * rate).
    SimTime anchor_ = std::numeric_limits<SimTime>::min();  // (virtually) full here
    SimTime last_ = std::numeric_limits<SimTime>::min();    // time of the previous take()
    double rate_;                                           // tokens per second
    std::uint32_t capacity_;                                // burst
    std::uint32_t taken_ = 0;                               // tokens taken since the anchor
};

// ---- Exim's ratelimit ACL condition ------------------------------------------

// `ratelimit = m / p / strict|leaky` (Exim spec, "Rate limiting incoming messages"), computed
// as Exim/exim src/src/acl.c acl_ratelimit() does. For a per-mailbox limit Exim's spec uses key
// $local_part@$domain with per_rcpt in the RCPT ACL: one call per RCPT, count 1.
struct EximRatelimit {
    double limit = 0.0;   // m: over the limit when the smoothed rate >= m; also the burst size
    SimTime period = 0;   // p: smoothing time constant (and the unit of the rate)
    bool strict = false;  // false: leaky, Exim's default
};

// The hints-database record (dbdata_ratelimit: rate, time_stamp + time_usec) for one key.
// sizeof(EximRateState) == 16. A default-constructed state is "no record yet".
struct EximRateState {
    static constexpr SimTime kNoSample = std::numeric_limits<SimTime>::min();
    double rate = 0.0;         // messages (or `count` units) per period
    SimTime last = kNoSample;  // when the record was last written
    bool has_sample() const { return last != kNoSample; }
};

// The rate acl_ratelimit() computes at `now` for an event of size `count` (1 per message, or per
// recipient): `count` for a key without a record; otherwise, with i = now - last (1e-9 s if
// zero) and a = exp(-i/p), (1 - a) * count / (i/p) + a * rate, raised to `count` if below it.
// Pure: the state is not changed. Throws std::invalid_argument for limit < 0, period <= 0,
// count < 0 or not finite, or `now` before state.last.
double exim_smoothed_rate(const EximRatelimit& cfg, const EximRateState& state, SimTime now,
                          double count = 1.0);

// The ratelimit condition: true when the limit is exceeded (acl_ratelimit() returns OK, so a
// `deny`/`defer` with it fires). Updates `state` as Exim writes its database: always in strict
// mode; in leaky mode only when under the limit (over the limit, rate and time stay as they
// were). Throws as exim_smoothed_rate().
bool exim_ratelimit(const EximRatelimit& cfg, EximRateState& state, SimTime now,
                    double count = 1.0);

}  // namespace mxsim::model
