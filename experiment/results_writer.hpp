// results_writer.hpp - writes a run's results: summary.json and trace.jsonl.
// Offers summary_json(), trace_jsonl() and write_files_atomically(): every file
// of a result set is written to a temporary name first and renamed only when
// all are complete, so a directory never holds half a result.
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
};

struct RunTiming {
    double wall_seconds = 0;
    double events_per_second = 0;
};

nlohmann::ordered_json summary_json(const RunMetadata& meta, const model::RunResults& r,
                                    const RunTiming& timing);
std::string trace_jsonl(const std::vector<model::TraceRecord>& trace);
// Who sent NDRs to whom, as Graphviz DOT (Boost.Graph's write_graphviz): MTAs
// and recipient domains as nodes, one edge per pair labelled with the count.
std::string backscatter_dot(const model::RunResults& r);

// (file name, content) pairs into `dir` (created if missing). Throws
// std::runtime_error naming the file on any failure, leaving no partial file.
void write_files_atomically(const std::string& dir,
                            const std::vector<std::pair<std::string, std::string>>& files);

}  // namespace mxsim::experiment
