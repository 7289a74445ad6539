// quantiles.hpp - exact sample quantiles (delivery delays, queue residence).
// Offers Quantiles: add samples, ask for any p in [0, 1]. The estimator is
// Hyndman & Fan's type 7 (linear interpolation between order statistics;
// the default of R and NumPy), so figures can be checked with either.
#pragma once

#include <cstddef>
#include <vector>

namespace mxsim::sim {

class Quantiles {
  public:
    void add(double sample);
    std::size_t count() const { return samples_.size(); }

    // Type 7: h = (n-1)p; x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h]).
    // Throws std::invalid_argument for p outside [0, 1] and std::logic_error
    // when there are no samples.
    double quantile(double p) const;

  private:
    mutable std::vector<double> samples_;
    mutable bool sorted_ = true;
};

}  // namespace mxsim::sim
