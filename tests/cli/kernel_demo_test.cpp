// kernel_demo_test.cpp - `mxsim demo` against M/M/1 theory: the kernel, random
// streams and statistics together must estimate W = 1/(mu - lambda), its 95th
// percentile -ln(0.05)/(mu - lambda) and L = lambda W within a tolerance.
#include <catch2/catch.hpp>

#include <cmath>

#include "cli/kernel_demo.hpp"

using namespace mxsim;

TEST_CASE("the M/M/1 demo estimates the exact values", "[demo][sim]") {
    cli::KernelDemoOptions o;
    o.replications = 20;
    o.hours = 48;
    const auto metrics = cli::kernel_demo_metrics(o);
    REQUIRE(metrics.size() == 3);
    // Exact values, written out: lambda 0.8/s; mu 1.0/s and 1.25/s.
    const double w_base = 1 / (1.0 - 0.8), w_var = 1 / (1.25 - 0.8);  // 5 s, 2.222 s
    const double expected[3][2] = {{w_base, w_var},
                                   {2.995732 * w_base, 2.995732 * w_var},  // -ln 0.05 = 2.9957
                                   {0.8 * w_base, 0.8 * w_var}};
    for (std::size_t i = 0; i < metrics.size(); ++i) {
        const auto& m = metrics[i];
        INFO(m.name);
        CHECK(m.exact_baseline == Approx(expected[i][0]).epsilon(1e-6));
        CHECK(m.exact_variant == Approx(expected[i][1]).epsilon(1e-6));
        // 960 simulated hours per variant: within 5% of theory (the 95%
        // intervals are about 2-3% wide), and the interval covers the truth
        // at three half-widths.
        CHECK(m.baseline.mean == Approx(expected[i][0]).epsilon(0.05));
        CHECK(m.variant.mean == Approx(expected[i][1]).epsilon(0.05));
        CHECK(std::abs(m.baseline.mean - expected[i][0]) < 3 * m.baseline.half_width);
        CHECK(std::abs(m.variant.mean - expected[i][1]) < 3 * m.variant.half_width);
        // A faster server lowers each metric; common random numbers make the
        // paired interval tighter than the unpaired ones.
        CHECK(m.difference.mean < 0);
        CHECK(m.difference.half_width < m.baseline.half_width + m.variant.half_width);
    }
}
