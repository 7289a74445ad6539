// replication_summary.hpp - what independent replications say about a metric.
// Offers summarize() (mean, sample standard deviation, Student-t 95% interval)
// and paired_difference() for two variants run with common random numbers.
#pragma once

#include <cstddef>
#include <span>

namespace mxsim::sim {

struct Summary {
    std::size_t n = 0;
    double mean = 0;
    double stddev = 0;      // sample standard deviation (n - 1 in the denominator)
    double half_width = 0;  // of the 95% confidence interval; NaN when n < 2
    bool has_interval() const { return n >= 2; }
    double low() const { return mean - half_width; }
    double high() const { return mean + half_width; }
};

// mean +- t(0.975, n-1) * s / sqrt(n). Throws std::invalid_argument when empty.
Summary summarize(std::span<const double> values);

// The summary of variant[i] - baseline[i]: replication i of both used the same
// random streams, so the pairing removes their shared noise and the interval
// is usually much narrower than that of two independent means. Throws
// std::invalid_argument when the sizes differ or are zero.
Summary paired_difference(std::span<const double> baseline, std::span<const double> variant);

}  // namespace mxsim::sim
