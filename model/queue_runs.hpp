// queue_runs.hpp - the grid of a periodic queue runner (exim -q30m, sendmail
// -q15m): runs at phase, phase + interval, ... from the daemon's start.
// Offers next_queue_run_after().
#pragma once

#include "sim/sim_time.hpp"

namespace mxsim::model {

// The first run strictly after `t`.
inline sim::SimTime next_queue_run_after(sim::SimTime t, sim::SimTime interval,
                                         sim::SimTime phase) {
    if (t < phase) return phase;
    return phase + ((t - phase) / interval + 1) * interval;
}

}  // namespace mxsim::model
