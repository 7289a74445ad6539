// experiment_runner.hpp - runs every job of an experiment on worker threads, with
// progress and cancellation; shared by `mxsim run` and mxsim-gui. Offers
// run_experiment() and experiment_summary_json() (the whole summary.json).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "experiment/comparison.hpp"
#include "experiment/job_runner.hpp"
#include "experiment/results_writer.hpp"
#include "model/run_results.hpp"
#include "scenario/experiment_file.hpp"

namespace mxsim::experiment {

struct RunnerOptions {
    std::uint64_t seed = 1;
    unsigned threads = 1;
    bool trace_first_job = false;  // record the trace of the first job run (job 0 by default)
    // Wall seconds between progress reports (and cancel checks) of each job.
    double progress_interval_seconds = 0.2;
    // The jobs to run, in order (JobSettings::only); nullopt: every job.
    std::optional<std::vector<std::size_t>> only;
};

// What run_experiment() hands back: every job's results, and job 0's trace.
using ExperimentRuns = JobOutput;

// Every job in this process, on options.threads threads (run_jobs, job_runner.hpp):
// a failed job stops the others and is rethrown as std::runtime_error naming it;
// a raised cancel flag ends in RunCancelled.
ExperimentRuns run_experiment(const format::Experiment& ex, const RunnerOptions& options,
                              const RunnerHooks& hooks = {});

// summary.json as `mxsim run` writes it: the baseline's first replication in
// detail, the run's shape, the comparison, and the timing last.
nlohmann::ordered_json experiment_summary_json(const RunMetadata& meta,
                                               const format::Experiment& ex,
                                               const std::vector<model::RunResults>& runs,
                                               const Comparison& comparison,
                                               const RunTiming& timing);

// summary.json of `mxsim run --job N`: that job in detail, with its place in the
// experiment under "run" ("job", "variant", "sweep_point", "replication"); no
// comparison, which needs every job.
nlohmann::ordered_json job_summary_json(const RunMetadata& meta, const format::Experiment& ex,
                                        std::size_t job, const model::RunResults& run,
                                        const RunTiming& timing);

}  // namespace mxsim::experiment
