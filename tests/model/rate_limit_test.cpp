// rate_limit_test.cpp - the per-mailbox rate-limit algorithms against hand computations.
// TokenBucket: bursts, steady and fractional refills, the capacity cap, exact microsecond
// boundaries. Exim's ratelimit: acl.c acl_ratelimit()'s EWMA step by step, >= at the limit,
// leaky vs strict, and the strict client's ln(peak/max) wait.
#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <type_traits>
#include <vector>

#include "model/rate_limit.hpp"

using namespace mxsim::model;
using mxsim::sim::kDay;
using mxsim::sim::kHour;
using mxsim::sim::kMillisecond;
using mxsim::sim::kMinute;
using mxsim::sim::kSecond;
using mxsim::sim::SimTime;

static_assert(sizeof(TokenBucket) == 32, "one per victim mailbox: keep it compact");
static_assert(sizeof(EximRateState) == 16);
static_assert(std::is_trivially_copyable_v<TokenBucket>);

// ---- token bucket ----------------------------------------------------------

TEST_CASE("a token bucket starts full, allows its burst, then refills steadily", "[ratelimit]") {
    TokenBucket b(3, 0.5);  // burst 3, one token every 2 s
    CHECK(b.tokens(0) == 3.0);
    CHECK(b.take(0));
    CHECK(b.take(0));
    CHECK(b.take(0));
    CHECK_FALSE(b.take(0));  // burst spent
    CHECK(b.tokens(0) == 0.0);

    CHECK(b.tokens(1 * kSecond) == 0.5);  // 1 s * 0.5/s
    CHECK_FALSE(b.take(1 * kSecond));
    CHECK_FALSE(b.take(2 * kSecond - 1));  // 1.999999 s * 0.5 = 0.9999995 tokens
    CHECK(b.take(2 * kSecond));            // 2 s * 0.5 = 1 token, exactly on time
    CHECK_FALSE(b.take(2 * kSecond));
    // Refused calls took nothing: the next token is due 2 s later, at 4 s.
    CHECK_FALSE(b.take(4 * kSecond - 1));
    CHECK(b.take(4 * kSecond));
    // Steady state: one message every 2 s gets through, one every 1 s only every other time.
    int accepted = 0;
    for (SimTime t = 5 * kSecond; t <= 24 * kSecond; t += kSecond)
        accepted += b.take(t) ? 1 : 0;
    CHECK(accepted == 10);  // tokens due at 6, 8, ..., 24 s
}

TEST_CASE("fractional refills add up to whole tokens exactly on time", "[ratelimit]") {
    SECTION("0.1 token/s: ten one-second refills of 0.1 make the tenth second's token") {
        TokenBucket b(1, 0.1);
        REQUIRE(b.take(0));
        for (int s = 1; s <= 9; ++s)
            CHECK_FALSE(b.take(s * kSecond));  // 0.1, 0.2, ..., 0.9 tokens
        CHECK(b.tokens(9 * kSecond) == Approx(0.9));
        CHECK(b.take(10 * kSecond));  // 10 * 0.1 = 1 (summing 0.1 ten times would give 0.999...)
        CHECK(b.tokens(15 * kSecond) == Approx(0.5));
    }
    SECTION("1/3 token/s: due every 3 s") {
        TokenBucket b(1, 1.0 / 3.0);
        REQUIRE(b.take(0));
        CHECK_FALSE(b.take(1 * kSecond));
        CHECK_FALSE(b.take(2 * kSecond));
        CHECK_FALSE(b.take(3 * kSecond - 1));
        CHECK(b.take(3 * kSecond));
        CHECK_FALSE(b.take(6 * kSecond - 1));
        CHECK(b.take(6 * kSecond));
    }
    SECTION("0.3 token/s: due at 10/3 s multiples, rounded to the nearest microsecond") {
        // k / 0.3 s = 3333333.33, 6666666.67, 10000000 us -> 3333333, 6666667, 10000000.
        TokenBucket b(1, 0.3);
        REQUIRE(b.take(0));
        const std::vector<SimTime> due = {3'333'333, 6'666'667, 10'000'000, 13'333'333};
        for (SimTime t : due) {
            CHECK_FALSE(b.take(t - 1));
            CHECK(b.take(t));
        }
    }
}

