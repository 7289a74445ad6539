// explain_command.hpp - `mxsim explain SCENARIO.json --message ID | --address ADDR`.
// Offers explain_command(): runs the scenario's baseline with every message traced
// and prints the story of the chosen messages, each step with the rule behind it
// (experiment::tell_story(), which mxsim-gui's teaching view calls too).
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace mxsim::cli {

int explain_command(const std::vector<std::string_view>& args, std::ostream& out,
                    std::ostream& err);

}  // namespace mxsim::cli
