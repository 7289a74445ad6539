// experiment_runner.cpp - an experiment's jobs in this process, and its summary.json.
#include "experiment/experiment_runner.hpp"

namespace mxsim::experiment {

ExperimentRuns run_experiment(const format::Experiment& ex, const RunnerOptions& options,
                              const RunnerHooks& hooks) {
    return run_jobs(ex, {options.seed, options.trace_first_job, options.progress_interval_seconds},
                    options.threads, hooks);
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
    const nlohmann::ordered_json timing_json = summary["timing"];  // keep "timing" last
    summary.erase("timing");
    summary["timing"] = timing_json;
    return summary;
}

}  // namespace mxsim::experiment
