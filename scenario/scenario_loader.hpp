// scenario_loader.hpp - reads a scenario JSON file into a validated model::Scenario.
// Offers load_scenario_file() and parse_scenario(); every error names the file,
// the JSON path and the expected form. JSON stays here, at the edge.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/scenario.hpp"

namespace mxsim::format {

// A scenario that cannot be used. what() reads e.g.
//   scenarios/x.json: /hosts/2/mta/queue/maximal_backoff_time: expected a duration like "4000s",
//   got 17
class ScenarioError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

struct LoadedScenario {
    model::Scenario scenario;
    std::vector<std::string>
        warnings;              // e.g. bounce_queue_lifetime lowered to maximal_queue_lifetime
    std::string content_hash;  // 16 hex digits: FNV-1a 64 of the file's bytes
};

LoadedScenario load_scenario_file(const std::string& path);
LoadedScenario parse_scenario(std::string_view json_text, std::string_view origin = "<scenario>");
// The same for a document already parsed (content_hash is left empty).
LoadedScenario read_scenario_document(const nlohmann::json& doc, std::string_view origin);
// 16 hex digits: FNV-1a 64 of a scenario file's bytes.
std::string parse_scenario_hash(std::string_view json_text);
// The bytes of a scenario file, at most kMaxScenarioBytes; throws ScenarioError naming
// the path.
inline constexpr std::size_t kMaxScenarioBytes = std::size_t{256} << 20;
std::string read_scenario_text(const std::string& path);

}  // namespace mxsim::format
