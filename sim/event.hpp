// event.hpp - the kernel's event record and the handle that names a pending event.
// An Event is plain data (24 bytes): when, a tie-break sequence, what kind, for whom.
// The model gives kind and target their meaning; the kernel only orders them.
#pragma once

#include <cstdint>

#include "sim/sim_time.hpp"

namespace mxsim::sim {

// Events are ordered by (time, seq). seq is assigned by the queue in insertion
// order, so events at equal times run first-scheduled-first: runs reproduce
// bit for bit whatever the container's internals.
struct Event {
    SimTime time = 0;
    std::uint64_t seq = 0;
    std::uint32_t kind = 0;    // the model's event type (an enum value)
    std::uint32_t target = 0;  // index of the object the event is for (an MTA, a source, ...)
};

// Names one scheduled event, for cancellation.
struct EventId {
    SimTime time = 0;
    std::uint64_t seq = 0;
};

constexpr bool runs_before(SimTime at, std::uint64_t seq, SimTime other_at,
                           std::uint64_t other_seq) {
    return at < other_at || (at == other_at && seq < other_seq);
}
constexpr bool runs_before(const Event& a, const Event& b) {
    return runs_before(a.time, a.seq, b.time, b.seq);
}

}  // namespace mxsim::sim
