// replication_summary.cpp - means, Student-t intervals and paired differences.
#include "sim/replication_summary.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include <boost/math/distributions/students_t.hpp>

namespace mxsim::sim {

Summary summarize(std::span<const double> values) {
    if (values.empty()) throw std::invalid_argument("summarize: no values");
    Summary s;
    s.n = values.size();
    double sum = 0;
    for (const double v : values)
        sum += v;
    s.mean = sum / static_cast<double>(s.n);
    if (s.n < 2) {
        s.half_width = std::numeric_limits<double>::quiet_NaN();
        return s;
    }
    double squares = 0;
    for (const double v : values)
        squares += (v - s.mean) * (v - s.mean);
    s.stddev = std::sqrt(squares / static_cast<double>(s.n - 1));
    const boost::math::students_t t(static_cast<double>(s.n - 1));
    s.half_width = boost::math::quantile(t, 0.975) * s.stddev / std::sqrt(static_cast<double>(s.n));
    return s;
}

Summary paired_difference(std::span<const double> baseline, std::span<const double> variant) {
    if (baseline.size() != variant.size())
        throw std::invalid_argument("paired_difference: " + std::to_string(baseline.size()) +
                                    " baseline values but " + std::to_string(variant.size()) +
                                    " variant values");
    std::vector<double> diff(baseline.size());
    for (std::size_t i = 0; i < diff.size(); ++i)
        diff[i] = variant[i] - baseline[i];
    return summarize(diff);
}

}  // namespace mxsim::sim