TEST_CASE("a long idle bucket holds its capacity, not more", "[ratelimit]") {
    TokenBucket b(5, 1.0);
    for (int i = 0; i < 5; ++i)
        REQUIRE(b.take(0));
    REQUIRE_FALSE(b.take(0));
    // A day at 1 token/s would be 86400 tokens; the bucket holds 5.
    CHECK(b.tokens(kDay) == 5.0);
    for (int i = 0; i < 5; ++i)
        CHECK(b.take(kDay));
    CHECK_FALSE(b.take(kDay));
    // And the refill restarts from the day mark: one token at kDay + 1 s.
    CHECK_FALSE(b.take(kDay + kSecond - 1));
    CHECK(b.take(kDay + kSecond));
}

TEST_CASE("a partly used bucket refills up to capacity and stops there", "[ratelimit]") {
    TokenBucket b(4, 2.0);  // 2 tokens per second
    REQUIRE(b.take(0));
    REQUIRE(b.take(0));                          // 2 left
    CHECK(b.tokens(500 * kMillisecond) == 3.0);  // 2 + 0.5 s * 2/s
    CHECK(b.tokens(1 * kSecond) == 4.0);         // 2 + 1 s * 2/s = full
    CHECK(b.tokens(10 * kSecond) == 4.0);        // capped
    for (int i = 0; i < 4; ++i)
        CHECK(b.take(10 * kSecond));
    CHECK_FALSE(b.take(10 * kSecond));
    CHECK(b.take(10 * kSecond + 500 * kMillisecond));
}

TEST_CASE("a client at exactly the refill rate is never refused, across re-anchoring",
          "[ratelimit]") {
    // Drained at 0, then one take per token as it comes: the bucket never fills, so the count
    // of takes since the anchor grows past kRebaseEvery twice.
    const std::int64_t n = 2 * std::int64_t{TokenBucket::kRebaseEvery} + 10;
    SECTION("4 token/s: every 250 ms, exactly") {
        TokenBucket b(1, 4.0);
        REQUIRE(b.take(0));
        std::int64_t refused = 0, early = 0;
        for (std::int64_t k = 1; k <= n; ++k) {
            const SimTime t = k * 250 * kMillisecond;
            early += b.take(t - 1) ? 1 : 0;
            refused += b.take(t) ? 0 : 1;
        }
        CHECK(early == 0);
        CHECK(refused == 0);
    }
    SECTION("3 token/s: due at k/3 s rounded to the microsecond; re-anchoring shifts < 1 us") {
        // Capacity 2, drained: the bucket never fills, so taking a token 1 us late loses nothing.
        TokenBucket b(2, 3.0);
        REQUIRE(b.take(0));
        REQUIRE(b.take(0));
        std::int64_t exact_misses = 0, misses = 0;
        for (std::int64_t k = 1; k <= n; ++k) {
            const SimTime t = std::llround(static_cast<double>(k) * kSecond / 3.0);
            if (k <= std::int64_t{TokenBucket::kRebaseEvery} - 2) {  // before the first rebase
                exact_misses += b.take(t - 1) ? 1 : 0;
                exact_misses += b.take(t) ? 0 : 1;
            } else {
                misses += b.take(t - 2) ? 1 : 0;
                misses += b.take(t + 1) ? 0 : 1;
            }
        }
        CHECK(exact_misses == 0);
        CHECK(misses == 0);
    }
}

TEST_CASE("a token bucket rejects bad parameters and time going backwards", "[ratelimit]") {
    CHECK_THROWS_AS(TokenBucket(0, 1.0), std::invalid_argument);
    CHECK_THROWS_AS(TokenBucket(1, 0.0), std::invalid_argument);
    CHECK_THROWS_AS(TokenBucket(1, -1.0), std::invalid_argument);
    CHECK_THROWS_AS(TokenBucket(1, std::nan("")), std::invalid_argument);
    CHECK_THROWS_AS(TokenBucket(1, INFINITY), std::invalid_argument);
    TokenBucket b(2, 1.0);
    REQUIRE(b.take(10 * kSecond));
    CHECK_THROWS_AS(b.take(10 * kSecond - 1), std::invalid_argument);
    CHECK(b.take(10 * kSecond));  // the same time is fine
}

