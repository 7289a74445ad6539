// expiring_map.hpp - a flat hash map from NameId to a value that expires.
// Offers ExpiringMap<V>: find() (unexpired entries only), put(); open addressing
// with linear probing in one array, so a lookup touches one cache line. Expired
// entries are dropped whenever the table would grow, so it holds about what one
// TTL's worth of lookups brings, not every name ever seen (a resolver cache).
#pragma once

#include <bit>
#include <cstdint>
#include <vector>

#include "model/name_table.hpp"
#include "sim/sim_time.hpp"

namespace mxsim::model {

template <class V>
class ExpiringMap {
  public:
    // The value for `key` if present and `now < expires` (then stored in
    // `*expires_at` if given); nullptr otherwise.
    const V* find(NameId key, sim::SimTime now, sim::SimTime* expires_at = nullptr) const {
        if (slots_.empty()) return nullptr;
        for (std::size_t i = home(key);; i = (i + 1) & mask()) {
            const Slot& s = slots_[i];
            if (s.key == kEmpty) return nullptr;
            if (s.key != key) continue;
            if (now >= s.expires) return nullptr;
            if (expires_at) *expires_at = s.expires;
            return &s.value;
        }
    }

    void put(NameId key, V value, sim::SimTime expires, sim::SimTime now) {
        if (2 * (used_ + 1) > slots_.size()) rebuild(now);
        for (std::size_t i = home(key);; i = (i + 1) & mask()) {
            Slot& s = slots_[i];
            if (s.key == kEmpty) ++used_;
            if (s.key == kEmpty || s.key == key) {
                s = {key, std::move(value), expires};
                return;
            }
        }
    }

    std::size_t size() const { return used_; }
    // Fetches the slot where a lookup of `key` starts into the CPU's caches.
    void prefetch(NameId key) const {
        if (!slots_.empty()) __builtin_prefetch(&slots_[home(key)]);
    }

  private:
    static constexpr NameId kEmpty = UINT32_MAX;
    struct Slot {  // 16 bytes for a 4-byte value
        NameId key = kEmpty;
        V value{};
        sim::SimTime expires = 0;
    };

    std::size_t mask() const { return slots_.size() - 1; }
    std::size_t home(NameId key) const {
        return static_cast<std::size_t>((std::uint64_t{key} * 0x9E3779B97F4A7C15ull) >> 32) &
               mask();
    }
    // Keeps the unexpired entries in a table they fill to at most 3/8, so at
    // least 1/8 of it can be filled before the next rebuild (amortised O(1)).
    void rebuild(sim::SimTime now) {
        std::vector<Slot> old;
        old.swap(slots_);
        std::size_t live = 0;
        for (const Slot& s : old)
            live += s.key != kEmpty && now < s.expires;
        const std::size_t capacity = std::bit_ceil(8 * (live + 1) / 3 + 16);
        slots_.assign(capacity, Slot{});
        used_ = 0;
        for (Slot& s : old)
            if (s.key != kEmpty && now < s.expires) put(s.key, std::move(s.value), s.expires, now);
    }

    std::vector<Slot> slots_;
    std::size_t used_ = 0;
};

}  // namespace mxsim::model
