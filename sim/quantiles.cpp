// quantiles.cpp - the type-7 quantile estimator over a lazily sorted sample.
#include "sim/quantiles.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace mxsim::sim {

void Quantiles::add(double sample) {
    if (std::isnan(sample)) throw std::invalid_argument("Quantiles::add: NaN sample");
    if (!samples_.empty() && sample < samples_.back()) sorted_ = false;
    samples_.push_back(sample);
}

double Quantiles::quantile(double p) const {
    if (!(p >= 0 && p <= 1))
        throw std::invalid_argument("Quantiles::quantile: p must be in [0, 1]");
    if (samples_.empty()) throw std::logic_error("Quantiles::quantile: no samples");
    if (!sorted_) {
        std::sort(samples_.begin(), samples_.end());
        sorted_ = true;
    }
    const double h = static_cast<double>(samples_.size() - 1) * p;
    const auto lo = static_cast<std::size_t>(std::floor(h));
    const std::size_t hi = std::min(lo + 1, samples_.size() - 1);
    return samples_[lo] + (h - static_cast<double>(lo)) * (samples_[hi] - samples_[lo]);
}

}  // namespace mxsim::sim
