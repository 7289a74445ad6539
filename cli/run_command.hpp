// run_command.hpp - `mxsim run SCENARIO.json [--seed N] [--out DIR] [--trace]`.
// Offers run_command(): loads, simulates, prints a readable summary, writes results.
#pragma once

#include <ostream>
#include <string_view>
#include <vector>

namespace mxsim::cli {

// Returns the process exit code; errors go to `err` as one clear line.
int run_command(const std::vector<std::string_view>& args, std::ostream& out, std::ostream& err);

}  // namespace mxsim::cli
