// time_weighted.hpp - the time-weighted mean of a piecewise-constant level.
// Offers TimeWeighted: record the level whenever it changes (queue depth,
// sessions open), then ask for its mean and maximum over the observed span.
#pragma once

#include <algorithm>
#include <stdexcept>

#include "sim/sim_time.hpp"

namespace mxsim::sim {

class TimeWeighted {
  public:
    explicit TimeWeighted(SimTime start = 0, double level = 0)
        : start_(start), last_(start), level_(level), max_(level) {}

    // The level becomes `level` at time `at` (which must not go backwards).
    void set(SimTime at, double level) {
        advance(at);
        level_ = level;
        max_ = std::max(max_, level);
    }
    void add(SimTime at, double delta) { set(at, level_ + delta); }

    // Mean over [start, end]; with end == start, the current level.
    double mean(SimTime end) const {
        if (end < last_) throw std::invalid_argument("TimeWeighted::mean: end before last change");
        if (end == start_) return level_;
        const double area = area_ + level_ * static_cast<double>(end - last_);
        return area / static_cast<double>(end - start_);
    }
    double level() const { return level_; }
    double max() const { return max_; }

  private:
    void advance(SimTime at) {
        if (at < last_) throw std::invalid_argument("TimeWeighted: time went backwards");
        area_ += level_ * static_cast<double>(at - last_);
        last_ = at;
    }

    SimTime start_;
    SimTime last_;
    double level_;
    double max_;
    double area_ = 0;  // integral of the level over [start_, last_], in level x microseconds
};

}  // namespace mxsim::sim
