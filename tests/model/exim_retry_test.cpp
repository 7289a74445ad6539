// exim_retry_test.cpp - Exim retry rules: parsing, retry_update arithmetic, host status, and
// the full history of a message to a dead host under the default rule, checked against the
// fact sheet (shared/domain/mta-behaviour.md 2.1) and against Exim's retry.c.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "model/exim_retry.hpp"

using namespace mxsim::model;
using mxsim::sim::kDay;
using mxsim::sim::kHour;
using mxsim::sim::kMinute;
using mxsim::sim::kSecond;
using mxsim::sim::SimTime;

namespace {

const char* const kDefaultRules = "F,2h,15m; G,16h,1h,1.5; F,4d,6h";

std::vector<SimTime> in_seconds(std::initializer_list<std::int64_t> s) {
    std::vector<SimTime> out;
    for (std::int64_t v : s)
        out.push_back(v * kSecond);
    return out;
}

// t0, t0 + step, ... count values.
std::vector<SimTime> steps(SimTime t0, SimTime step, int count) {
    std::vector<SimTime> out;
    for (int i = 0; i < count; ++i)
        out.push_back(t0 + i * step);
    return out;
}

std::vector<SimTime> concat(std::initializer_list<std::vector<SimTime>> parts) {
    std::vector<SimTime> out;
    for (const auto& p : parts)
        out.insert(out.end(), p.begin(), p.end());
    return out;
}

// Exim's configure.default: "begin retry" / "*  *  F,2h,15m; G,16h,1h,1.5; F,4d,6h", written
// out by hand: F every 15 min up to 2 h, then G from 1 h growing by 1.5 up to 16 h, then F
// every 6 h up to 4 d = 96 h. An F rule has no multiplier (1).
struct WantRule {
    char kind;
    SimTime cutoff, interval;
    double multiplier;
};
const std::vector<WantRule> kConfigureDefault{{'F', 2 * kHour, 15 * kMinute, 1.0},
                                              {'G', 16 * kHour, 1 * kHour, 1.5},
                                              {'F', 96 * kHour, 6 * kHour, 1.0}};

void check_configure_default(const std::vector<EximRetryRule>& rules) {
    REQUIRE(rules.size() == kConfigureDefault.size());
    for (std::size_t i = 0; i < rules.size(); ++i) {
        INFO("rule " << i + 1);
        CHECK(rules[i].kind == kConfigureDefault[i].kind);
        CHECK(rules[i].cutoff == kConfigureDefault[i].cutoff);
        CHECK(rules[i].interval == kConfigureDefault[i].interval);
        CHECK(rules[i].multiplier == kConfigureDefault[i].multiplier);
    }
}

}  // namespace

TEST_CASE("the default Exim retry rule parses to Exim's configure.default", "[exim]") {
    check_configure_default(parse_exim_retry_rules(kDefaultRules));
}

TEST_CASE("the scenario default of an Exim MTA is Exim's configure.default rule", "[exim]") {
    check_configure_default(EximQueueSpec{}.retry_rules);
}

TEST_CASE("Exim retry rules accept lower case letters, spaces and a trailing semicolon", "[exim]") {
    const auto rules = parse_exim_retry_rules("  f , 2h , 15m ; g,16h,1h,2.25 ;");
    REQUIRE(rules.size() == 2);
    CHECK(rules[0].kind == 'F');
    CHECK(rules[1].kind == 'G');
    CHECK(rules[1].multiplier == 2.25);
    CHECK(parse_exim_retry_rules("F,1d12h,1h30m")[0].cutoff == 36 * kHour);
}

