// experiment_runner_test.cpp - experiment/experiment_runner's cancel path without the GUI:
// a raised flag stops the jobs, the run ends in RunCancelled and hands back no
// results at all (not the jobs that had finished), and the flag leaves no trace.
#include <catch2/catch.hpp>

#include <atomic>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "experiment/comparison.hpp"
#include "experiment/csv_results.hpp"
#include "experiment/experiment_runner.hpp"

using namespace mxsim;
using experiment::RunCancelled;

namespace {

// klez-flood with 2 replications: 3 variants x 2 = 6 jobs, each long enough
// (thousands of legitimate messages) to pass several progress checks.
format::Experiment small_flood() {
    std::ifstream in(std::string(MXSIM_SOURCE_DIR) + "/scenarios/klez-flood.json");
    nlohmann::json doc = nlohmann::json::parse(in);
    doc["replications"] = 2;
    return format::parse_experiment(doc.dump(), "klez-flood.json");
}

// Progress reports (and so cancel checks) at every look at the clock, which the
// kernel takes every few thousand events: where a run stops does not depend on
// how fast the machine is.
experiment::RunnerOptions every_check(const format::Experiment& ex, unsigned threads) {
    experiment::RunnerOptions o;
    o.seed = ex.baseline().seed;
    o.threads = threads;
    o.progress_interval_seconds = 1e-12;
    return o;
}

}  // namespace

TEST_CASE("a cancel flag raised before the start runs no job", "[experiment][runner][cancel]") {
    const format::Experiment ex = small_flood();
    std::atomic<bool> cancel{true};
    std::atomic<int> started{0}, done{0};
    experiment::RunnerHooks hooks;
    hooks.cancel = &cancel;
    hooks.progress_for = [&](std::size_t) {
        ++started;
        return sim::ProgressHook{};
    };
    hooks.job_done = [&](std::size_t, std::uint64_t) { ++done; };
    REQUIRE_THROWS_AS(experiment::run_experiment(ex, every_check(ex, 2), hooks), RunCancelled);
    CHECK(started == 0);
    CHECK(done == 0);
}

TEST_CASE("cancel raised during a job stops it at its next check and starts no other",
          "[experiment][runner][cancel]") {
    const format::Experiment ex = small_flood();
    std::atomic<bool> cancel{false};
    int reports = 0, done = 0;
    std::uint64_t events_at_cancel = 0;
    experiment::RunnerHooks hooks;
    hooks.cancel = &cancel;
    hooks.progress_for = [&](std::size_t job) -> sim::ProgressHook {
        CHECK(job == 0);  // one thread: job 1 would start only after job 0
        return [&](const sim::ProgressReport& r) {
            ++reports;
            events_at_cancel = r.events;
            cancel = true;  // as the GUI's Cancel button does, from another thread
        };
    };
    hooks.job_done = [&](std::size_t, std::uint64_t) { ++done; };
    try {
        experiment::run_experiment(ex, every_check(ex, 1), hooks);
        FAIL("the run was not cancelled");
    } catch (const RunCancelled& e) {
        CHECK(std::string(e.what()) == "run cancelled");
    }
    CHECK(reports == 1);  // the next check threw instead of reporting
    CHECK(events_at_cancel > 0);
    CHECK(done == 0);  // job 0 did not run to its end
}

TEST_CASE("a run cancelled after some jobs finished hands back no results",
          "[experiment][runner][cancel]") {
    const format::Experiment ex = small_flood();
    std::atomic<bool> cancel{false};
    int done = 0;
    experiment::RunnerHooks hooks;
    hooks.cancel = &cancel;
    hooks.job_done = [&](std::size_t, std::uint64_t events) {
        ++done;
        CHECK(events > 0);
        if (done == 2) cancel = true;
    };
    // The two finished jobs are whole runs, yet the caller gets none of them:
    // nothing partial can reach summary.json, timeseries.csv or the charts.
    REQUIRE_THROWS_AS(experiment::run_experiment(ex, every_check(ex, 1), hooks), RunCancelled);
    CHECK(done == 2);

    // Several workers unwind their jobs (the sanitizer build checks the unwinding).
    std::atomic<bool> cancel_now{false};
    experiment::RunnerHooks first_report;
    first_report.cancel = &cancel_now;
    first_report.progress_for = [&](std::size_t) -> sim::ProgressHook {
        return [&](const sim::ProgressReport&) { cancel_now = true; };
    };
    REQUIRE_THROWS_AS(experiment::run_experiment(ex, every_check(ex, 2), first_report),
                      RunCancelled);
}

TEST_CASE("a cancel flag that stays down changes nothing", "[experiment][runner][cancel]") {
    const format::Experiment ex = small_flood();
    std::atomic<bool> cancel{false};
    int reports = 0;
    experiment::RunnerHooks hooks;
    hooks.cancel = &cancel;
    hooks.progress_for = [&](std::size_t) -> sim::ProgressHook {
        return [&](const sim::ProgressReport&) { ++reports; };
    };
    const experiment::ExperimentRuns watched =
        experiment::run_experiment(ex, every_check(ex, 1), hooks);
    const experiment::ExperimentRuns plain = experiment::run_experiment(ex, every_check(ex, 1));
    CHECK(reports > 6);  // every job passed several cancel checks
    REQUIRE(watched.runs.size() == 6);
    const std::vector<std::size_t> jobs = experiment::every_job(ex);
    CHECK(experiment::timeseries_csv(ex, watched.runs, jobs) ==
          experiment::timeseries_csv(ex, plain.runs, jobs));
}
