// replay.hpp - `mxsim replay`: a real maillog's traffic run through a scenario,
// and the logged and the simulated delivery attempts side by side, message by
// message (issue 14). Offers replay(): the replay.json document and its summary.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "importers/maillog.hpp"

namespace mxsim::experiment {

struct ReplayOptions {
    std::string host;  // the scenario's host the log is from
    std::uint64_t seed = 1;
};

// Replaces the scenario's traffic by the log's: each logged message submitted
// into `host`'s queue at its arrival (one message per recipient), each SMTP-time
// refusal sent directly to the recipient's MX by a client host the replay adds.
// Runs it for the log's span and compares. `scenario` is the scenario document
// (templates and variants as in a scenario file; the baseline is run).
// Throws format::ScenarioError for a scenario that cannot take the traffic.
nlohmann::ordered_json replay(const importer::Maillog& log, nlohmann::json scenario,
                              const std::string& scenario_origin, const ReplayOptions& options);

// The summary as lines for the terminal.
std::string describe_replay(const nlohmann::ordered_json& replay);

}  // namespace mxsim::experiment