TEST_CASE("bad Exim retry rules are rejected with the rule and the problem", "[exim]") {
    struct Bad {
        const char* text;
        const char* says;
    };
    for (const Bad& b : std::vector<Bad>{
             {"", "empty list"},
             {"   ", "empty list"},
             {"X,2h,15m", "unknown rule letter \"X\""},
             {"FF,2h,15m", "unknown rule letter"},
             {",2h,15m", "unknown rule letter"},
             {"H,2h,15m,2", "H (randomized geometric) rules are not supported"},
             {"F,2h", "missing field (F,cutoff,interval)"},
             {"G,16h,1h", "missing field (G,cutoff,interval,multiplier)"},
             {"F,2h,15m,3", "extra field"},
             {"F,2x,15m", "bad cutoff"},
             {"F,2h,15", "bad interval"},  // Exim's readconf_readtime wants a unit
             {"F,,15m", "bad cutoff"},
             {"F,0s,15m", "cutoff must be greater than zero"},
             {"F,2h,0m", "interval must be greater than zero"},
             {"F,2h,500ms", "interval must be whole seconds"},
             {"G,16h,1h,1", "the G multiplier must be greater than 1"},
             {"G,16h,1h,0.5", "the G multiplier must be greater than 1"},
             {"G,16h,1h,1e300", "the G multiplier must be at most 1000"},
             {"G,16h,1h,abc", "bad multiplier \"abc\""},
             {"G,16h,1h,1.5x", "bad multiplier"},
             {"F,2h,15m;;F,4d,6h", "empty rule"},
             {"F,2h,15m; F,2h,30m", "cutoff must be greater than the previous rule's cutoff"},
         }) {
        INFO(b.text);
        CHECK_THROWS_AS(parse_exim_retry_rules(b.text), std::invalid_argument);
        CHECK_THROWS_WITH(parse_exim_retry_rules(b.text), Catch::Contains(b.says));
    }
    CHECK_THROWS_WITH(parse_exim_retry_rules("F,2h,15m; F,1h,15m"),
                      Catch::Contains("rule 2 \"F,1h,15m\""));
    CHECK_THROWS_WITH(parse_exim_retry_rules("F,2h,15m; G,16h,1h"),
                      Catch::Contains("rule 2 \"G,16h,1h\""));
}

// A host that always fails, tried whenever Exim allows (an ideal queue runner), message and
// first failure at t = 0, rules of configure.default worked out by hand from retry.c
// (retry_update: the rule is the first with failing_interval <= its cutoff; F: gap = p1;
// G: lastgap = min(next_try - last_try, now - last_try), gap = p1 if lastgap < p1, else
// lastgap * 1.5 truncated to whole seconds; next_try = now + gap). Try times in hours:
//   0, 0.25, ..., 2.0     F,2h,15m: 9 tries (2 h itself is still "<= 2 h", so still F)
//   2.25                  2.0 + 0.25 (the last F gap)
//   3.25                  failing 2.25 h > 2 h: G; lastgap min(0.25, 0.25) < 1 h: gap 1 h
//   4.75                  lastgap 1 h (not < 1 h): 1 x 1.5 = 1.5 h
//   7.0                   1.5 x 1.5 = 2.25 h
//   10.375                2.25 x 1.5 = 3.375 h
//   15.4375               3.375 x 1.5 = 5.0625 h
//   23.0311               5.0625 x 1.5 = 7.59375 h = 27337.5 s -> 27337 s;
//                         55575 s + 27337 s = 82912 s (still G: failing 15.44 h <= 16 h)
//   29.03, ..., 95.03     failing 23.03 h > 16 h: F,4d,6h; 82912 s + k x 21600 s, k = 1..12
//   96 h + 1 s            next_try would be 95.03 + 6 = 101.03 h, but the message is older
//                         than the last cutoff (96 h), so retry_check_address lets it through
//                         via retry_ultimate_address_timeout ("now - received > 96 h", true
//                         first at 345601 s); it fails, failing_interval > 96 h, the record
//                         expires and the address bounces "retry timeout exceeded".
// 9 + 6 + 13 + 1 = 29 tries.
// The fact sheet expects 8 tries in the first 2 h, then 3, 4.5, 6.75, 10.1, 15.2, 22.8 h,
// every 6 h, about 28 tries and a bounce at about 100.8 h: it starts the G rule at 2 h
// instead of at the first failure after 2 h, and misses the ultimate address timeout.
TEST_CASE("the default rule against a dead host, tried whenever allowed", "[exim]") {
    const auto rules = parse_exim_retry_rules(kDefaultRules);
    const EximDeadHostHistory h = exim_failing_host_schedule(rules, 0, 0);
    const std::vector<SimTime> want =
        concat({steps(0, 15 * kMinute, 9),                              // 0 .. 2 h
                in_seconds({8100, 11700, 17100, 25200, 37350, 55575}),  // 2.25 .. 15.4375 h
                steps(82912 * kSecond, 6 * kHour, 13),                  // 23.0311 .. 95.0311 h
                in_seconds({345601})});                                 // 96 h + 1 s
    CHECK(h.tries == want);
    CHECK(h.tries.size() == 29);
    CHECK(h.bounced_at == 96 * kHour + kSecond);
    CHECK_FALSE(h.bounced_without_try);
}

