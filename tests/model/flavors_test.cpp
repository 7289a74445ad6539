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

namespace {

// carol's domain does not exist: the NDR about her mail (refused at dest.example,
// which has no "nobody") fails for good at the sender's MTA.
Scenario failed_bounce_at(MtaFlavor flavor) {
    Scenario s = sender_and_dest(false);
    s.duration = 3 * sim::kDay;
    s.hosts[0].mta->flavor = flavor;
    add_message(s, 0, "carol@nowhere.example", "nobody@dest.example", "mx.sender.example");
    return s;
}

std::vector<std::string> queue_actions(const World& w, MessageId m) {
    std::vector<std::string> out;
    for (const TraceRecord& t : w.trace())
        if (t.msg == m && t.stage == "queue") out.push_back(t.action);
    return out;
}

SimTime first_time(const World& w, MessageId m, const std::string& action) {
    for (const TraceRecord& t : w.trace())
        if (t.msg == m && t.action == action) return t.t;
    return -1;
}

}  // namespace

// deliver.c (post_process_one, deliver_message): configure.default's
// ignore_bounce_errors_after = 2d; queue runs every 30 min from 0.
TEST_CASE(
    "Exim freezes a failed bounce, thaws it at the first run past 2 days, tries once more "
    "and discards it",
    "[model][exim][bounce]") {
    const Scenario s = failed_bounce_at(MtaFlavor::Exim);  // World keeps a reference
    World w(s, {1, 0, true});
    const RunResults r = w.run();
    CHECK(queue_actions(w, 1) ==
          std::vector<std::string>{"accepted", "frozen", "thawed", "bounced", "dropped"});
    // The NDR arrived a few ms after 0: the first run at or after 2 d of age is 48.5 h.
    CHECK(first_time(w, 1, "thawed") == 48 * sim::kHour + 30 * sim::kMinute);
    CHECK(count(r, Origin::Ndr, Fate::Dropped) == 1);
    CHECK(count(r, Origin::PostmasterNotice, Fate::Delivered) == 0);  // never a double bounce
}

TEST_CASE("Exim: timeout_frozen_after cancels a frozen bounce before its thaw",
          "[model][exim][bounce]") {
    Scenario s = failed_bounce_at(MtaFlavor::Exim);
    s.hosts[0].mta->exim.timeout_frozen_after = sim::kDay;
    World w(s, {1, 0, true});
    const RunResults r = w.run();
    CHECK(queue_actions(w, 1) ==
          std::vector<std::string>{"accepted", "frozen", "bounced", "dropped"});
    CHECK(first_time(w, 1, "dropped") == 24 * sim::kHour + 30 * sim::kMinute);
    CHECK(count(r, Origin::Ndr, Fate::Dropped) == 1);
}

// savemail.c: a failed DSN goes to DoubleBounceAddress (postmaster), from <>.
TEST_CASE("Sendmail sends a failed bounce to DoubleBounceAddress, or drops it when that is empty",
          "[model][sendmail][bounce]") {
    const Scenario s = failed_bounce_at(MtaFlavor::Sendmail);
    World w(s, {1, 0, true});
    const RunResults r = w.run();
    CHECK(count(r, Origin::Ndr, Fate::Dropped) == 1);
    REQUIRE(count(r, Origin::PostmasterNotice, Fate::Delivered) == 1);
    const Message& notice = w.messages().back();
    CHECK(notice.origin == Origin::PostmasterNotice);
    CHECK(notice.sender.is_null());
    CHECK(w.directory().address(notice.recipient) == "postmaster@sender.example");

    Scenario quiet = failed_bounce_at(MtaFlavor::Sendmail);
    quiet.hosts[0].mta->sendmail.double_bounce_address = "";
    World q(quiet, {1, 0, true});
    CHECK(count(q.run(), Origin::PostmasterNotice, Fate::Delivered) == 0);
}

// envelope.c, dropenvelope(): PostmasterCopy gets a copy of every return.
TEST_CASE("Sendmail's PostmasterCopy copies every return to the postmaster",
          "[model][sendmail][bounce]") {
    Scenario s = failed_bounce_at(MtaFlavor::Sendmail);
    s.hosts[0].mta->sendmail.postmaster_copy = "postmaster";
    World w(s, {1, 0, true});
    const RunResults r = w.run();
    // The copy of carol's return, and the double bounce of the failed return.
    CHECK(count(r, Origin::PostmasterNotice, Fate::Delivered) == 2);
}
