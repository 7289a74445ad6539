// memory_budget.hpp - how much memory a run may use on this machine: the least of
// its physical memory, the process's address-space and data limits (ulimit -v,
// ulimit -d) and its cgroup's memory.max. Offers machine_memory_budget() and
// parse_memory_size() for --max-memory ("512M", "2G", "1.5GiB", "800000000").
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "scenario/work_estimate.hpp"

namespace mxsim::experiment {

// The budget of this process, named for messages ("this machine's limit of 23.4 GiB
// (physical memory)"); bytes 0 when nothing could be read.
format::MemoryBudget machine_memory_budget();

// A size with an optional K, M, G or T suffix (powers of 1024; "B", "iB" allowed);
// nullopt when it is not one or is zero.
std::optional<std::uint64_t> parse_memory_size(std::string_view text);

}  // namespace mxsim::experiment