// exim -q30m, runs at 0, 30 min, ...: a try happens at the first run at or after next_try.
// Worked out by hand as above (hours; "-> n" is the next_try the failure sets):
//   0 (arrival) -> 0.25; 0.5 -> 0.75; 1.0 -> 1.25; 1.5 -> 1.75; 2.0 (still F) -> 2.25
//   2.5    G: lastgap = min(predicted 0.25, actual 0.5) = 0.25 < 1 h: gap 1 h -> 3.5
//   3.5    lastgap min(1, 1) = 1: 1.5 h -> 5.0
//   5.0    lastgap 1.5: 2.25 h -> 7.25 (no run at 7.25; the next is 7.5)
//   7.5    lastgap = predicted 2.25 h, not the actual 2.5 h: 3.375 h -> 10.875
//   11.0   lastgap min(3.375, 3.5) = 3.375: 5.0625 h -> 16.0625
//   16.5   failing 16.5 h > 16 h: F,4d,6h -> 22.5
//   22.5, 28.5, ..., 94.5   every 6 h (13 tries); next_try 100.5
//   96.5   the first run at which the message is older than 96 h (at 96.0 it is exactly
//          96 h old, not older): tried, fails, bounces.
// 6 + 5 + 13 + 1 = 25 tries.
TEST_CASE("the default rule with a 30 minute queue runner", "[exim]") {
    const auto rules = parse_exim_retry_rules(kDefaultRules);
    const EximDeadHostHistory h = exim_failing_host_schedule(rules, 0, 30 * kMinute);
    const std::vector<SimTime> want = concat({steps(0, 30 * kMinute, 6),  // 0 .. 2.5 h
                                              in_seconds({12600, 18000, 27000, 39600, 59400}),
                                              steps(81000 * kSecond, 6 * kHour, 13),  // ..94.5 h
                                              in_seconds({347400})});                 // 96.5 h
    CHECK(h.tries == want);
    CHECK(h.tries.size() == 25);
    CHECK(h.bounced_at == 96 * kHour + 30 * kMinute);
}

TEST_CASE("a queue runner phase shifts every try to its own grid", "[exim]") {
    const auto rules = parse_exim_retry_rules("F,1h,15m");
    // Arrival (and first failure) at 5 min, runs at 10 min + k * 20 min: tries at 5, then at
    // the first runs at or after next_try: 30 (>= 20), 50 (>= 45), 70 (>= 65): failing for
    // 65 min > 1 h, so the host expires and the address bounces.
    const EximDeadHostHistory h =
        exim_failing_host_schedule(rules, 5 * kMinute, 20 * kMinute, 10 * kMinute);
    CHECK(h.tries == std::vector<SimTime>{5 * kMinute, 30 * kMinute, 50 * kMinute, 70 * kMinute});
    CHECK(h.bounced_at == 70 * kMinute);
}

