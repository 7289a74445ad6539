// simulator_test.cpp - the run loop: order, run modes, stop, cancel, progress.
#include <catch2/catch.hpp>

#include <vector>

#include "sim/simulator.hpp"

using namespace mxsim::sim;

namespace {

// Records what it was handed, and can schedule or stop from inside a handler.
struct Recorder {
    explicit Recorder(Simulator& s) : sim(s) {}
    Simulator& sim;
    std::vector<Event> seen;
    std::uint32_t stop_on_target = UINT32_MAX;

    void operator()(const Event& e) {
        CHECK(sim.now() == e.time);
        seen.push_back(e);
        if (e.kind == 1) sim.schedule_in(0, 2, e.target);  // a follow-up at the same instant
        if (e.target == stop_on_target) sim.stop();
    }
};

}  // namespace

TEST_CASE("run hands every event over in time order, ties in insertion order", "[sim][kernel]") {
    Simulator sim;
    sim.schedule_at(3 * kSecond, 0, 30);
    sim.schedule_at(kSecond, 1, 10);
    sim.schedule_at(kSecond, 0, 11);
    sim.schedule_in(2 * kSecond, 0, 20);
    Recorder rec{sim};
    CHECK(sim.run(rec) == RunEnd::Drained);
    std::vector<std::uint32_t> order;
    for (const Event& e : rec.seen)
        order.push_back(e.target * 10 + e.kind);
    // 10's follow-up (kind 2) was scheduled at 1 s while 11 was pending: it runs after 11.
    CHECK(order == std::vector<std::uint32_t>{101, 110, 102, 200, 300});
    CHECK(sim.now() == 3 * kSecond);
    CHECK(sim.dispatched() == 5);
}

TEST_CASE("run_until runs events at the end time and leaves the clock there", "[sim][kernel]") {
    Simulator sim;
    sim.schedule_at(10 * kSecond, 0, 1);
    sim.schedule_at(20 * kSecond, 0, 2);
    sim.schedule_at(21 * kSecond, 0, 3);
    Recorder rec{sim};
    CHECK(sim.run_until(20 * kSecond, rec) == RunEnd::ReachedTime);
    CHECK(rec.seen.size() == 2);
    CHECK(sim.now() == 20 * kSecond);
    CHECK(sim.pending() == 1);
    CHECK_THROWS_AS(sim.run_until(19 * kSecond, rec), std::invalid_argument);
    CHECK(sim.run_until(100 * kSecond, rec) == RunEnd::ReachedTime);
    CHECK(sim.now() == 100 * kSecond);
    CHECK(rec.seen.size() == 3);
}

TEST_CASE("scheduling in the past is refused", "[sim][kernel]") {
    Simulator sim;
    Recorder rec{sim};
    sim.schedule_at(5 * kSecond, 0, 1);
    sim.run(rec);
    CHECK_THROWS_AS(sim.schedule_at(4 * kSecond, 0, 2), std::invalid_argument);
    CHECK_THROWS_AS(sim.schedule_in(-1, 0, 2), std::invalid_argument);
    CHECK_THROWS_AS(sim.schedule_in(kTimeMax, 0, 2), std::invalid_argument);
    CHECK_NOTHROW(sim.schedule_at(5 * kSecond, 0, 3));
}

TEST_CASE("stop ends the run after the current event, a new run resumes", "[sim][kernel]") {
    Simulator sim;
    for (std::uint32_t i = 0; i < 10; ++i)
        sim.schedule_at(i * kSecond, 0, i);
    Recorder rec{sim};
    rec.stop_on_target = 4;
    CHECK(sim.run(rec) == RunEnd::Stopped);
    CHECK(rec.seen.size() == 5);
    CHECK(sim.now() == 4 * kSecond);
    rec.stop_on_target = UINT32_MAX;
    CHECK(sim.run(rec) == RunEnd::Drained);
    CHECK(rec.seen.size() == 10);
}

TEST_CASE("a cancelled event is never handed over", "[sim][kernel]") {
    Simulator sim;
    sim.schedule_at(kSecond, 0, 1);
    const EventId doomed = sim.schedule_at(2 * kSecond, 0, 2);
    sim.schedule_at(3 * kSecond, 0, 3);
    CHECK(sim.cancel(doomed));
    CHECK(sim.pending() == 2);
    Recorder rec{sim};
    sim.run(rec);
    REQUIRE(rec.seen.size() == 2);
    CHECK(rec.seen[1].target == 3);
}

TEST_CASE("the progress hook reports rates, pending events and an ETA", "[sim][kernel]") {
    Simulator sim;
    std::vector<ProgressReport> reports;
    sim.set_progress_hook([&reports](const ProgressReport& r) { reports.push_back(r); }, 1e-9);
    // A self-perpetuating chain: each event schedules the next 1 ms later.
    struct Chain {
        Simulator& sim;
        void operator()(const Event& e) { sim.schedule_in(kMillisecond, 0, e.target); }
    } chain{sim};
    for (std::uint32_t i = 0; i < 100; ++i)
        sim.schedule_at(0, 0, i);
    CHECK(sim.run_until(10 * kSecond, chain) == RunEnd::ReachedTime);
    REQUIRE_FALSE(reports.empty());
    const ProgressReport& r = reports.back();
    CHECK(r.events > 0);
    CHECK(r.events <= sim.dispatched());
    CHECK(r.events_per_second > 0);
    CHECK(r.sim_seconds_per_wall_second > 0);
    CHECK(r.pending == 100);
    REQUIRE(r.eta_wall_seconds.has_value());
    CHECK(*r.eta_wall_seconds >= 0);
    CHECK_THROWS_AS(sim.set_progress_hook(nullptr, 0), std::invalid_argument);
}

TEST_CASE("a hook may stop the run", "[sim][kernel]") {
    Simulator sim;
    sim.set_progress_hook([&sim](const ProgressReport&) { sim.stop(); }, 1e-9);
    struct Forever {
        Simulator& sim;
        void operator()(const Event& e) { sim.schedule_in(1, 0, e.target); }
    } forever{sim};
    sim.schedule_at(0, 0, 0);
    CHECK(sim.run(forever) == RunEnd::Stopped);
    CHECK(sim.pending() == 1);
}