TEST_CASE("a very slow token bucket saturates instead of overflowing", "[ratelimit]") {
    TokenBucket b(1, 1e-300);  // the next token lies beyond the end of SimTime
    REQUIRE(b.take(0));
    CHECK_FALSE(b.take(100 * 365 * kDay));
    CHECK(b.tokens(100 * 365 * kDay) < 1e-280);
}

// ---- Exim's ratelimit ACL condition ------------------------------------------

namespace {

const EximRatelimit kLeaky10PerHour{10.0, kHour, false};
const EximRatelimit kStrict10PerHour{10.0, kHour, true};

}  // namespace

TEST_CASE("exim ratelimit follows acl.c's smoothed rate step by step", "[ratelimit]") {
    EximRateState s;
    REQUIRE_FALSE(s.has_sample());

    // New key: "dbd->rate = count;" -> 1.
    CHECK_FALSE(exim_ratelimit(kLeaky10PerHour, s, 0));
    CHECK(s.rate == 1.0);
    CHECK(s.last == 0);

    // 30 min later: i/p = 0.5, a = exp(-0.5) = 0.6065306597
    // rate = (1 - a) * 1 / 0.5 + a * 1 = 0.7869386806 + 0.6065306597 = 1.3934693403
    CHECK_FALSE(exim_ratelimit(kLeaky10PerHour, s, 30 * kMinute));
    CHECK(s.rate == Approx(1.3934693403).epsilon(1e-10));
    CHECK(s.last == 30 * kMinute);

    // 3 h later: i/p = 3, a = exp(-3) = 0.0497870684
    // rate = 0.9502129316 / 3 + a * 1.3934693403 = 0.3167376439 + 0.0693767679 = 0.3861144118,
    // below count 1: "if (dbd->rate < count) dbd->rate = count;" -> 1.
    CHECK(exim_smoothed_rate(kLeaky10PerHour, s, 3 * kHour + 30 * kMinute) == 1.0);
    CHECK_FALSE(exim_ratelimit(kLeaky10PerHour, s, 3 * kHour + 30 * kMinute));
    CHECK(s.rate == 1.0);

    // 6 min later: i/p = 0.1, a = exp(-0.1) = 0.9048374180
    // rate = 0.0951625820 / 0.1 + a * 1 = 0.9516258196 + 0.9048374180 = 1.8564632376
    CHECK_FALSE(exim_ratelimit(kLeaky10PerHour, s, 3 * kHour + 36 * kMinute));
    CHECK(s.rate == Approx(1.8564632376).epsilon(1e-10));

    // count 0 (acl.c's readonly mode computes with count 0) is the pure decay: after 1 h the
    // rate is a * rate = exp(-1) * 1.8564632376 = 0.6829546584, and no floor applies.
    CHECK(exim_smoothed_rate(kLeaky10PerHour, s, 4 * kHour + 36 * kMinute, 0.0) ==
          Approx(0.6829546584).epsilon(1e-10));
}

TEST_CASE("exim ratelimit: the same instant counts as 1e-9 s, a burst adds count each time",
          "[ratelimit]") {
    // "interval = this_time - prev_time <= 0.0 ? 1e-9 : ..." -> a = exp(-1e-9/3600) ~ 1 and
    // (1 - a) * count / (i/p) ~ count: rate ~ 1, 2, 3, ... (1 - a loses digits here, as in Exim).
    const EximRatelimit cfg{10.5, kHour, false};
    EximRateState s;
    int accepted = 0;
    for (int i = 0; i < 12; ++i)
        accepted += exim_ratelimit(cfg, s, 5 * kSecond) ? 0 : 1;
    CHECK(accepted == 10);  // rates ~1..10 are below 10.5, ~11 is not
    CHECK(s.rate == Approx(10.0).epsilon(1e-6));
}

