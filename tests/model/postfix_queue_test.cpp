// postfix_queue_test.cpp - Postfix's queue manager, rule by rule
// (shared/domain/postfix-queue.md, recorded from Postfix 3.7.11).
#include <catch2/catch.hpp>

#include <algorithm>
#include <vector>

#include "model/destination_window.hpp"
#include "model/postfix_queue.hpp"
#include "model/world.hpp"
#include "scenario_builder.hpp"

using namespace mxsim;
using namespace mxsim::testing;

namespace {

// Whole seconds at which message `m` made a real connection attempt.
std::vector<std::int64_t> connect_seconds(const std::vector<TraceRecord>& trace, MessageId m,
                                          const std::string& to) {
    std::vector<std::int64_t> out;
    for (const TraceRecord& t : trace)
        if (t.msg == m && t.stage == "connect" && t.to == to)
            out.push_back(sim::whole_seconds(t.t));
    return out;
}

}  // namespace

TEST_CASE("rule 2: the backoff is the message's age, clamped, expiry only after a failure",
          "[model][postfix]") {
    const PostfixQueueSpec q;  // 300 / 300 / 4000 / 5d / 5d
    PostfixDeferral d = postfix_after_failure(q, 0, 0, false, false);
    CHECK_FALSE(d.expired);
    CHECK(d.due_s == 300);  // age 0 clamped up to minimal_backoff_time
    CHECK(postfix_after_failure(q, 0, 1200, false, false).due_s == 2400);
    CHECK(postfix_after_failure(q, 0, 9000, false, false).due_s == 13000);  // clamped to 4000
    CHECK_FALSE(postfix_after_failure(q, 0, 431999, false, false).expired);
    CHECK(postfix_after_failure(q, 0, 432000, false, false).expired);
    PostfixQueueSpec shorter = q;
    shorter.bounce_queue_lifetime = sim::kDay;  // null-sender mail uses bounce_queue_lifetime
    CHECK(postfix_after_failure(shorter, 0, 86400, true, false).expired);
    CHECK_FALSE(postfix_after_failure(shorter, 0, 86400, false, false).expired);
}

TEST_CASE("rule 3: a scan takes messages due up to one second later", "[model][postfix]") {
    PostfixQueueSpec q;
    CHECK(postfix_scan_time_s(q, postfix_scan_slot(q, 300)) == 300);
    CHECK(postfix_scan_time_s(q, postfix_scan_slot(q, 301)) == 300);  // one second early
    CHECK(postfix_scan_time_s(q, postfix_scan_slot(q, 302)) == 600);
    CHECK(postfix_scan_time_s(q, postfix_scan_slot(q, 13000)) == 13200);
    q.scan_phase = 17 * sim::kSecond;  // the grid's phase is a parameter
    CHECK(postfix_scan_time_s(q, postfix_scan_slot(q, 300)) == 317);
    CHECK(postfix_scan_time_s(q, postfix_scan_slot(q, 318)) == 317);
}

TEST_CASE(
    "a message to a dead host is tried at 0, 300, 600, 1200, 2400, 4800, 9000, 13200 s, "
    "then every 4200 s, and expires at the 108th attempt, 433200 s",
    "[model][postfix]") {
    Scenario s = sender_and_dest(false);
    s.hosts[1].outages.push_back({{0, 30 * sim::kDay}, OutageMode::Refuse});
    add_message(s, 0, "alice@sender.example", "bob@dest.example", "mx.sender.example");
    World w(s, {1, 0, true});
    const RunResults r = w.run();

    std::vector<std::int64_t> expected{0, 300, 600, 1200, 2400, 4800, 9000, 13200};
    while (expected.back() < 433200)
        expected.push_back(expected.back() + 4200);
    CHECK(connect_seconds(w.trace(), 0, "mx1.dest.example") == expected);
    CHECK(expected.size() == 108);
    CHECK(w.messages()[0].fate == Fate::Expired);
    // The NDR goes back to alice at once and is delivered locally.
    CHECK(r.fates[size_t(Origin::Ndr)][size_t(Fate::Delivered)] == 1);
    const auto ndr = std::find_if(w.trace().begin(), w.trace().end(), [](const TraceRecord& t) {
        return t.msg == 1 && t.action == "delivered";
    });
    REQUIRE(ndr != w.trace().end());
    CHECK(sim::whole_seconds(ndr->t) == 433200);
}

TEST_CASE(
    "rules 4 and 5: a burst stays in lock step, behind a dead destination most of each "
    "wave is deferred without a connection",
    "[model][postfix]") {
    Scenario s = sender_and_dest(false);
    s.duration = 2 * sim::kHour;
    s.hosts[1].outages.push_back({{0, 30 * sim::kDay}, OutageMode::Refuse});
    for (int i = 0; i < 50; ++i)
        add_message(s, 0, "alice@sender.example", "bob@dest.example", "mx.sender.example");
    World w(s, {1, 0, true});
    w.run();
    for (const std::int64_t wave : {0, 300, 600, 1200, 2400, 4800}) {
        int connections = 0, suspended = 0;
        for (const TraceRecord& t : w.trace()) {
            if (sim::whole_seconds(t.t) != wave) continue;
            if (t.stage == "connect") ++connections;
            if (t.action == "deferred" && t.reason.rfind("delivery temporarily suspended", 0) == 0)
                ++suspended;
        }
        INFO("wave at " << wave << " s");
        CHECK(connections == 5);  // initial_destination_concurrency, then the throttle
        CHECK(suspended == 45);
    }
}

