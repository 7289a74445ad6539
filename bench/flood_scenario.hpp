// flood_scenario.hpp - the scenario `mxsim-bench flood` runs, built in memory.
// Offers flood_scenario(): a Klez-style flood over many domains and MTAs, as
// the JSON document a user would write (so the loader validates it).
#pragma once

#include <cstdint>

#include <nlohmann/json.hpp>

namespace mxsim::bench {

struct FloodSize {
    std::uint64_t messages = 1'000'000;  // worm messages over the first day
    int domains = 10'000;
    int mtas = 1'000;
    int days = 6;         // simulated: one day of flood, then retries until NDRs expire
    int mailboxes = 100;  // per domain
};

nlohmann::json flood_scenario(const FloodSize& size);

}  // namespace mxsim::bench