TEST_CASE("exim ratelimit: a fast burst is allowed about `limit` messages", "[ratelimit]") {
    // acl.c: "for large sending rates, p/i, the number of messages N = limit". One message a
    // second against 10/h: rates 1, 1.9996, 2.9989, ..., 9.9863 (10th), 10.9834 (11th).
    EximRateState s;
    int accepted = 0;
    for (int i = 0; i < 20; ++i)
        accepted += exim_ratelimit(kLeaky10PerHour, s, i * kSecond) ? 0 : 1;
    CHECK(accepted == 10);
    CHECK(s.rate == Approx(9.9862624915).epsilon(1e-9));  // leaky: the 10th message's rate
}

TEST_CASE("exim ratelimit: a rate equal to the limit is over it", "[ratelimit]") {
    // "Clients sending at the limit are considered to be over the limit."
    // "rc = (dbd->rate < limit)? FAIL : OK;" A new key's rate is exactly count.
    EximRateState s;
    CHECK(exim_ratelimit(EximRatelimit{5.0, kHour, false}, s, 0, 5.0));  // 5 recipients, m = 5
    CHECK_FALSE(s.has_sample());                                         // leaky: not written
    CHECK_FALSE(exim_ratelimit(EximRatelimit{5.0000001, kHour, false}, s, 0, 5.0));
    CHECK(s.rate == 5.0);

    SECTION("a limit of zero blocks everything, even count 0") {
        EximRateState z;
        CHECK(exim_ratelimit(EximRatelimit{0.0, kHour, true}, z, 0, 0.0));
    }
    SECTION("a limit at or below count blocks every message: the rate never drops below count") {
        EximRateState one;
        const EximRatelimit m1{1.0, kHour, false};
        CHECK(exim_ratelimit(m1, one, 0));
        CHECK(exim_ratelimit(m1, one, 7 * kDay));
        const EximRatelimit m1s{1.0, kHour, true};
        CHECK(exim_ratelimit(m1s, one, 8 * kDay));
        CHECK(exim_ratelimit(m1s, one, 30 * kDay));
        CHECK(one.rate == 1.0);
    }
}

TEST_CASE("exim ratelimit: leaky leaves the record alone when over, strict always writes",
          "[ratelimit]") {
    const EximRateState peak{20.0, 0};
    // 6 min later: a = exp(-0.1) = 0.9048374180; rate = 0.9516258196 + 0.9048374180 * 20
    // = 19.0483741804 >= 10: over in both modes.
    EximRateState leaky = peak, strict = peak;
    CHECK(exim_ratelimit(kLeaky10PerHour, leaky, 6 * kMinute));
    CHECK(exim_ratelimit(kStrict10PerHour, strict, 6 * kMinute));
    CHECK(leaky.rate == 20.0);  // "ratelimit db not updated: over the limit, but leaky"
    CHECK(leaky.last == 0);     // the time stamp is not written either
    CHECK(strict.rate == Approx(19.0483741804).epsilon(1e-10));
    CHECK(strict.last == 6 * kMinute);
}

TEST_CASE("exim ratelimit: a client that keeps sending over the limit", "[ratelimit]") {
    // One message every 100 s (36/h) against 10/h for a day; messages accepted in each hour.
    using PerHour = std::array<int, 24>;
    auto run = [](const EximRatelimit& cfg, PerHour& per_hour) {
        EximRateState s;
        per_hour.fill(0);
        for (SimTime t = 0; t < kDay; t += 100 * kSecond) {
            if (!exim_ratelimit(cfg, s, t)) ++per_hour[static_cast<std::size_t>(t / kHour)];
            if (!cfg.strict) REQUIRE(s.rate < cfg.limit);  // leaky never stores an over rate
        }
        return s;
    };
    PerHour leaky{}, strict{};
    const EximRateState ls = run(kLeaky10PerHour, leaky);
    const EximRateState ss = run(kStrict10PerHour, strict);

    SECTION("strict counts every attempt: after the first burst it stays blocked") {
        CHECK(strict[0] == 11);
        for (std::size_t h = 1; h < 24; ++h)
            CHECK(strict[h] == 0);
        CHECK(ss.rate == Approx(36.0).epsilon(1e-6));  // p / i = 3600 s / 100 s
    }
    SECTION("leaky counts what got through: it lets the client through at about the limit") {
        CHECK(std::accumulate(leaky.begin(), leaky.end(), 0) == 245);
        CHECK(leaky[0] == 18);  // the burst of 10, then the steady rate
        for (std::size_t h = 1; h < 24; ++h) {
            CHECK(leaky[h] >= 9);  // one every 300 or 400 s
            CHECK(leaky[h] <= 11);
        }
        CHECK(ls.rate < 10.0);
    }
}

