// event_chain.hpp - FIFO chains of Events in fixed-size blocks from a shared pool.
// Offers EventBlockPool (hands out and recycles blocks) and EventChain (append,
// pop_front, visit, drain). The queue's buckets are chains, so memory follows
// the number of pending events, not each bucket's historical peak, and a busy
// run reuses warm blocks instead of growing and freeing vectors.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "sim/event.hpp"

namespace mxsim::sim {

struct EventBlock {
    static constexpr std::size_t kCapacity = 170;  // 170 x 24 B + link: about 4 KiB
    Event events[kCapacity];
    EventBlock* next = nullptr;
};

class EventBlockPool {
  public:
    EventBlock* take() {
        if (free_ == nullptr) grow();
        EventBlock* b = free_;
        free_ = b->next;
        b->next = nullptr;
        return b;
    }
    void give_back(EventBlock* b) {
        b->next = free_;
        free_ = b;
    }

  private:
    static constexpr std::size_t kBlocksPerSlab = 256;  // ~1 MiB per allocation
    void grow() {
        slabs_.push_back(std::make_unique<EventBlock[]>(kBlocksPerSlab));
        for (std::size_t i = 0; i < kBlocksPerSlab; ++i)
            give_back(&slabs_.back()[i]);
    }

    std::vector<std::unique_ptr<EventBlock[]>> slabs_;
    EventBlock* free_ = nullptr;
};

// A chain does not own its pool; every call that may take or return blocks
// names the pool. Plain data, so swapping two chains is O(1).
class EventChain {
  public:
    bool empty() const { return head_ == nullptr; }
    const Event& front() const { return head_->events[read_]; }

    void append(EventBlockPool& pool, const Event& e) {
        if (tail_ == nullptr) {
            head_ = tail_ = pool.take();
        } else if (written_ == EventBlock::kCapacity) {
            tail_->next = pool.take();
            tail_ = tail_->next;
            written_ = 0;
        }
        tail_->events[written_++] = e;
    }

    // Removes the first event; the chain must not be empty.
    Event pop_front(EventBlockPool& pool) {
        const Event e = head_->events[read_++];
        const std::size_t end = head_ == tail_ ? written_ : EventBlock::kCapacity;
        if (read_ == end) {
            EventBlock* done = head_;
            head_ = head_->next;
            read_ = 0;
            if (head_ == nullptr) tail_ = nullptr, written_ = 0;
            pool.give_back(done);
        }
        return e;
    }

    // Calls f(event) for each event in order.
    template <class F>
    void visit(F&& f) const {
        for (const EventBlock* b = head_; b != nullptr; b = b->next) {
            const std::size_t begin = b == head_ ? read_ : 0;
            const std::size_t end = b == tail_ ? written_ : EventBlock::kCapacity;
            for (std::size_t i = begin; i < end; ++i)
                f(b->events[i]);
        }
    }

    // Calls f(event) for each event in order and empties the chain. Each
    // block goes back to the pool once visited, so f may append to other
    // chains of the same pool and reuse the block at once.
    template <class F>
    void drain(EventBlockPool& pool, F&& f) {
        EventBlock* b = head_;
        const EventBlock* last = tail_;
        std::size_t begin = read_;
        const std::size_t last_end = written_;
        *this = EventChain{};
        while (b != nullptr) {
            const std::size_t end = b == last ? last_end : EventBlock::kCapacity;
            EventBlock* next = b->next;
            for (std::size_t i = begin; i < end; ++i)
                f(b->events[i]);
            pool.give_back(b);
            b = next;
            begin = 0;
        }
    }

  private:
    EventBlock* head_ = nullptr;
    EventBlock* tail_ = nullptr;
    std::size_t read_ = 0;     // next event to pop in head_
    std::size_t written_ = 0;  // events written in tail_
};

}  // namespace mxsim::sim
