// time_series.hpp - fixed-width time bins for plotting a run.
// Offers TimeSeries (amounts summed per bin: messages, NDRs) and LevelSeries
// (time-weighted mean of a level per bin: queue depth). Bins cover [0, end);
// what happens at or after `end` is kept in overflow(), never lost.
#pragma once

#include <algorithm>
#include <cstddef>
#include <stdexcept>
#include <vector>

#include "sim/sim_time.hpp"

namespace mxsim::sim {

class TimeSeries {
  public:
    TimeSeries(SimTime bin_width, SimTime end) : width_(bin_width), end_(end) {
        if (bin_width <= 0) throw std::invalid_argument("TimeSeries: bin width must be positive");
        if (end < 0) throw std::invalid_argument("TimeSeries: end must not be negative");
        bins_.assign(static_cast<std::size_t>((end + bin_width - 1) / bin_width), 0.0);
    }

    void add(SimTime at, double amount = 1) {
        if (at < 0) throw std::invalid_argument("TimeSeries::add: negative time");
        (at < end_ ? bins_[static_cast<std::size_t>(at / width_)] : overflow_) += amount;
    }

    SimTime bin_width() const { return width_; }
    SimTime end() const { return end_; }
    SimTime bin_start(std::size_t bin) const { return static_cast<SimTime>(bin) * width_; }
    const std::vector<double>& bins() const { return bins_; }
    double overflow() const { return overflow_; }

  private:
    SimTime width_;
    SimTime end_;
    std::vector<double> bins_;
    double overflow_ = 0;
};

// A piecewise-constant level, reported as its time-weighted mean in each bin.
class LevelSeries {
  public:
    LevelSeries(SimTime bin_width, SimTime end, double initial = 0)
        : area_(bin_width, end), level_(initial) {}

    // The level becomes `level` at `at`; times must not go backwards.
    void set(SimTime at, double level) {
        if (at < last_) throw std::invalid_argument("LevelSeries::set: time went backwards");
        spread(last_, at);
        last_ = at;
        level_ = level;
    }

    // Per-bin means, with the level held until `end` (the end of the run).
    std::vector<double> means(SimTime end) const {
        if (end < last_) throw std::invalid_argument("LevelSeries::means: end before last change");
        LevelSeries closed = *this;
        closed.spread(last_, end);
        std::vector<double> out = closed.area_.bins();
        for (std::size_t b = 0; b < out.size(); ++b) {
            // The last bin may be cut short by the end of the run.
            const SimTime covered = std::min(area_.bin_width(), end - area_.bin_start(b));
            out[b] = covered > 0 ? out[b] / static_cast<double>(covered) : level_;
        }
        return out;
    }

  private:
    // Adds level x duration to every bin that [from, to) overlaps.
    void spread(SimTime from, SimTime to) {
        const SimTime width = area_.bin_width();
        while (from < to) {
            if (from >= area_.end()) {  // past the last bin: one overflow entry
                area_.add(from, level_ * static_cast<double>(to - from));
                return;
            }
            const SimTime bin_end = std::min((from / width + 1) * width, area_.end());
            const SimTime stop = std::min(bin_end, to);
            area_.add(from, level_ * static_cast<double>(stop - from));
            from = stop;
        }
    }

    TimeSeries area_;  // level x microseconds per bin
    SimTime last_ = 0;
    double level_;
};

}  // namespace mxsim::sim