TEST_CASE("exim ratelimit: a strict client must wait about ln(peak/max) smoothing periods",
          "[ratelimit]") {
    // Spec, "Ratelimit options for handling fast clients": the time "(the number of smoothing
    // periods) it must wait and not attempt to send mail" is ln(peakrate/maxrate); acl.c: "It
    // takes ln(pop/limit) periods for an over-limit burst of pop events to decay below the
    // limit". Peak 100/h, max 10/h: ln(10) = 2.302585 periods = 8289.3 s.
    const EximRateState peak{100.0, 0};
    const SimTime ln_wait = std::llround(std::log(10.0) * kHour);

    // The old rate decays to exactly the limit then: a = exp(-ln 10) = 0.1, 0.1 * 100 = 10.
    CHECK(exim_smoothed_rate(kStrict10PerHour, peak, ln_wait, 0.0) == Approx(10.0));

    // But the next message adds its own (1 - a) / (i/p) = 0.9 / 2.302585 = 0.390865:
    // 10.390865 >= 10, still over. Solving 100 e^-x + (1 - e^-x) / x = 10 gives x = 2.341944
    // periods = 8431.0 s: ln(peak/max) is the decay alone, the real wait is ~1.7% longer.
    EximRateState s = peak;
    CHECK(exim_smoothed_rate(kStrict10PerHour, s, ln_wait) == Approx(10.390865).epsilon(1e-6));
    CHECK(exim_ratelimit(kStrict10PerHour, s, ln_wait));
    s = peak;
    CHECK(exim_ratelimit(kStrict10PerHour, s, 8430 * kSecond));
    s = peak;
    CHECK_FALSE(exim_ratelimit(kStrict10PerHour, s, 8432 * kSecond));

    SECTION("strict: an attempt during the wait restarts it") {
        EximRateState early = peak;
        REQUIRE(exim_ratelimit(kStrict10PerHour, early, ln_wait));  // written: 10.390865
        CHECK(exim_ratelimit(kStrict10PerHour, early, 8432 * kSecond));
    }
    SECTION("leaky: a refused attempt changes nothing") {
        EximRateState early = peak;
        REQUIRE(exim_ratelimit(kLeaky10PerHour, early, ln_wait));
        CHECK_FALSE(exim_ratelimit(kLeaky10PerHour, early, 8432 * kSecond));
    }
}

TEST_CASE("exim ratelimit rejects what acl_ratelimit refuses, and time going backwards",
          "[ratelimit]") {
    EximRateState s;
    CHECK_THROWS_AS(exim_ratelimit(EximRatelimit{-1.0, kHour, false}, s, 0), std::invalid_argument);
    CHECK_THROWS_AS(exim_ratelimit(EximRatelimit{10.0, 0, false}, s, 0), std::invalid_argument);
    CHECK_THROWS_AS(exim_ratelimit(kLeaky10PerHour, s, 0, -1.0), std::invalid_argument);
    CHECK_THROWS_AS(exim_ratelimit(kLeaky10PerHour, s, 0, std::nan("")), std::invalid_argument);
    CHECK_FALSE(s.has_sample());
    REQUIRE_FALSE(exim_ratelimit(kLeaky10PerHour, s, kHour));
    CHECK_THROWS_AS(exim_ratelimit(kLeaky10PerHour, s, kHour - 1), std::invalid_argument);
    CHECK_THROWS_AS(exim_smoothed_rate(kLeaky10PerHour, s, kHour - 1), std::invalid_argument);
}
