// event_queue.cpp - the 256-way radix queue behind the kernel's pending-event set.
#include "sim/event_queue.hpp"

#include <bit>
#include <stdexcept>
#include <string>
#include <utility>

namespace mxsim::sim {

EventQueue::EventQueue() : buckets_(kLevels * kDigits) {}

void EventQueue::place(const Event& e) {
    const auto time = static_cast<std::uint64_t>(e.time);
    const std::uint64_t diff = time ^ static_cast<std::uint64_t>(last_);
    if (diff == 0) {
        front_.append(pool_, e);
        return;
    }
    const int level = (63 - std::countl_zero(diff)) / kDigitBits;
    const int digit = static_cast<int>((time >> (level * kDigitBits)) & (kDigits - 1));
    bucket(level, digit).append(pool_, e);
    levels_used_ |= 1U << level;
    digits_used_[level][digit / 64] |= std::uint64_t{1} << (digit % 64);
}

EventId EventQueue::push(SimTime at, std::uint32_t kind, std::uint32_t target) {
    if (at < last_)
        throw std::invalid_argument("event scheduled at " + format_duration(at) +
                                    ", before the queue's floor " + format_duration(last_));
    const Event e{at, next_seq_++, kind, target};
    place(e);
    ++stored_;
    return {e.time, e.seq};
}

bool EventQueue::cancel(EventId id) {
    if (id.seq >= next_seq_ || id.seq < gone_below_) return false;
    if (!runs_before(last_removed_.time, last_removed_.seq, id.time, id.seq)) return false;
    return cancelled_.insert(id.seq).second;
}

// Re-places the lowest non-empty bucket so that the FIFO holds the events at
// the minimum time, if that time is <= limit. Returns false, changing nothing,
// if the queue is empty or its minimum lies beyond limit.
bool EventQueue::refill_front(SimTime limit) {
    if (levels_used_ == 0) return false;
    const int level = std::countr_zero(levels_used_);
    std::array<std::uint64_t, kMaskWords>& digits = digits_used_[level];
    int word = 0;
    while (digits[word] == 0)
        ++word;
    const int digit = word * 64 + std::countr_zero(digits[word]);
    EventChain& from = bucket(level, digit);

    // Level 0 buckets hold a single time; higher ones need a scan.
    SimTime min_time = from.front().time;
    if (level > 0)
        from.visit(
            [&min_time](const Event& e) { min_time = e.time < min_time ? e.time : min_time; });
    if (min_time > limit) return false;

    last_ = min_time;
    digits[word] &= ~(std::uint64_t{1} << (digit % 64));
    if (digits[word] == 0 && digits == std::array<std::uint64_t, kMaskWords>{})
        levels_used_ &= ~(1U << level);
    if (level == 0)
        std::swap(front_, from);  // the FIFO is empty; the bucket is already in seq order
    else
        from.drain(pool_, [this](const Event& e) { place(e); });
    return true;
}

void EventQueue::take_front(Event& out) {
    out = front_.pop_front(pool_);
    --stored_;
    last_removed_ = {out.time, out.seq};
    if (stored_ == 0) {
        // Everything issued so far is gone; a later push may start anywhere.
        gone_below_ = next_seq_;
        last_removed_ = {-1, 0};
        last_ = 0;
    }
}

bool EventQueue::pop_until(SimTime limit, Event& out) {
    for (;;) {
        if (front_.empty() && !refill_front(limit)) return false;
        if (last_ > limit) return false;  // the FIFO holds events at last_ only
        take_front(out);
        if (cancelled_.empty() || cancelled_.erase(out.seq) == 0) return true;
    }
}

}  // namespace mxsim::sim
