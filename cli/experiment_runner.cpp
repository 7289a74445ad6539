// experiment_runner.cpp - the worker pool behind `mxsim run` and mxsim-gui.
#include "cli/experiment_runner.hpp"

#include <algorithm>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "model/world.hpp"

namespace mxsim::cli {

ExperimentRuns run_experiment(const Experiment& ex, const RunnerOptions& options,
                              const RunnerHooks& hooks) {
    const std::size_t points = ex.sweep_points.size();
    const auto reps = static_cast<std::size_t>(ex.replications);
    const std::size_t jobs = ex.variants.size() * points * reps;
    const std::atomic<bool>* cancel = hooks.cancel;
    const auto cancelled = [cancel] { return cancel && cancel->load(); };
    ExperimentRuns out;
    out.runs.resize(jobs);
    std::atomic<std::size_t> next{0};
    std::mutex error_mutex;
    std::optional<std::string> error;
    const auto worker = [&] {
        for (std::size_t j = next++; j < jobs && !cancelled(); j = next++) {
            const std::size_t v = j / reps / points, p = j / reps % points, r = j % reps;
            try {
                model::World world(ex.at(v, p),
                                   {options.seed, r, options.trace_first_job && j == 0});
                sim::ProgressHook observer = hooks.progress_for ? hooks.progress_for(j) : nullptr;
                if (observer || cancel)
                    // Throwing from the hook unwinds out of World::run(); the World is
                    // then discarded, so its half-run state is never read.
                    world.set_progress_hook(
                        [observer = std::move(observer),
                         cancelled](const sim::ProgressReport& rep) {
                            if (cancelled()) throw RunCancelled();
                            if (observer) observer(rep);
                        },
                        options.progress_interval_seconds);
                out.runs[j] = world.run();
                if (hooks.job_done) hooks.job_done(j, out.runs[j].events);
                if (j == 0) out.trace = world.trace();
            } catch (const RunCancelled&) {
                next = jobs;
            } catch (const std::exception& e) {
                const std::lock_guard<std::mutex> lock(error_mutex);
                if (!error)
                    error =
                        "variant " + ex.variants[v] +
                        (ex.sweep_points[p].empty() ? "" : ", sweep point " + ex.sweep_points[p]) +
                        ", replication " + std::to_string(r) + ": " + e.what();
                next = jobs;  // stop handing out work
            }
        }
    };
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < std::min<std::size_t>(options.threads, jobs); ++t)
        pool.emplace_back(worker);
    worker();
    for (std::thread& t : pool)
        t.join();
    if (error) throw std::runtime_error(*error);
    if (cancelled()) throw RunCancelled();
    return out;
}

nlohmann::ordered_json experiment_summary_json(const RunMetadata& meta, const Experiment& ex,
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

}  // namespace mxsim::cli
