// experiment_runner.hpp - runs every job of an experiment on worker threads, with
// progress and cancellation; shared by `mxsim run` and mxsim-gui. Offers
// run_experiment() and experiment_summary_json() (the whole summary.json).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/comparison.hpp"
#include "cli/experiment.hpp"
#include "cli/results_writer.hpp"
#include "model/run_results.hpp"
#include "model/trace.hpp"
#include "sim/progress.hpp"

namespace mxsim::cli {

// Thrown by run_experiment() when its cancel flag was raised.
class RunCancelled : public std::runtime_error {
  public:
    RunCancelled() : std::runtime_error("run cancelled") {}
};

struct RunnerOptions {
    std::uint64_t seed = 1;
    unsigned threads = 1;
    bool trace_first_job = false;  // record the trace of job 0 (the baseline's first replication)
    // Wall seconds between progress reports (and cancel checks) of each job.
    double progress_interval_seconds = 0.2;
};

// Optional observers; each may be called from any worker thread.
struct RunnerHooks {
    std::function<sim::ProgressHook(std::size_t job)> progress_for;  // e.g. ProgressBar::hook_for
    std::function<void(std::size_t job, std::uint64_t events)> job_done;
    // Raised by another thread to stop: every running job stops at its next
    // progress check and run_experiment() throws RunCancelled.
    const std::atomic<bool>* cancel = nullptr;
};

struct ExperimentRuns {
    std::vector<model::RunResults> runs;    // [(variant * points + point) * replications + rep]
    std::vector<model::TraceRecord> trace;  // of job 0, with trace_first_job
};

// Jobs are handed out in order to whichever worker is free; each writes only
// its own slot, so the results do not depend on the number of threads. A failed
// job stops the others and is rethrown as std::runtime_error naming the job.
ExperimentRuns run_experiment(const Experiment& ex, const RunnerOptions& options,
                              const RunnerHooks& hooks = {});

// summary.json as `mxsim run` writes it: the baseline's first replication in
// detail, the run's shape, the comparison, and the timing last.
nlohmann::ordered_json experiment_summary_json(const RunMetadata& meta, const Experiment& ex,
                                               const std::vector<model::RunResults>& runs,
                                               const Comparison& comparison,
                                               const RunTiming& timing);

}  // namespace mxsim::cli
