// flavors_test.cpp - Exim and Sendmail queues inside the running world:
// the same dead destination, retried on each MTA's own schedule.
#include <catch2/catch.hpp>

#include <algorithm>
#include <vector>

#include "model/exim_retry.hpp"
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
    const auto notice = std::find_if(w.trace().begin(), w.trace().end(),
                                     [](const TraceRecord& t) { return t.msg == 1; });
    REQUIRE(notice != w.trace().end());
    CHECK(sim::whole_seconds(notice->t) == 17400);
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

namespace {

// Real connections (successful ones included) that message `m` made, by whole second.
int connections_between(const World& w, SimTime from, SimTime to) {
    int n = 0;
    for (const TraceRecord& t : w.trace())
        n +=
            (t.stage == "connect" || (t.stage == "rcpt" && t.code != 0)) && t.t >= from && t.t < to;
    return n;
}

Scenario burst_to_dead_host(MtaFlavor flavor, int messages) {
    Scenario s = sender_and_dest(false);
    s.duration = 3 * sim::kHour;
    s.hosts[0].mta->flavor = flavor;
    s.hosts[1].outages.push_back({{0, 30 * sim::kDay}, OutageMode::Refuse});
    for (int i = 0; i < messages; ++i)
        add_message(s, 0, "alice@sender.example", "bob@dest.example", "mx.sender.example");
    return s;
}

}  // namespace

// exim-queue.md rules 2 and 4: each new message is tried at once in its own
// process; a queue run then makes one real attempt per due host key, and the
// other messages routed there are skipped without a connection.
TEST_CASE("Exim: a burst to a down host costs one connection per queue run",
          "[model][exim][queue]") {
    const Scenario s = burst_to_dead_host(MtaFlavor::Exim, 50);
    World w(s, {1, 0, true});
    w.run();
    CHECK(connections_between(w, 0, sim::kSecond) == 50);
    for (int run = 1; run <= 4; ++run) {
        const SimTime at = run * 30 * sim::kMinute;  // F,2h,15m: the host is due at every run
        INFO("run at " << run * 30 << " min");
        CHECK(connections_between(w, at, at + sim::kMinute) == 1);
    }
}

TEST_CASE("Exim: an immediate delivery honours the host's retry record", "[model][exim][queue]") {
    Scenario s = burst_to_dead_host(MtaFlavor::Exim, 1);
    add_message(s, 5 * sim::kMinute, "alice@sender.example", "bob@dest.example",
                "mx.sender.example");
    World w(s, {1, 0, true});
    w.run();
    CHECK(connections_between(w, 5 * sim::kMinute, 6 * sim::kMinute) == 0);
    bool held = false;
    for (const TraceRecord& t : w.trace())
        held |= t.msg == 1 && t.reason == "retry time not reached for any host";
    CHECK(held);
}

// Rules 1, 5 and 6: a 4xx to RCPT writes an address record; the address gives
// up by the retry rules (the 4 d cutoff, measured from the message's age),
// at its first real try past it, instead of being retried for ever.
TEST_CASE("Exim: an address deferred at RCPT gives up by the retry rules", "[model][exim][queue]") {
    Scenario s = sender_and_dest(false);
    s.duration = 6 * sim::kDay;
    s.hosts[0].mta->flavor = MtaFlavor::Exim;
    ScheduledReply busy;
    busy.command = SmtpCommand::Rcpt;
    busy.code = 451;
    busy.enhanced = "4.7.1";
    busy.text = "try again later";
    s.hosts[1].mta->replies.push_back(busy);
    add_message(s, 0, "alice@sender.example", "bob@dest.example", "mx.sender.example");
    World w(s, {1, 0, true});
    w.run();
    CHECK(w.messages()[0].fate == Fate::Expired);
    SimTime given_up = -1;
    std::string why;
    for (const TraceRecord& t : w.trace())
        if (t.msg == 0 && t.action == "expired") given_up = t.t, why = t.enhanced + " " + t.reason;
    CHECK(given_up > 4 * sim::kDay);
    CHECK(given_up <= 4 * sim::kDay + 6 * sim::kHour + 30 * sim::kMinute);
    CHECK(why.rfind("5.0.0 retry timeout exceeded", 0) == 0);
}