TEST_CASE("retry_update arithmetic for F and G rules", "[exim]") {
    const auto rules = parse_exim_retry_rules(kDefaultRules);
    SECTION("the first failure creates the record") {
        const EximFailure f = exim_after_failure(rules, std::nullopt, 100 * kSecond, 0);
        CHECK(f.record.first_failed == 100 * kSecond);
        CHECK(f.record.last_try == 100 * kSecond);
        CHECK(f.record.next_try == 100 * kSecond + 15 * kMinute);
        CHECK_FALSE(f.record.expired);
        CHECK_FALSE(f.timed_out);
    }
    SECTION("a late try grows the G gap from the predicted gap, not the actual one") {
        const EximRetryRecord r{0, 5 * kHour, 7 * kHour, false};           // predicted 2 h
        const EximFailure f = exim_after_failure(rules, r, 9 * kHour, 0);  // actual 4 h
        CHECK(f.record.next_try == 9 * kHour + 3 * kHour);
    }
    SECTION("an early try (forced) grows it from the actual gap") {
        const EximRetryRecord r{0, 5 * kHour, 7 * kHour, false};
        const EximFailure f = exim_after_failure(rules, r, 6 * kHour, 0);  // actual 1 h
        CHECK(f.record.next_try == 6 * kHour + 90 * kMinute);
    }
    SECTION("fractional seconds are truncated as time(NULL) does") {
        const EximFailure f = exim_after_failure(rules, std::nullopt, 1500 * 1000, 0);  // 1.5 s
        CHECK(f.record.first_failed == kSecond);
        CHECK(f.record.next_try == kSecond + 15 * kMinute);
    }
}

TEST_CASE("retry_interval_max caps every interval", "[exim]") {
    const auto rules = parse_exim_retry_rules("G,10d,1h,10");
    const EximRetryRecord r{0, 10 * kHour, 20 * kHour, false};  // lastgap 10 h -> 100 h
    CHECK(exim_after_failure(rules, r, 20 * kHour, 0).record.next_try == 44 * kHour);
    EximRetryOptions o;
    o.retry_interval_max = 50 * kHour;
    CHECK(exim_after_failure(rules, r, 20 * kHour, 0, o).record.next_try == 70 * kHour);
}

TEST_CASE("a record older than retry_data_expire is ignored", "[exim]") {
    const auto rules = parse_exim_retry_rules(kDefaultRules);
    const EximRetryRecord old{0, kHour, 7 * kHour, true};
    const SimTime now = kHour + 7 * kDay + kSecond;
    CHECK(exim_host_status(rules, old, now, now) == EximHostStatus::Usable);
    const EximFailure f = exim_after_failure(rules, old, now, now);
    CHECK(f.record.first_failed == now);
    CHECK_FALSE(f.record.expired);
    CHECK_FALSE(f.timed_out);
    // One second earlier it still counts.
    CHECK(exim_after_failure(rules, old, now - kSecond, now).record.first_failed == 0);
}

TEST_CASE("no retry rules: the first failure times out", "[exim]") {
    const EximFailure f = exim_after_failure({}, std::nullopt, kHour, kHour);
    CHECK(f.timed_out);
    CHECK(f.record.expired);
    CHECK(f.record.next_try == kHour);
}

TEST_CASE("the message is older than the last cutoff before the host is", "[exim]") {
    // retry_update's "on queue longer than maximum retry": the host began failing after the
    // message arrived (received <= first_failed), so the host has not expired, but the message
    // is older than the final cutoff: the item times out and next_try is now.
    const auto rules = parse_exim_retry_rules("F,1h,15m");
    const EximFailure first = exim_after_failure(rules, std::nullopt, 30 * kMinute, 0);
    CHECK_FALSE(first.timed_out);
    const EximFailure late = exim_after_failure(rules, first.record, 75 * kMinute, 0);
    CHECK(late.timed_out);
    CHECK_FALSE(late.record.expired);
    CHECK(late.record.next_try == 75 * kMinute);
}

