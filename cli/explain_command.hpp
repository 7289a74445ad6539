// explain_command.hpp - `mxsim explain SCENARIO.json --message ID | --address ADDR`.
// Offers explain_command(): runs the scenario's baseline with every message traced
// and prints the story of the chosen messages, each step with the rule behind it.
// tell_story() is the same run and story as data, for mxsim-gui's teaching view.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "cli/explain.hpp"
#include "model/scenario.hpp"

namespace mxsim::cli {

struct Story {
    std::vector<model::MessageId> selected;  // ascending, as select_messages() returns them
    std::vector<model::TraceRecord> steps;   // the selected messages' trace records, in order
    std::string text;                        // explain_story()
};

// Runs `scenario` once (replication 0) with every message traced and tells the
// story of the messages `query` selects. Throws std::invalid_argument for a
// query select_messages() refuses.
Story tell_story(const model::Scenario& scenario, std::uint64_t seed, const ExplainQuery& query);

int explain_command(const std::vector<std::string_view>& args, std::ostream& out,
                    std::ostream& err);

}  // namespace mxsim::cli
