// results_writer.hpp - a run's results as file contents: summary.json and
// trace.jsonl (docs/results-format.md; the CSV files are csv_results.hpp's, the
// graphs backscatter_graph.hpp's).
// Offers summary_json(), trace_jsonl() and the others; experiment/safe_files.hpp
// writes them.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/run_results.hpp"
#include "model/trace.hpp"

namespace mxsim::experiment {

struct RunMetadata {
    std::string scenario_name;
    std::string scenario_file;
    std::string content_hash;
    std::uint64_t seed = 0;
    std::string mxsim_version;
    std::vector<std::string> warnings;
    std::vector<std::string> sets;  // the command line's --set POINTER=VALUE, in order
};

struct RunTiming {
    double wall_seconds = 0;
    double events_per_second = 0;
};

nlohmann::ordered_json summary_json(const RunMetadata& meta, const model::RunResults& r,
                                    const RunTiming& timing);
std::string trace_jsonl(const std::vector<model::TraceRecord>& trace);

}  // namespace mxsim::experiment