// Rule 3: every queue run routes every message again, so a domain deleted
// while its host waits for a retry time bounces at the next run.
TEST_CASE("Exim: NXDOMAIN is noticed at the next queue run, whatever the host's retry time",
          "[model][exim][queue]") {
    Scenario s = burst_to_dead_host(MtaFlavor::Exim, 1);
    s.hosts[0].mta->exim.retry_rules = parse_exim_retry_rules("F,4d,6h");
    s.domains[1].changes.push_back({sim::kHour, DnsState{false, false, {}, {}}});
    World w(s, {1, 0, true});
    w.run();
    CHECK(w.messages()[0].fate == Fate::Bounced);
    for (const TraceRecord& t : w.trace())
        if (t.msg == 0 && t.action == "bounced") {
            CHECK(sim::whole_seconds(t.t) == 3600);  // after its DNS lookups
            CHECK(t.enhanced == "5.0.0");            // rule 7
            CHECK(t.reason == "Unrouteable address");
        }
}

// Rule 9: warnings every delay_warning, only at deferrals that count: the
// message that makes the real attempts gets them, the one skipped does not.
TEST_CASE("Exim repeats delay warnings, only after real attempts", "[model][exim][queue]") {
    Scenario s = burst_to_dead_host(MtaFlavor::Exim, 1);
    s.duration = 4 * sim::kHour + 10 * sim::kMinute;
    s.hosts[0].mta->exim.delay_warning = sim::kHour;
    add_message(s, 5 * sim::kMinute, "alice@sender.example", "bob@dest.example",
                "mx.sender.example");
    World w(s, {1, 0, true});
    const RunResults r = w.run();
    int first = 0, second = 0;
    for (const Message& m : w.messages())
        if (m.origin == Origin::DelayWarning) (m.parent == 0 ? first : second) += 1;
    // Real attempts at every run until 2.5 h (F,2h,15m), then G,16h,1h,1.5 spaces
    // them: 3.5 h, then 5 h. Warnings at the real attempts of 1 h, 2 h and 3.5 h.
    CHECK(first == 3);
    CHECK(second == 0);
    CHECK(count(r, Origin::DelayWarning, Fate::Delivered) == 3);
}

// Rule 4: when the host is back, every waiting message goes at its next due
// time, down one reused connection.
TEST_CASE("Exim and Sendmail: a recovered host takes every waiting message over one connection",
          "[model][exim][sendmail][queue]") {
    for (const MtaFlavor flavor : {MtaFlavor::Exim, MtaFlavor::Sendmail}) {
        Scenario s = burst_to_dead_host(flavor, 20);
        s.hosts[1].outages = {{{0, sim::kHour}, OutageMode::Refuse}};
        World w(s, {1, 0, true});
        const RunResults r = w.run();
        INFO((flavor == MtaFlavor::Exim ? "exim" : "sendmail"));
        CHECK(count(r, Origin::Legit, Fate::Delivered) == 20);
        // 20 at arrival, then one per queue run while down, then one at recovery.
        const int runs_down = flavor == MtaFlavor::Exim ? 1 : 3;  // -q30m: 30; -q15m: 15, 30, 45
        CHECK(r.mtas[0].smtp_sessions == static_cast<std::uint64_t>(20 + runs_down + 1));
    }
}

// exim-queue.md rule 2 (daemon.c, smtp_accept_queue_per_connection = 10): an
// Exim MX that is handed 20 messages down one connection delivers the first 10
// at once; the other 10 wait for its next queue run.
TEST_CASE("Exim: past 10 messages in one session, the rest wait for a queue run",
          "[model][exim][queue]") {
    Scenario s = burst_to_dead_host(MtaFlavor::Exim, 20);
    s.hosts[1].outages = {{{0, sim::kHour}, OutageMode::Refuse}};
    s.hosts[1].mta->flavor = MtaFlavor::Exim;
    s.hosts[1].mta->exim.queue_run_phase = 10 * sim::kMinute;  // runs at 0:10, 0:40, 1:10
    World w(s, {1, 0, true});
    const RunResults r = w.run();
    CHECK(count(r, Origin::Legit, Fate::Delivered) == 20);
    int at_recovery = 0, at_next_run = 0, held = 0;
    for (const TraceRecord& t : w.trace()) {
        if (t.action == "queued" && t.from == "mx1.dest.example") {
            ++held;
            CHECK(t.reason ==
                  "no immediate delivery: more than 10 messages received in one "
                  "connection");
        }
        if (t.action != "delivered") continue;
        at_recovery += t.t < sim::kHour + sim::kMinute;
        at_next_run += t.t >= 70 * sim::kMinute && t.t < 71 * sim::kMinute;
    }
    CHECK(held == 10);
    CHECK(at_recovery == 10);
    CHECK(at_next_run == 10);

    // With no limit, all 20 at once.
    s.hosts[1].mta->exim.smtp_accept_queue_per_connection = 0;
    World unlimited(s, {1, 0, true});
    unlimited.run();
    int delivered_at_once = 0;
    for (const TraceRecord& t : unlimited.trace())
        delivered_at_once += t.action == "delivered" && t.t < sim::kHour + sim::kMinute;
    CHECK(delivered_at_once == 20);
}