TEST_CASE("host status: retry wait, the ultimate address timeout, expiry", "[exim]") {
    const auto rules = parse_exim_retry_rules(kDefaultRules);
    const SimTime cutoff = 96 * kHour;
    const EximRetryRecord waiting{0, 342112 * kSecond, 363712 * kSecond, false};
    CHECK(exim_host_status(rules, std::nullopt, 0, 0) == EximHostStatus::Usable);
    CHECK(exim_host_status(rules, waiting, cutoff, 0) == EximHostStatus::Unusable);
    CHECK(exim_host_status(rules, waiting, cutoff + kSecond, 0) == EximHostStatus::Usable);
    CHECK(exim_next_allowed_try(rules, waiting, cutoff, 0) == cutoff + kSecond);
    // A message that arrived later waits for next_try.
    CHECK(exim_next_allowed_try(rules, waiting, cutoff, 10 * kHour) == 363712 * kSecond);
    CHECK(exim_try_decision(rules, waiting, cutoff, 10 * kHour) == EximAction::Defer);

    // The try at 96 h + 1 s expires the host; next_try is computed from the final rule.
    const EximFailure f = exim_after_failure(rules, waiting, cutoff + kSecond, 0);
    CHECK(f.timed_out);
    CHECK(f.record.expired);
    CHECK(f.record.next_try == cutoff + kSecond + 6 * kHour);
    const EximRetryRecord dead = f.record;
    CHECK(exim_host_status(rules, dead, 98 * kHour, 98 * kHour) == EximHostStatus::UnusableExpired);
    CHECK(exim_host_status(rules, dead, dead.next_try, 98 * kHour) ==
          EximHostStatus::UsableExpired);
}

TEST_CASE("new mail to a long-dead host: delay_after_cutoff", "[exim]") {
    const auto rules = parse_exim_retry_rules(kDefaultRules);
    const EximRetryRecord dead{0, 345601 * kSecond, 367201 * kSecond, true};
    const SimTime arrival = 98 * kHour;

    SECTION("true (default): bounced at once without a try until next_try") {
        const auto h = exim_failing_host_schedule(rules, arrival, 30 * kMinute, 0, dead);
        CHECK(h.tries.empty());
        CHECK(h.bounced_without_try);
        CHECK(h.bounced_at == arrival);
        // At or after next_try it is tried, fails and times out at once.
        const auto later = exim_failing_host_schedule(rules, dead.next_try, 0, 0, dead);
        CHECK(later.tries == std::vector<SimTime>{dead.next_try});
        CHECK_FALSE(later.bounced_without_try);
    }
    SECTION("false: tried once if the host was last tried before the message arrived") {
        EximRetryOptions o;
        o.delay_after_cutoff = false;
        CHECK(exim_try_decision(rules, dead, arrival, arrival, o) == EximAction::Try);
        const auto h = exim_failing_host_schedule(rules, arrival, 30 * kMinute, 0, dead, o);
        CHECK(h.tries == std::vector<SimTime>{arrival});
        CHECK(h.bounced_at == arrival);
        // A message older than the host's last try is failed without a try.
        CHECK(exim_try_decision(rules, dead, arrival, 90 * kHour, o) == EximAction::Bounce);
    }
}

TEST_CASE("a message arriving while the host waits is deferred, not tried", "[exim]") {
    const auto rules = parse_exim_retry_rules(kDefaultRules);
    const EximRetryRecord r{0, 0, 15 * kMinute, false};
    CHECK(exim_try_decision(rules, r, 5 * kMinute, 5 * kMinute) == EximAction::Defer);
    // Its history: deferred on arrival, tried at the host's next_try, and so on.
    const auto h = exim_failing_host_schedule(rules, 5 * kMinute, 0, 0, r);
    REQUIRE(h.tries.size() >= 2);
    CHECK(h.tries[0] == 15 * kMinute);
    CHECK(h.tries[1] == 30 * kMinute);
    // The host has failed since 0 and waits for 101.03 h after its try at 95.03 h; the
    // message itself passes the 96 h cutoff at 96 h 5 min, is tried one second later
    // (retry_ultimate_address_timeout), fails and bounces.
    CHECK(h.tries.size() == 28);
    CHECK(h.bounced_at == 96 * kHour + 5 * kMinute + kSecond);
}

TEST_CASE("exim functions refuse rule kinds they do not implement", "[exim]") {
    const std::vector<EximRetryRule> h_rule{{'H', kHour, kMinute, 2.0}};
    CHECK_THROWS_AS(exim_after_failure(h_rule, std::nullopt, 0, 0), std::invalid_argument);
    CHECK_THROWS_AS(exim_failing_host_schedule({}, 0, -1), std::invalid_argument);
}
