// replay_command.hpp - `mxsim replay MAILLOG --scenario S.json [--host NAME]
// [--out DIR]`: a Postfix maillog's traffic through a scenario, logged and
// simulated attempts side by side (docs/import.md). Offers replay_command().
#pragma once

#include <ostream>
#include <string_view>
#include <vector>

namespace mxsim::cli {

int replay_command(const std::vector<std::string_view>& args, std::ostream& out, std::ostream& err);

}  // namespace mxsim::cli