// qmgr_queue.c by hand, defaults: window 5, feedback 1/concurrency both ways,
// failed cohort limit 1. qmgr_queue_throttle() adds 1/window to fail_cohorts,
// then takes 1/window from `failure`; the window drops by one whenever
// failure - feedback/2 < 0, and `failure` gains 1 (hysteresis).
TEST_CASE(
    "rule 4: qmgr declares a destination dead when five failures make a failed pseudo-cohort, "
    "not at the first failure",
    "[model][postfix][qmgr]") {
    const DestinationConcurrency c;
    DestinationWindow w(c);
    CHECK(w.window == 5);
    CHECK_FALSE(w.site_failed(c));  // fail_cohorts 1/5; failure -0.2 -> window 4, failure 0.8
    CHECK(w.window == 4);
    CHECK_FALSE(w.site_failed(c));  // 0.45; failure 0.55
    CHECK_FALSE(w.site_failed(c));  // 0.70; failure 0.30
    CHECK(w.window == 4);
    CHECK_FALSE(w.site_failed(c));  // 0.95; failure 0.05 - 0.125 < 0 -> window 3
    CHECK(w.window == 3);
    CHECK(w.site_failed(c));  // 0.95 + 1/3 >= 1: dead
}

TEST_CASE("rule 4: a delivery without a site problem resets the cohort count",
          "[model][postfix][qmgr]") {
    const DestinationConcurrency c;
    DestinationWindow w(c);
    for (int i = 0; i < 3; ++i)
        REQUIRE_FALSE(w.site_failed(c));
    w.delivery_ok(c, 4);  // qmgr_queue_unthrottle(): fail_cohorts = 0
    CHECK(w.fail_cohorts == 0);
    for (int i = 0; i < 3; ++i)
        CHECK_FALSE(w.site_failed(c));
}

TEST_CASE(
    "qmgr's positive feedback: +1 per window's worth of deliveries, within busy + initial "
    "and the limit",
    "[model][postfix][qmgr]") {
    DestinationConcurrency c;
    c.limit = 7;
    DestinationWindow w(c);
    // success += 1/5 each; the window grows when success + 0.1 >= 1: at the fifth.
    for (int i = 0; i < 4; ++i)
        w.delivery_ok(c, 5);
    CHECK(w.window == 5);
    w.delivery_ok(c, 5);
    CHECK(w.window == 6);
    // One delivery at a time: the window may not run ahead of busy + initial (1 + 5).
    for (int i = 0; i < 20; ++i)
        w.delivery_ok(c, 1);
    CHECK(w.window == 6);
    for (int i = 0; i < 40; ++i)
        w.delivery_ok(c, 6);
    CHECK(w.window == 7);  // the destination concurrency limit
    DestinationConcurrency constant = c;
    constant.positive = {0.5, false};  // "1/2": a constant 0.5 per delivery
    DestinationWindow v(constant);
    v.delivery_ok(constant, 5);  // 0.5 + 0.25 < 1
    CHECK(v.window == 5);
    v.delivery_ok(constant, 5);  // 1.0
    CHECK(v.window == 6);
}

TEST_CASE("qmgr's negative feedback stops at a window of 1, and a cohort limit of 0 never kills",
          "[model][postfix][qmgr]") {
    DestinationConcurrency c;
    c.failed_cohort_limit = 0;
    DestinationWindow w(c);
    for (int i = 0; i < 100; ++i)
        CHECK_FALSE(w.site_failed(c));
    CHECK(w.window == 1);
    w.revive(c, 3);  // back from the almost grave with three deliveries still busy
    CHECK(w.window == 3);
    w.revive(c, 0);
    CHECK(w.window == 5);
}

TEST_CASE("rule 4: a lone message retried soon after another one's failure still connects",
          "[model][postfix][qmgr]") {
    Scenario s = sender_and_dest(false);
    s.duration = 20 * sim::kMinute;
    s.hosts[1].outages.push_back({{0, 30 * sim::kDay}, OutageMode::Refuse});
    add_message(s, 0, "alice@sender.example", "bob@dest.example", "mx.sender.example");
    add_message(s, 60 * sim::kSecond, "alice@sender.example", "bob@dest.example",
                "mx.sender.example");
    World w(s, {1, 0, true});
    w.run();
    // One failure is 1/5 of a cohort: the idle queue is then deleted, not dead.
    CHECK(connect_seconds(w.trace(), 0, "mx1.dest.example").front() == 0);
    CHECK(connect_seconds(w.trace(), 1, "mx1.dest.example").front() == 60);
}

