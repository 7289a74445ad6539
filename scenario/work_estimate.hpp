// work_estimate.hpp - how much work and memory a scenario file asks for, worked out
// from the file alone before anything big is built, so that a small file asking for
// a huge world, sweep or series is refused with its numbers instead of ending in
// bad_alloc or minutes of silence. Offers MemoryBudget, WorldCounts (what a document's
// templates stand for, counted before expanding them), check_expansion() (the
// scenarios a sweep grid and its variants make), WorkEstimate, estimate_work() (the
// runs of a loaded experiment), check_work() and describe_work().
//
// The per-item costs are measured, not derived: bench/estimate_check.cpp builds worlds
// of each kind and prints measured peak memory beside these figures
// (docs/benchmarks.md, "The work estimate").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace mxsim::format {

struct Experiment;

// The memory a run may use; `bytes == 0`: no limit (nothing is checked).
struct MemoryBudget {
    std::uint64_t bytes = 0;
    std::string source;  // for messages: "this machine's 23.4 GiB", "--max-memory 2G"
};

// What a scenario document's hosts and domains stand for once their "count"
// templates are expanded, counted without expanding them. Malformed entries
// count as one (the loader reports them).
struct WorldCounts {
    std::uint64_t hosts = 0;
    std::uint64_t mtas = 0;  // hosts with an "mta"
    std::uint64_t domains = 0;
    std::uint64_t listed_mailboxes = 0;       // written out as strings
    std::uint64_t counted_mailboxes = 0;      // {"count", "pattern"}
    std::string largest_template = "/hosts";  // "/domains/2/count": the biggest count
};
WorldCounts count_world(const nlohmann::json& doc);

// The number of sweep points of a document's "sweeps" (the product of their value
// lists; saturating), read before the grid is built.
std::uint64_t count_sweep_points(const nlohmann::json& sweeps);

// One part of the memory a run needs, with the scenario key that drives it.
struct MemoryTerm {
    std::string key;   // a JSON pointer: "/sweeps", "/hosts/3/count", "/bin_width"
    std::string what;  // "1,000,000 scenarios (variants x sweep points) of 2,003 hosts"
    std::uint64_t bytes = 0;
};

// Throws ScenarioError (naming `origin`, the key and the numbers) when holding
// `scenarios` copies of a world of `world` exceeds the budget.
void check_expansion(const WorldCounts& world, std::uint64_t scenarios, std::string_view key,
                     const MemoryBudget& budget, std::string_view origin);

struct WorkEstimate {
    std::uint64_t jobs = 0;
    std::uint64_t hosts = 0;  // the largest job's world
    std::uint64_t mailboxes = 0;
    double messages = 0;             // expected over all jobs
    double events = 0;               // expected over all jobs
    std::uint64_t series_cells = 0;  // kept until the results are written, all jobs
    // The peak: the larger of reading the file and the sum of the other terms.
    std::uint64_t memory_bytes = 0;
    std::vector<MemoryTerm> terms;  // largest first
};

// The runs of `ex` on `threads` threads (at most that many worlds at once), with
// job 0 traced when `trace`.
WorkEstimate estimate_work(const Experiment& ex, unsigned threads, bool trace);

// Throws ScenarioError naming `origin` when the estimate exceeds the budget, with
// the largest terms and their keys.
void check_work(const WorkEstimate& w, const MemoryBudget& budget, std::string_view origin);

// "4 jobs, 1,002 hosts, 1,000,000 mailboxes, about 2.9 M messages and 8.7 M events,
// 46,000 series cells, about 310 MiB".
std::string describe_work(const WorkEstimate& w);

// "1.5 GiB", "310 MiB", "12 KiB".
std::string format_bytes(std::uint64_t bytes);

}  // namespace mxsim::format
