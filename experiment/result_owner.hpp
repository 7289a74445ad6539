// result_owner.hpp - whose results a folder holds, so that a run does not replace
// another scenario's or seed's results without `--force` (issue 13). Offers
// other_results(): a description of the results there when they are not this run's.
#pragma once

#include <optional>
#include <string>

#include "experiment/results_writer.hpp"

namespace mxsim::experiment {

// nullopt when `dir` is missing, empty, or holds results of the same scenario
// file content, --set changes and seed as `meta` (a rerun); otherwise what it
// holds ("results of scenario klez-flood (content hash ..., seed 7)", or
// "files without a readable summary.json").
std::optional<std::string> other_results(const std::string& dir, const RunMetadata& meta);

}  // namespace mxsim::experiment
