// kernel_bench.hpp - `mxsim-bench kernel`: the pending-event set against heaps.
// Offers run_kernel_bench(), which parses its own arguments and prints results.
#pragma once

#include <span>
#include <string_view>

namespace mxsim::bench {

// Returns the process exit code.
int run_kernel_bench(std::span<const std::string_view> args);

}  // namespace mxsim::bench