TEST_CASE("with failed_cohort_limit 0 a burst to a dead destination connects for every message",
          "[model][postfix][qmgr]") {
    Scenario s = sender_and_dest(false);
    s.duration = 200 * sim::kSecond;
    s.hosts[1].outages.push_back({{0, 30 * sim::kDay}, OutageMode::Refuse});
    s.hosts[0].mta->concurrency.failed_cohort_limit = 0;
    for (int i = 0; i < 50; ++i)
        add_message(s, 0, "alice@sender.example", "bob@dest.example", "mx.sender.example");
    World w(s, {1, 0, true});
    w.run();
    int connections = 0, suspended = 0;
    for (const TraceRecord& t : w.trace()) {
        connections += t.stage == "connect";
        suspended += t.reason.rfind("delivery temporarily suspended", 0) == 0;
    }
    CHECK(connections == 50);  // the window shrinks to 1, but the queue never dies
    CHECK(suspended == 0);
}

namespace {

// Seconds at which connection attempts to a silent host timed out.
std::vector<std::int64_t> timeouts(const World& w) {
    std::vector<std::int64_t> out;
    for (const TraceRecord& t : w.trace())
        if (t.stage == "connect" && t.reason.find("timed out") != std::string::npos)
            out.push_back(sim::whole_seconds(t.t));
    return out;
}

}  // namespace

// master.cf's maxproc (default_process_limit, 100): no more deliveries at once
// than smtp processes; a freed one goes to the next destination waiting.
TEST_CASE("default_process_limit caps deliveries at once across destinations",
          "[model][postfix][qmgr]") {
    Scenario s = sender_and_dest(false);
    s.duration = 5 * sim::kMinute;  // before the retries
    s.hosts[0].mta->process_limit = 2;
    for (int d = 0; d < 3; ++d) {
        const std::string host = "mx.slow" + std::to_string(d) + ".example";
        add_host(s, host, postfix_for({"slow" + std::to_string(d) + ".example"}))
            .outages.push_back({{0, sim::kDay}, OutageMode::Timeout});
        add_domain(s, "slow" + std::to_string(d) + ".example", {{10, host}}, {"x"});
        add_message(s, 0, "alice@sender.example", "x@slow" + std::to_string(d) + ".example",
                    "mx.sender.example");
        add_message(s, 0, "alice@sender.example", "x@slow" + std::to_string(d) + ".example",
                    "mx.sender.example");
    }
    World w(s, {1, 0, true});
    w.run();
    // smtp_connect_timeout 30 s each, two at a time.
    CHECK(timeouts(w) == std::vector<std::int64_t>{30, 30, 60, 60, 90, 90});
}

// qmgr_active.c: at qmgr_message_active_limit the rest wait outside the active queue.
TEST_CASE("qmgr_message_active_limit keeps the rest out of the active queue",
          "[model][postfix][qmgr]") {
    Scenario s = sender_and_dest(false);
    s.duration = 5 * sim::kMinute;  // before the retries
    s.hosts[0].mta->active_limit = 3;
    s.hosts[0].mta->concurrency.failed_cohort_limit = 0;  // never dead: every message connects
    s.hosts[1].outages.push_back({{0, sim::kDay}, OutageMode::Timeout});
    for (int i = 0; i < 6; ++i)
        add_message(s, 0, "alice@sender.example", "bob@dest.example", "mx.sender.example");
    World w(s, {1, 0, true});
    w.run();
    CHECK(timeouts(w) == std::vector<std::int64_t>{30, 30, 30, 60, 60, 60});
}

// smtp_connection_cache_on_demand: once deliveries come back to back, a
// session is kept for the next delivery to the destination (up to
// smtp_connection_reuse_count_limit reuses).
TEST_CASE("a backlog goes down cached connections", "[model][postfix][qmgr]") {
    const auto sessions = [](bool on_demand, int count_limit) {
        Scenario s = sender_and_dest(false);
        s.duration = sim::kHour;
        MtaSpec& m = *s.hosts[0].mta;
        m.concurrency.initial = 1;
        m.concurrency.limit = 1;
        m.connection_cache.on_demand = on_demand;
        m.connection_cache.reuse_count_limit = count_limit;
        for (int i = 0; i < 10; ++i)
            add_message(s, 0, "alice@sender.example", "bob@dest.example", "mx.sender.example");
        World w(s, {1, 0, false});
        const RunResults r = w.run();
        CHECK(count(r, Origin::Legit, Fate::Delivered) == 10);
        return r.mtas[0].smtp_sessions;
    };
    // qmgr_entry_select(): caching starts with the second, back-to-back
    // delivery; a session is expired once reused reuse_count_limit times.
    CHECK(sessions(true, 0) == 2);  // 1, then 9 down one session
    CHECK(sessions(true, 3) == 4);  // 1, 4, 4, 1
    CHECK(sessions(false, 0) == 10);
}
