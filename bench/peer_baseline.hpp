// peer_baseline.hpp - `mxsim-bench flood --peer`: mxsim against its SimPy peer.
// Offers run_peer_comparison(): runs `mxsim run` and bench/peer/flood_peer.py as
// whole processes on the same world, checks that their counts agree, times both.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench/flood_scenario.hpp"

namespace mxsim::bench {

// Named counts of one run, in a fixed order (messages, worm.*, ndr.*, ...).
using Counts = std::vector<std::pair<std::string, double>>;

// The counts of mxsim's summary.json and of the peer's --json output.
Counts mxsim_counts(const nlohmann::json& summary);
Counts peer_counts(const nlohmann::json& peer);

// Whether two samples of a count agree: their means within 3 combined standard
// errors plus a slack of max(10, 0.5% of the value) for counts that barely vary.
bool counts_agree(const std::vector<double>& a, const std::vector<double>& b);

// Returns the exit code: 0 when every count agrees, 1 when one does not or a
// run failed.
int run_peer_comparison(const FloodSize& size, int reps, bool json);

}  // namespace mxsim::bench
