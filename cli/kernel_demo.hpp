// kernel_demo.hpp - `mxsim demo`: the kernel checked against queueing theory.
// Offers run_kernel_demo(): an M/M/1 queue in two variants with common random
// numbers and replications, compared with the exact answers; kernel_demo_metrics()
// gives the same numbers to a test.
#pragma once

#include <cstdint>
#include <ostream>
#include <vector>

#include "sim/replication_summary.hpp"

namespace mxsim::cli {

struct KernelDemoOptions {
    std::uint64_t seed = 1;
    int replications = 10;
    double arrival_rate = 0.8;      // per second
    double baseline_service = 1.0;  // per second
    double variant_service = 1.25;  // per second
    double hours = 24;
};

// Each metric over the replications, with the exact M/M/1 value it estimates.
struct DemoMetric {
    const char* name;
    sim::Summary baseline, variant, difference;
    double exact_baseline, exact_variant;
};
std::vector<DemoMetric> kernel_demo_metrics(const KernelDemoOptions& options);

// Prints the comparison table; returns the process exit code.
int run_kernel_demo(const KernelDemoOptions& options, std::ostream& out);

}  // namespace mxsim::cli
