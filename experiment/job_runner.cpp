// job_runner.cpp - one job on a World, and a pool of threads pulling jobs.
#include "experiment/job_runner.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <system_error>
#include <thread>

#include "model/world.hpp"

namespace mxsim::experiment {

JobPlace place_of(const format::Experiment& ex, std::size_t job) {
    const std::size_t points = ex.sweep_points.size();
    const auto reps = static_cast<std::size_t>(ex.replications);
    return {job / reps / points, job / reps % points, job % reps};
}

std::size_t job_count(const format::Experiment& ex) {
    return ex.scenarios.size() * static_cast<std::size_t>(ex.replications);
}

std::size_t traced_job(const JobSettings& settings) {
    return settings.only && !settings.only->empty() ? settings.only->front() : 0;
}

std::vector<std::size_t> every_job(const format::Experiment& ex) {
    std::vector<std::size_t> every(job_count(ex));
    for (std::size_t j = 0; j < every.size(); ++j)
        every[j] = j;
    return every;
}

std::vector<std::size_t> jobs_to_run(const format::Experiment& ex, const JobSettings& settings) {
    return settings.only ? *settings.only : every_job(ex);
}

std::string describe_job(const format::Experiment& ex, std::size_t job) {
    const JobPlace at = place_of(ex, job);
    const std::string& point = ex.sweep_points.at(at.point);
    return "variant " + ex.variants.at(at.variant) +
           (point.empty() ? "" : ", sweep point " + point) + ", replication " +
           std::to_string(at.replication);
}

JobResult run_job(const format::Experiment& ex, std::size_t job, const JobSettings& settings,
                  const RunnerHooks& hooks) {
    const JobPlace at = place_of(ex, job);
    model::World world(
        ex.at(at.variant, at.point),
        {settings.seed, at.replication, settings.trace && job == traced_job(settings)});
    sim::ProgressHook observer = hooks.progress_for ? hooks.progress_for(job) : nullptr;
    if (observer || hooks.cancel)
        // Throwing from the hook unwinds out of World::run(); the World is
        // then discarded, so its half-run state is never read.
        world.set_progress_hook(
            [observer = std::move(observer), &hooks](const sim::ProgressReport& rep) {
                if (hooks.cancelled()) throw RunCancelled();
                if (observer) observer(rep);
            },
            settings.progress_interval_seconds);
    JobResult out{world.run(), {}};
    if (hooks.job_done) hooks.job_done(job, out.run.events);
    if (hooks.job_result) hooks.job_result(job, out.run);
    if (job == traced_job(settings)) out.trace = world.trace();
    return out;
}

void run_job_pool(const format::Experiment& ex, const JobSettings& settings, unsigned threads,
                  const RunnerHooks& hooks, const JobHandlers& handlers) {
    // A handler that throws (a lost connection, say) stops this pool; the first
    // such error is rethrown once every thread has ended.
    std::mutex error_mutex;
    std::exception_ptr handler_error;
    std::atomic<bool> stop{false};
    // No job starts before every thread has (or one could not be): a pool that
    // cannot be made stops before any work, and a thread never exits (freeing its
    // stack) while the others are still being made.
    std::mutex gate_mutex;
    std::condition_variable gate;
    bool gate_open = false;
    const auto worker = [&] {
        {
            std::unique_lock lock(gate_mutex);
            gate.wait(lock, [&] { return gate_open; });
        }
        try {
            while (!stop && !hooks.cancelled()) {
                const std::optional<std::size_t> job = handlers.next();
                if (!job) break;
                std::optional<JobResult> result;
                std::string what;
                try {
                    result = run_job(ex, *job, settings, hooks);
                } catch (const RunCancelled&) {
                    throw;
                } catch (const std::exception& e) {
                    what = e.what();
                }
                if (result)
                    handlers.done(*job, std::move(*result));
                else
                    handlers.failed(*job, what);
            }
        } catch (...) {
            const std::lock_guard<std::mutex> lock(error_mutex);
            if (!handler_error) handler_error = std::current_exception();
            stop = true;
        }
    };
    // Threads the system will not give (a process or memory limit) are an error
    // that names them; the ones already started finish first, so nothing is left
    // running (a joinable std::thread destroyed would abort the process).
    std::vector<std::thread> pool;
    std::string start_error;
    for (unsigned t = 1; t < threads && start_error.empty(); ++t) {
        try {
            pool.emplace_back(worker);
        } catch (const std::system_error& e) {
            start_error = "cannot start thread " + std::to_string(t + 1) + " of " +
                          std::to_string(threads) + " (" + e.code().message() +
                          "); use fewer --threads";
            stop = true;
        }
    }
    {
        const std::lock_guard lock(gate_mutex);
        gate_open = true;
    }
    gate.notify_all();
    if (start_error.empty()) worker();
    for (std::thread& t : pool)
        t.join();
    if (!start_error.empty()) throw std::runtime_error(start_error);
    if (handler_error) std::rethrow_exception(handler_error);
    if (hooks.cancelled()) throw RunCancelled();
}

JobOutput run_jobs(const format::Experiment& ex, const JobSettings& settings, unsigned threads,
                   const RunnerHooks& hooks) {
    const std::vector<std::size_t> todo = jobs_to_run(ex, settings);
    const std::size_t jobs = todo.size();
    JobOutput out;
    out.runs.resize(job_count(ex));
    std::atomic<std::size_t> next{0};
    std::mutex error_mutex;
    std::optional<std::string> error;
    JobHandlers handlers;
    handlers.next = [&]() -> std::optional<std::size_t> {
        const std::size_t i = next++;
        return i < jobs ? std::optional(todo[i]) : std::nullopt;
    };
    handlers.done = [&](std::size_t j, JobResult&& r) {
        out.runs.at(j) = std::move(r.run);
        if (j == traced_job(settings)) out.trace = std::move(r.trace);
    };
    handlers.failed = [&](std::size_t j, const std::string& what) {
        const std::lock_guard<std::mutex> lock(error_mutex);
        if (!error) error = describe_job(ex, j) + ": " + what;
        next = jobs;  // stop handing out work
    };
    run_job_pool(ex, settings, static_cast<unsigned>(std::min<std::size_t>(threads, jobs)), hooks,
                 handlers);
    if (error) throw std::runtime_error(*error);
    return out;
}

}  // namespace mxsim::experiment
