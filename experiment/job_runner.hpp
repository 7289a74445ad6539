// job_runner.hpp - the jobs of an experiment (variant x sweep point x replication)
// and the threads that run them. Offers run_job() (one job), describe_job() (its
// name in messages), run_job_pool() (threads pulling jobs from any source) and
// run_jobs() (every job in this process); experiment/mpi_farm spreads them over processes.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "experiment/run_cancelled.hpp"
#include "model/run_results.hpp"
#include "model/trace.hpp"
#include "scenario/experiment_file.hpp"
#include "sim/progress.hpp"

namespace mxsim::experiment {

struct JobSettings {
    std::uint64_t seed = 1;
    bool trace = false;  // record the trace of the first job run (job 0 when all are run)
    // Wall seconds between progress reports (and cancel checks) of each job.
    double progress_interval_seconds = 0.2;
    // The jobs to run, in the order they are handed out (`run --job N`, or those a
    // results database lacks); nullopt: every job.
    std::optional<std::vector<std::size_t>> only;
};

// The job whose trace JobSettings::trace records: the first one run.
std::size_t traced_job(const JobSettings& settings);
// 0, 1, ... job_count(ex) - 1.
std::vector<std::size_t> every_job(const format::Experiment& ex);
// The jobs `settings` asks for, in order.
std::vector<std::size_t> jobs_to_run(const format::Experiment& ex, const JobSettings& settings);

// Optional observers; each may be called from any worker thread.
struct RunnerHooks {
    std::function<sim::ProgressHook(std::size_t job)> progress_for;  // e.g. JobProgress::hook_for
    std::function<void(std::size_t job, std::uint64_t events)> job_done;
    // A job's results have reached this process (after job_done); e.g. to store them.
    std::function<void(std::size_t job, const model::RunResults& run)> job_result;
    // Raised by another thread to stop: every running job stops at its next
    // progress check (throwing RunCancelled out of it), and no job starts.
    const std::atomic<bool>* cancel = nullptr;
    bool cancelled() const { return cancel && cancel->load(); }
};

// Job j is variant j / reps / points, sweep point j / reps % points, replication j % reps.
std::size_t job_count(const format::Experiment& ex);
struct JobPlace {
    std::size_t variant, point, replication;
};
JobPlace place_of(const format::Experiment& ex, std::size_t job);
// "variant V, sweep point P, replication R" (no sweep point without sweeps).
std::string describe_job(const format::Experiment& ex, std::size_t job);

struct JobResult {
    model::RunResults run;
    std::vector<model::TraceRecord> trace;  // traced_job() with JobSettings::trace only
};

// Simulates one job, reporting its progress to `hooks`.
JobResult run_job(const format::Experiment& ex, std::size_t job, const JobSettings& settings,
                  const RunnerHooks& hooks);

// Where a pool gets its jobs and leaves their results. Each is called from any
// of the pool's threads, so each must be thread-safe.
struct JobHandlers {
    std::function<std::optional<std::size_t>()> next;  // nullopt: no more work
    std::function<void(std::size_t job, JobResult&& result)> done;
    std::function<void(std::size_t job, const std::string& what)> failed;  // the job threw
};

// Runs jobs on `threads` threads (the calling one among them) until next() says stop.
// A cancelled job is neither done nor failed: the pool stops and rethrows RunCancelled.
void run_job_pool(const format::Experiment& ex, const JobSettings& settings, unsigned threads,
                  const RunnerHooks& hooks, const JobHandlers& handlers);

struct JobOutput {
    // [(variant * points + point) * replications + rep]; a job not run stays empty.
    std::vector<model::RunResults> runs;
    std::vector<model::TraceRecord> trace;  // of traced_job()
};

// The jobs `settings` asks for, in this process. Jobs are handed out in order to
// whichever thread is free; each writes only its own slot, so the results do not
// depend on the number of threads. Throws std::runtime_error naming the first job that failed, or
// RunCancelled (handing back nothing) when the hooks' cancel flag was raised.
JobOutput run_jobs(const format::Experiment& ex, const JobSettings& settings, unsigned threads,
                   const RunnerHooks& hooks = {});

}  // namespace mxsim::experiment
