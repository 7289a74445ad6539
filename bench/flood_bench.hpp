// flood_bench.hpp - `mxsim-bench flood`: a Klez-style flood at scale, end to end.
// Offers run_flood_bench(), which parses its own arguments and prints results.
#pragma once

#include <span>
#include <string_view>

namespace mxsim::bench {

// Returns the process exit code.
int run_flood_bench(std::span<const std::string_view> args);

}  // namespace mxsim::bench
