// ramp.hpp - traffic rates that change over time, and arrivals drawn from them.
// Offers ramp_rate() (the piecewise-linear rate at a time) and next_ramp_arrival()
// (the next arrival of a non-homogeneous Poisson process, by thinning).
#pragma once

#include <optional>
#include <vector>

#include "model/scenario.hpp"
#include "sim/random_stream.hpp"

namespace mxsim::model {

// Messages per hour at `t`: 0 before the first point, linear between
// consecutive points, the last point's rate after it. `ramp` is non-empty and
// sorted by strictly increasing `at`.
double ramp_rate(const std::vector<RampPoint>& ramp, SimTime t);

// The first arrival after `from` and before `stop` of a Poisson process of
// rate scale x ramp_rate(t), or nullopt. Thinning (Lewis and Shedler 1979):
// candidates come at the constant rate scale x max(ramp) and each is kept with
// probability rate(t) / max, both drawn from `rng`, so a source keeps its own
// stream and common random numbers hold across variants.
std::optional<SimTime> next_ramp_arrival(const std::vector<RampPoint>& ramp, double scale,
                                         SimTime from, SimTime stop, sim::RandomStream& rng);

}  // namespace mxsim::model
