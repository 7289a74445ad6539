// job_runner.hpp - the jobs of an experiment (variant x sweep point x replication)
// and the threads that run them. Offers run_job() (one job), describe_job() (its
// name in messages), run_job_pool() (threads pulling jobs from any source) and
// run_jobs() (every job in this process); cli/mpi_farm spreads them over processes.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cli/experiment.hpp"
#include "cli/progress_bar.hpp"
#include "model/run_results.hpp"
#include "model/trace.hpp"

namespace mxsim::cli {

struct JobSettings {
    std::uint64_t seed = 1;
    bool trace = false;  // record the trace of job 0 (the baseline's first replication)
};

// Job j is variant j / reps / points, sweep point j / reps % points, replication j % reps.
std::size_t job_count(const Experiment& ex);
// "variant V, sweep point P, replication R" (no sweep point without sweeps).
std::string describe_job(const Experiment& ex, std::size_t job);

struct JobResult {
    model::RunResults run;
    std::vector<model::TraceRecord> trace;  // job 0 with JobSettings::trace only
};

// Simulates one job, reporting its progress to `bar`.
JobResult run_job(const Experiment& ex, std::size_t job, const JobSettings& settings,
                  ProgressBar& bar);

// Where a pool gets its jobs and leaves their results. Each is called from any
// of the pool's threads, so each must be thread-safe.
struct JobHandlers {
    std::function<std::optional<std::size_t>()> next;  // nullopt: no more work
    std::function<void(std::size_t job, JobResult&& result)> done;
    std::function<void(std::size_t job, const std::string& what)> failed;  // the job threw
};

// Runs jobs on `threads` threads (the calling one among them) until next() says stop.
void run_job_pool(const Experiment& ex, const JobSettings& settings, unsigned threads,
                  ProgressBar& bar, const JobHandlers& handlers);

struct JobOutput {
    std::vector<model::RunResults> runs;    // [(variant * points + point) * replications + rep]
    std::vector<model::TraceRecord> trace;  // of job 0
};

// Every job in this process. Jobs are handed out in order to whichever thread is
// free; each writes only its own slot, so the results do not depend on the number
// of threads. Throws std::runtime_error naming the first job that failed.
JobOutput run_jobs(const Experiment& ex, const JobSettings& settings, unsigned threads,
                   ProgressBar& bar);

}  // namespace mxsim::cli
