// event_queue.hpp - the pending-event set: a monotone 256-way radix queue of Events.
// Offers push (O(1)), pop in (time, seq) order (amortised O(1) per level of the
// time range), lazy cancellation, and a bounded pop for "run until". Built for
// tens of millions of pending far-future timers (docs/architecture.md).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <unordered_set>
#include <vector>

#include "sim/event.hpp"
#include "sim/event_chain.hpp"

namespace mxsim::sim {

// A radix heap (Ahuja, Mehlhorn, Orlin & Tarjan 1990) with 8-bit digits, which
// is also a hierarchical timing wheel whose origin follows the queue's front.
// It is monotone: a push must not be earlier than the last removed event, which
// a discrete-event kernel guarantees (nothing is scheduled in the past).
//
// Every held time is compared with `last_`, the time of the front. Events at
// exactly last_ sit in the front FIFO. Any other event sits in bucket
// (level, digit): `level` is the highest 8-bit digit in which its time differs
// from last_, `digit` its time's value there. When the FIFO runs dry, the
// lowest non-empty bucket is scanned for its minimum, last_ moves there, and the
// bucket's events are re-placed: each lands at a strictly lower level (or in
// the FIFO), so an event moves at most once per level its delay spans: three
// times for a 1 s delay, five for a 5-day one. Every move is a sequential
// append to a chain of pooled blocks, so the queue streams through warm memory
// instead of chasing heap paths through cold memory.
//
// Tie order: each bucket stays sorted by seq (pushes append the largest seq so
// far; a re-placement spreads one sorted bucket over buckets that are empty),
// so the FIFO is in seq order and equal times run in insertion order with no
// comparisons. The FIFO is also the fast path for events at the current time.
class EventQueue {
  public:
    EventQueue();

    // Schedules an event; `at` must be >= floor(), else std::invalid_argument.
    EventId push(SimTime at, std::uint32_t kind, std::uint32_t target);

    // Cancels a pending event in O(1) by marking it; the queue drops it when it
    // reaches the front. Returns false if it already ran, was already
    // cancelled, or was never issued by this queue.
    bool cancel(EventId id);

    // Removes the earliest live event into `out`; false when none is left.
    bool pop(Event& out) { return pop_until(kTimeMax, out); }

    // As pop, but only if that event's time is <= limit; otherwise leaves the
    // queue's floor where it was.
    bool pop_until(SimTime limit, Event& out);

    std::size_t size() const { return stored_ - cancelled_.size(); }
    bool empty() const { return size() == 0; }

    // Earliest time a push may use: the time of the last removed event while
    // the queue holds events, 0 once it has run empty.
    SimTime floor() const { return last_; }

  private:
    static constexpr int kDigitBits = 8;
    static constexpr int kDigits = 1 << kDigitBits;
    static constexpr int kLevels = 64 / kDigitBits;
    static constexpr int kMaskWords = kDigits / 64;

    void place(const Event& e);
    bool refill_front(SimTime limit);
    void take_front(Event& out);
    EventChain& bucket(int level, int digit) { return buckets_[level * kDigits + digit]; }

    EventBlockPool pool_;              // the blocks of every chain below
    EventChain front_;                 // events at last_, in seq order
    std::vector<EventChain> buckets_;  // kLevels x kDigits
    // Occupancy: bit `level` of levels_used_, and bit `digit` of digits_used_[level].
    std::uint32_t levels_used_ = 0;
    std::array<std::array<std::uint64_t, kMaskWords>, kLevels> digits_used_{};

    SimTime last_ = 0;
    std::size_t stored_ = 0;  // events held, including cancelled ones
    std::uint64_t next_seq_ = 0;
    EventId last_removed_{-1, 0};                  // events up to here have run or been dropped
    std::uint64_t gone_below_ = 0;                 // every seq below this has left the queue
    std::unordered_set<std::uint64_t> cancelled_;  // pending, cancelled seqs
};

}  // namespace mxsim::sim
