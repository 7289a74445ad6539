// progress.hpp - what the kernel reports about a run while it is going.
// Offers ProgressReport and the ProgressHook type; Simulator fills and calls it
// at most once per configured wall-clock interval, off the per-event path.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>

#include "sim/sim_time.hpp"

namespace mxsim::sim {

struct ProgressReport {
    std::uint64_t events = 0;                // dispatched since the run began
    double wall_seconds = 0;                 // since the run began
    double events_per_second = 0;            // over the run so far
    SimTime now = 0;                         // simulated clock
    double sim_seconds_per_wall_second = 0;  // over the run so far
    std::size_t pending = 0;                 // live events in the queue
    std::optional<double> eta_wall_seconds;  // only when running until a known time
};

// Called on the simulation thread; it may call Simulator::stop() (a GUI's
// cancel button sets a flag that its hook turns into stop()).
using ProgressHook = std::function<void(const ProgressReport&)>;

}  // namespace mxsim::sim
