// sendmail_queue_test.cpp - Sendmail queue timing: queue runs, the one delay warning and the
// return after Timeout.queuereturn (envelope.c dropenvelope), with the cf defaults
// (-q15m, queuereturn 5d, queuewarn 4h) and with other settings.
#include <catch2/catch.hpp>

#include "model/sendmail_queue.hpp"

using namespace mxsim::model;
using mxsim::sim::kDay;
using mxsim::sim::kHour;
using mxsim::sim::kMinute;
using mxsim::sim::kSecond;
using mxsim::sim::SimTime;

TEST_CASE("cf defaults: tried every 15 min, warned at 4 h, returned at 5 d", "[sendmail]") {
    const SendmailQueueSpec spec;  // -q15m, Timeout.queuereturn=5d, Timeout.queuewarn=4h
    const SendmailHistory h = sendmail_failing_schedule(spec, 0);
    REQUIRE(h.attempts.size() == 481);  // arrival + 480 queue runs
    for (std::size_t i = 0; i < h.attempts.size(); ++i)
        CHECK(h.attempts[i] == static_cast<SimTime>(i) * 15 * kMinute);
    REQUIRE(h.warned_at);
    CHECK(*h.warned_at == 4 * kHour);  // "now >= e_ctime + to_q_warning": the 4 h run itself
    CHECK(h.returned_at == 5 * kDay);
}

TEST_CASE("a message arriving between queue runs waits for the grid", "[sendmail]") {
    const SendmailQueueSpec spec;
    const SendmailHistory h = sendmail_failing_schedule(spec, 10 * kMinute);
    CHECK(h.attempts[0] == 10 * kMinute);  // immediate delivery on arrival
    CHECK(h.attempts[1] == 15 * kMinute);  // the next run, though only 5 min later
    CHECK(h.attempts[2] == 30 * kMinute);
    REQUIRE(h.warned_at);
    CHECK(*h.warned_at == 4 * kHour + 15 * kMinute);  // first run at or after 4 h 10 min
    CHECK(h.returned_at == 5 * kDay + 15 * kMinute);  // first run at or after 5 d 10 min
    CHECK(h.attempts.size() == 1 + 481);
}

TEST_CASE("a coarse runner and a phase", "[sendmail]") {
    SendmailQueueSpec spec;
    spec.queue_interval = kHour;
    const SendmailHistory h = sendmail_failing_schedule(spec, 0, 20 * kMinute);
    CHECK(h.attempts[1] == 20 * kMinute);
    CHECK(*h.warned_at == 4 * kHour + 20 * kMinute);
    CHECK(h.returned_at == 5 * kDay + 20 * kMinute);
    CHECK(sendmail_next_queue_run(spec, 0, 20 * kMinute) == 20 * kMinute);
    CHECK(sendmail_next_queue_run(spec, 20 * kMinute, 20 * kMinute) == 80 * kMinute);
}

TEST_CASE("dropenvelope: return at the boundary, warning once, warning off", "[sendmail]") {
    const SendmailQueueSpec spec;
    CHECK(sendmail_after_failure(spec, 0, 5 * kDay - kSecond, true) == SendmailOutcome::Keep);
    CHECK(sendmail_after_failure(spec, 0, 5 * kDay, true) == SendmailOutcome::Return);
    CHECK(sendmail_after_failure(spec, 0, 4 * kHour - kSecond, false) == SendmailOutcome::Keep);
    CHECK(sendmail_after_failure(spec, 0, 4 * kHour, false) == SendmailOutcome::Warn);
    CHECK(sendmail_after_failure(spec, 0, 4 * kHour, true) == SendmailOutcome::Keep);
    // Whole seconds, as curtime(): 5 d + 0.4 s after a ctime of 0.5 s counts as 5 d.
    CHECK(sendmail_after_failure(spec, kSecond / 2, 5 * kDay + 400'000, false) ==
          SendmailOutcome::Return);

    SendmailQueueSpec quiet;
    quiet.queuewarn = 0;  // the binary's default (conf.c setdefaults: to_q_warning = 0)
    const SendmailHistory h = sendmail_failing_schedule(quiet, 0);
    CHECK_FALSE(h.warned_at);
    CHECK(h.returned_at == 5 * kDay);
}

TEST_CASE("a return due before the warning wins", "[sendmail]") {
    SendmailQueueSpec spec;
    spec.queuereturn = 2 * kHour;
    const SendmailHistory h = sendmail_failing_schedule(spec, 0);
    CHECK_FALSE(h.warned_at);
    CHECK(h.returned_at == 2 * kHour);
    spec.queuereturn = 0;  // Timeout.queuereturn=now: returned at the first failure
    CHECK(sendmail_failing_schedule(spec, 7 * kMinute).attempts ==
          std::vector<SimTime>{7 * kMinute});
}

TEST_CASE("who gets a delay warning", "[sendmail]") {
    CHECK(sendmail_sender_gets_warnings({"alice", "example.com"}));
    CHECK_FALSE(sendmail_sender_gets_warnings({"", ""}));                        // <>
    CHECK_FALSE(sendmail_sender_gets_warnings({"alice", "example.com"}, true));  // bulk
    CHECK_FALSE(sendmail_sender_gets_warnings({"Owner-list", "example.com"}));
    CHECK_FALSE(sendmail_sender_gets_warnings({"list-Request", ""}));
    // The "-request" test looks at the end of the whole address, so a qualified one passes.
    CHECK(sendmail_sender_gets_warnings({"list-request", "example.com"}));

    const SendmailHistory h = sendmail_failing_schedule(SendmailQueueSpec{}, 0, 0, false);
    CHECK_FALSE(h.warned_at);
    CHECK(h.returned_at == 5 * kDay);
}

TEST_CASE("bad sendmail queue settings are refused", "[sendmail]") {
    SendmailQueueSpec spec;
    spec.queue_interval = 0;
    CHECK_THROWS_AS(sendmail_failing_schedule(spec, 0), std::invalid_argument);
    CHECK_THROWS_AS(sendmail_next_queue_run(spec, 0), std::invalid_argument);
    spec = SendmailQueueSpec{};
    spec.queuewarn = -kSecond;
    CHECK_THROWS_AS(sendmail_failing_schedule(spec, 0), std::invalid_argument);
}
