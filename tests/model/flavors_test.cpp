// flavors_test.cpp - Exim and Sendmail queues inside the running world:
// the same dead destination, retried on each MTA's own schedule.
#include <catch2/catch.hpp>

#include <vector>

#include "model/world.hpp"
#include "scenario_builder.hpp"

using namespace mxsim;
using namespace mxsim::testing;

namespace {

std::vector<SimTime> tries(const World& w) {
    std::vector<SimTime> out;
    for (const TraceRecord& t : w.trace())
        if (t.msg == 0 && t.stage == "connect")
            out.push_back(sim::whole_seconds(t.t) * sim::kSecond);
    return out;
}

}  // namespace

TEST_CASE("Exim: the default retry rule with -q30m, against a dead host", "[model][exim]") {
    Scenario s = sender_and_dest(false);
    s.hosts[0].mta->flavor = MtaFlavor::Exim;
    s.hosts[1].outages.push_back({{0, 30 * sim::kDay}, OutageMode::Refuse});
    add_message(s, 0, "alice@sender.example", "bob@dest.example", "mx.sender.example");
    World w(s, {1, 0, true});
    w.run();
    const std::vector<SimTime> got = tries(w);
    // The whole history, worked out by hand from retry.c for configure.default's rule
    // "F,2h,15m; G,16h,1h,1.5; F,4d,6h" and queue runs every 30 min (the arithmetic, try by
    // try, is in exim_retry_test.cpp, "the default rule with a 30 minute queue runner"):
    // F,2h,15m cut by the runs: 0 .. 2.5 h; G from a 1 h gap growing by 1.5: 3.5, 5.0, 7.5,
    // 11.0, 16.5 h; F,4d,6h: 22.5 .. 94.5 h every 6 h; 96.5 h: the first run past the 4 d
    // cutoff, tried and returned.
    std::vector<double> hours{0, 0.5, 1, 1.5, 2, 2.5, 3.5, 5.0, 7.5, 11.0, 16.5};
    for (double h = 22.5; h <= 94.5; h += 6)
        hours.push_back(h);
    hours.push_back(96.5);
    REQUIRE(hours.size() == 25);
    std::vector<SimTime> expected;
    for (const double h : hours)
        expected.push_back(static_cast<SimTime>(h * 3600) * sim::kSecond);
    CHECK(got == expected);
    CHECK(w.messages()[0].fate == Fate::Expired);
}

TEST_CASE("Exim: a second message to a host in retry wait is held without a try", "[model][exim]") {
    Scenario s = sender_and_dest(false);
    s.duration = 2 * sim::kHour;
    s.hosts[0].mta->flavor = MtaFlavor::Exim;
    s.hosts[1].outages.push_back({{0, 30 * sim::kDay}, OutageMode::Refuse});
    add_message(s, 0, "alice@sender.example", "bob@dest.example", "mx.sender.example");
    add_message(s, 5 * sim::kMinute, "alice@sender.example", "bob@dest.example",
                "mx.sender.example");
    World w(s, {1, 0, true});
    w.run();
    bool held = false, tried_at_arrival = false;
    for (const TraceRecord& t : w.trace()) {
        if (t.msg != 1 || sim::whole_seconds(t.t) != 300) continue;
        held |= t.reason == "retry time not reached for any host";
        tried_at_arrival |= t.stage == "connect";
    }
    CHECK(held);
    CHECK_FALSE(tried_at_arrival);
}

TEST_CASE("Sendmail: every queue run tries every message, queuereturn returns it",
          "[model][sendmail]") {
    Scenario s = sender_and_dest(false);
    s.hosts[0].mta->flavor = MtaFlavor::Sendmail;
    s.hosts[1].outages.push_back({{0, 30 * sim::kDay}, OutageMode::Refuse});
    add_message(s, 0, "alice@sender.example", "bob@dest.example", "mx.sender.example");
    World w(s, {1, 0, true});
    const RunResults r = w.run();
    const std::vector<SimTime> got = tries(w);
    REQUIRE(got.size() > 3);
    CHECK(got[1] == 15 * sim::kMinute);  // -q15m
    CHECK(got[2] == 30 * sim::kMinute);
    CHECK(got.back() == 5 * sim::kDay);  // Timeout.queuereturn, noticed at that run
    CHECK(w.messages()[0].fate == Fate::Expired);
    // Timeout.queuewarn = 4h: one delay warning to alice.
    CHECK(r.fates[size_t(Origin::DelayWarning)][size_t(Fate::Delivered)] == 1);
}

TEST_CASE("Postfix delay_warning_time sends one delayed-mail notice", "[model][postfix]") {
    Scenario s = sender_and_dest(false);
    s.duration = sim::kDay;
    s.hosts[0].mta->postfix.delay_warning_time = 4 * sim::kHour;
    s.hosts[1].outages.push_back({{0, 30 * sim::kDay}, OutageMode::Refuse});
    add_message(s, 0, "alice@sender.example", "bob@dest.example", "mx.sender.example");
    World w(s, {1, 0, true});
    const RunResults r = w.run();
    CHECK(r.fates[size_t(Origin::DelayWarning)][size_t(Fate::Delivered)] == 1);
    // Sent at the first failed attempt at or after 4 h - 1 s: 17400 s on the 4200 s grid.
    for (const TraceRecord& t : w.trace())
        if (t.msg == 1) {
            CHECK(sim::whole_seconds(t.t) == 17400);
            break;
        }
}

TEST_CASE("Exim keeps retry hints per host: a dead MX is skipped, the next one is used",
          "[model][exim]") {
    Scenario s = sender_and_dest(false);
    s.duration = sim::kHour;
    s.hosts[0].mta->flavor = MtaFlavor::Exim;
    s.hosts[1].outages.push_back({{0, 30 * sim::kDay}, OutageMode::Refuse});
    add_host(s, "mx2.dest.example", postfix_for({"dest.example"}));
    s.domains[1].initial.mx = {{10, "mx1.dest.example"}, {20, "mx2.dest.example"}};
    add_message(s, 0, "alice@sender.example", "bob@dest.example", "mx.sender.example");
    add_message(s, 5 * sim::kMinute, "alice@sender.example", "bob@dest.example",
                "mx.sender.example");
    World w(s, {1, 0, true});
    w.run();
    CHECK(w.messages()[0].fate == Fate::Delivered);
    CHECK(w.messages()[1].fate == Fate::Delivered);
    int first_to_mx1 = 0, second_to_mx1 = 0;
    for (const TraceRecord& t : w.trace())
        if (t.to == "mx1.dest.example") (t.msg == 0 ? first_to_mx1 : second_to_mx1) += 1;
    CHECK(first_to_mx1 == 1);   // tried, refused: a retry record for mx1
    CHECK(second_to_mx1 == 0);  // mx1's retry time (15 min) not reached: skipped
}
