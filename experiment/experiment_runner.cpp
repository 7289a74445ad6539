// experiment_runner.cpp - an experiment's jobs in this process, and its summary.json.
#include "experiment/experiment_runner.hpp"

namespace mxsim::experiment {
namespace {

void keep_timing_last(nlohmann::ordered_json& summary) {
    const nlohmann::ordered_json timing = summary["timing"];
    summary.erase("timing");
    summary["timing"] = timing;
}

}  // namespace

ExperimentRuns run_experiment(const format::Experiment& ex, const RunnerOptions& options,
                              const RunnerHooks& hooks) {
    JobSettings settings;
    settings.seed = options.seed;
    settings.trace = options.trace_first_job;
    settings.progress_interval_seconds = options.progress_interval_seconds;
    settings.only = options.only;
    return run_jobs(ex, settings, options.threads, hooks);
}

nlohmann::ordered_json experiment_summary_json(const RunMetadata& meta,
                                               const format::Experiment& ex,
                                               const std::vector<model::RunResults>& runs,
                                               const Comparison& comparison,
                                               const RunTiming& timing) {
    nlohmann::ordered_json summary = summary_json(meta, runs.front(), timing);
    summary["run"]["variants"] = ex.variants;
    summary["run"]["sweep_points"] = ex.sweep_points;
    summary["run"]["replications"] = ex.replications;
    summary["comparison"] = comparison_json(ex, comparison);
    keep_timing_last(summary);
    return summary;
}

nlohmann::ordered_json job_summary_json(const RunMetadata& meta, const format::Experiment& ex,
                                        std::size_t job, const model::RunResults& run,
                                        const RunTiming& timing) {
    nlohmann::ordered_json summary = summary_json(meta, run, timing);
    const JobPlace at = place_of(ex, job);
    summary["run"]["job"] = job;
    summary["run"]["jobs"] = job_count(ex);
    summary["run"]["variant"] = ex.variants.at(at.variant);
    summary["run"]["sweep_point"] = ex.sweep_points.at(at.point);
    summary["run"]["replication"] = at.replication;
    keep_timing_last(summary);
    return summary;
}

}  // namespace mxsim::experiment
