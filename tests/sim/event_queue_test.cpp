// event_queue_test.cpp - the radix event queue against a std::multimap reference.
#include <catch2/catch.hpp>

#include <map>
#include <vector>

#include "sim/event_queue.hpp"
#include "sim/random_stream.hpp"

using namespace mxsim::sim;

namespace {

// The reference: a multimap keeps equal times in insertion order, which is
// exactly the (time, seq) order the queue promises.
struct Reference {
    std::multimap<SimTime, Event> events;

    void push(const Event& e) { events.emplace(e.time, e); }
    bool cancel(EventId id) {
        auto [lo, hi] = events.equal_range(id.time);
        for (auto it = lo; it != hi; ++it)
            if (it->second.seq == id.seq) {
                events.erase(it);
                return true;
            }
        return false;
    }
    bool pop_until(SimTime limit, Event& out) {
        if (events.empty() || events.begin()->first > limit) return false;
        out = events.begin()->second;
        events.erase(events.begin());
        return true;
    }
};

void require_same(const Event& a, const Event& b) {
    REQUIRE(a.time == b.time);
    REQUIRE(a.seq == b.seq);
    REQUIRE(a.kind == b.kind);
    REQUIRE(a.target == b.target);
}

// A delay drawn from a mix that stresses every part of the queue: zero (the
// current-time FIFO), tiny (many equal times), seconds, days, and years.
SimTime random_delay(RandomStream& rng) {
    const double u = rng.uniform01();
    if (u < 0.20) return 0;
    if (u < 0.45) return static_cast<SimTime>(rng.uniform_int(0, 3));
    if (u < 0.75) return rng.exponential_time(kSecond);
    if (u < 0.95) return static_cast<SimTime>(rng.uniform_int(0, 5 * kDay));
    return static_cast<SimTime>(rng.uniform_int(0, 400 * kDay));
}

}  // namespace

TEST_CASE("the queue matches a multimap over millions of mixed operations", "[sim][queue]") {
    RandomStream rng(2024, "test.queue.model-check", 0);
    EventQueue queue;
    Reference ref;
    std::vector<EventId> issued;
    SimTime now = 0;
    std::size_t pops = 0, cancels_ok = 0, bounded_misses = 0;

    for (int op = 0; op < 3'000'000; ++op) {
        const double u = rng.uniform01();
        if (u < 0.48) {
            const SimTime at = now + random_delay(rng);
            const auto kind = static_cast<std::uint32_t>(rng.uniform_int(0, 7));
            const auto target = static_cast<std::uint32_t>(rng.uniform_int(0, 1'000'000));
            const EventId id = queue.push(at, kind, target);
            REQUIRE(id.time == at);
            ref.push({at, id.seq, kind, target});
            issued.push_back(id);
        } else if (u < 0.53 && !issued.empty()) {
            // Any id ever issued: pending ones cancel, the rest must refuse.
            const EventId id = issued[rng.uniform_int(0, issued.size() - 1)];
            const bool expected = ref.cancel(id);
            REQUIRE(queue.cancel(id) == expected);
            cancels_ok += expected;
        } else if (u < 0.60) {
            // Run until a time: pops only up to the limit, and the clock moves there.
            const SimTime limit = now + static_cast<SimTime>(rng.uniform_int(0, 2 * kSecond));
            Event got, want;
            const bool has = queue.pop_until(limit, got);
            REQUIRE(has == ref.pop_until(limit, want));
            if (has) {
                require_same(got, want);
                now = got.time;
                ++pops;
            } else {
                now = limit;
                ++bounded_misses;
            }
        } else {
            Event got, want;
            const bool has = queue.pop(got);
            REQUIRE(has == ref.pop_until(kTimeMax, want));
            if (has) {
                require_same(got, want);
                now = got.time;
                ++pops;
            }
        }
        REQUIRE(queue.size() == ref.events.size());
    }
    // Drain: everything left comes out in order.
    Event got, want;
    while (ref.pop_until(kTimeMax, want)) {
        REQUIRE(queue.pop(got));
        require_same(got, want);
    }
    REQUIRE_FALSE(queue.pop(got));
    REQUIRE(queue.empty());
    // The mix really exercised each path.
    CHECK(pops > 500'000);
    CHECK(cancels_ok > 5'000);
    CHECK(bounded_misses > 10'000);
}

TEST_CASE("equal times run in insertion order, including pushes at the current time",
          "[sim][queue]") {
    EventQueue q;
    for (std::uint32_t i = 0; i < 1000; ++i)
        q.push(5 * kSecond, 0, i);
    q.push(kSecond, 1, 0);
    Event e;
    REQUIRE(q.pop(e));
    CHECK(e.kind == 1);
    std::uint32_t expected = 0;
    while (q.pop(e)) {
        CHECK(e.target == expected++);
        // While draining time 5 s, new events at 5 s go after every earlier one.
        if (e.target < 10) q.push(5 * kSecond, 0, 1000 + e.target);
    }
    CHECK(expected == 1010);
}

TEST_CASE("cancellation is exact and lazy", "[sim][queue]") {
    EventQueue q;
    const EventId a = q.push(10, 0, 1);
    const EventId b = q.push(10, 0, 2);
    const EventId c = q.push(20, 0, 3);
    CHECK(q.size() == 3);
    CHECK(q.cancel(b));
    CHECK_FALSE(q.cancel(b));  // already cancelled
    CHECK(q.size() == 2);
    Event e;
    REQUIRE(q.pop(e));
    CHECK(e.target == 1);
    CHECK_FALSE(q.cancel(a));  // already ran
    REQUIRE(q.pop(e));
    CHECK(e.target == 3);  // the cancelled event was skipped
    CHECK_FALSE(q.cancel(c));
    CHECK_FALSE(q.cancel({30, 999}));  // never issued
    CHECK(q.empty());
}

TEST_CASE("a cancelled event dropped at the front cannot be cancelled again", "[sim][queue]") {
    EventQueue q;
    const EventId a = q.push(10, 0, 1);
    q.push(50, 0, 2);
    REQUIRE(q.cancel(a));
    Event e;
    CHECK_FALSE(q.pop_until(20, e));  // a was dropped; 50 lies beyond the limit
    CHECK_FALSE(q.cancel(a));
    CHECK(q.size() == 1);
}

TEST_CASE("pop_until leaves later events and the floor alone", "[sim][queue]") {
    EventQueue q;
    q.push(100 * kSecond, 0, 1);
    Event e;
    CHECK_FALSE(q.pop_until(50 * kSecond, e));
    CHECK(q.floor() <= 50 * kSecond);
    q.push(60 * kSecond, 0, 2);  // still allowed: before the pending event
    REQUIRE(q.pop(e));
    CHECK(e.target == 2);
    CHECK_THROWS_AS(q.push(59 * kSecond, 0, 3), std::invalid_argument);
}

TEST_CASE("an emptied queue accepts any time again, and extreme times work", "[sim][queue]") {
    EventQueue q;
    q.push(kTimeMax, 0, 1);
    q.push(kTimeMax - 1, 0, 2);
    Event e;
    REQUIRE(q.pop(e));
    CHECK(e.time == kTimeMax - 1);
    REQUIRE(q.pop(e));
    CHECK(e.time == kTimeMax);
    q.push(0, 0, 3);  // the queue ran empty, so time 0 is fine again
    REQUIRE(q.pop(e));
    CHECK(e.target == 3);
    CHECK_THROWS_AS(q.push(-1, 0, 4), std::invalid_argument);
}