// sendmail-queue.md rules 1 and 3: no shared host status between the
// arrival's children (N connections), one connection per host per queue run.
TEST_CASE("Sendmail: a burst makes a connection each, then one per host per queue run",
          "[model][sendmail][queue]") {
    const Scenario s = burst_to_dead_host(MtaFlavor::Sendmail, 10);
    World w(s, {1, 0, true});
    w.run();
    CHECK(connections_between(w, 0, sim::kSecond) == 10);
    for (int run = 1; run <= 6; ++run) {
        const SimTime at = run * 15 * sim::kMinute;
        INFO("run at " << run * 15 << " min");
        CHECK(connections_between(w, at, at + sim::kMinute) == 1);
    }
}

// Rule 3: a 4xx to RCPT is no host failure: every message is tried.
TEST_CASE("Sendmail tries every message at a host that defers at RCPT",
          "[model][sendmail][queue]") {
    Scenario s = sender_and_dest(false);
    s.duration = 20 * sim::kMinute;
    s.hosts[0].mta->flavor = MtaFlavor::Sendmail;
    ScheduledReply busy;
    busy.command = SmtpCommand::Rcpt;
    busy.code = 450;
    busy.enhanced = "4.2.1";
    busy.text = "try later";
    s.hosts[1].mta->replies.push_back(busy);
    for (int i = 0; i < 5; ++i)
        add_message(s, 0, "alice@sender.example", "bob@dest.example", "mx.sender.example");
    World w(s, {1, 0, true});
    const RunResults r = w.run();
    CHECK(connections_between(w, 15 * sim::kMinute, 16 * sim::kMinute) == 5);  // RCPT replies
    CHECK(r.mtas[0].smtp_sessions == 5 + 1);  // the run's five share one connection
}

TEST_CASE("Sendmail's words: Host unknown 5.1.2, and a return after queuereturn is 4.4.7",
          "[model][sendmail][queue]") {
    Scenario s = burst_to_dead_host(MtaFlavor::Sendmail, 1);
    s.duration = 6 * sim::kDay;
    add_message(s, 0, "alice@sender.example", "nobody@nowhere.example", "mx.sender.example");
    World w(s, {1, 0, true});
    w.run();
    std::string returned, unknown;
    for (const TraceRecord& t : w.trace()) {
        if (t.msg == 0 && t.action == "expired") returned = t.enhanced + " " + t.reason;
        if (t.msg == 1 && t.action == "bounced") unknown = t.enhanced + " " + t.reason;
    }
    CHECK(returned == "4.4.7 Cannot send message for 5 days");
    CHECK(unknown == "5.1.2 Host unknown (Name server: nowhere.example: host not found)");
}

TEST_CASE("the queue runner's phase: runs from the daemon's start", "[model][sendmail][exim]") {
    for (const MtaFlavor flavor : {MtaFlavor::Exim, MtaFlavor::Sendmail}) {
        Scenario s = burst_to_dead_host(flavor, 1);
        s.duration = sim::kHour;
        s.hosts[0].mta->exim.queue_run_phase = 7 * sim::kMinute;
        s.hosts[0].mta->sendmail.queue_phase = 7 * sim::kMinute;
        World w(s, {1, 0, true});
        w.run();
        INFO((flavor == MtaFlavor::Exim ? "exim" : "sendmail"));
        // Sendmail: the daemon's first run; Exim: its first run past the host's
        // retry time (15 min after the failure at 0): 7 and 37 min.
        CHECK(tries(w).at(1) == (flavor == MtaFlavor::Exim ? 37 : 7) * sim::kMinute);
    }
}
