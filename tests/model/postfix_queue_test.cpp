// postfix_queue_test.cpp - Postfix's queue manager, rule by rule
// (shared/domain/postfix-queue.md, recorded from Postfix 3.7.11).
#include <catch2/catch.hpp>

#include <algorithm>
#include <vector>

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
        if (wave >= 7200) break;
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
