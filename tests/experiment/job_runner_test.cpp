// job_runner_test.cpp - an experiment's jobs: their names, results that do not depend
// on the order or the thread that runs them (what experiment/mpi_farm relies on), failures.
#include <catch2/catch.hpp>

#include <chrono>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "experiment/job_runner.hpp"
#include "experiment/run_results_codec.hpp"

using namespace mxsim;

namespace {

const std::string kSweep = std::string(MXSIM_SOURCE_DIR) + "/tests/experiment/mpi/sweep.json";
const std::string kFailing =
    std::string(MXSIM_SOURCE_DIR) + "/tests/experiment/mpi/failing-job.json";

}  // namespace

TEST_CASE("a job is named by its variant, sweep point and replication", "[experiment][jobs]") {
    const format::Experiment ex = format::load_experiment_file(kSweep);
    REQUIRE(experiment::job_count(ex) == 12);  // 2 variants x 3 sweep points x 2 replications
    CHECK(experiment::describe_job(ex, 0) ==
          "variant baseline, sweep point limit_per_hour=50, replication 0");
    CHECK(experiment::describe_job(ex, 3) ==
          "variant baseline, sweep point limit_per_hour=100, replication 1");
    CHECK(experiment::describe_job(ex, 11) ==
          "variant 550, sweep point limit_per_hour=400, replication 1");
    const format::Experiment plain = format::load_experiment_file(
        std::string(MXSIM_SOURCE_DIR) + "/scenarios/backup-mx-nxdomain.json");
    CHECK(experiment::describe_job(plain, 0) == "variant baseline, replication 0");
}

TEST_CASE("jobs give the same results in any order, on any thread", "[experiment][jobs]") {
    const format::Experiment ex = format::load_experiment_file(kSweep);
    const experiment::JobSettings settings{11, true, 0.2, std::nullopt};
    const experiment::RunnerHooks bar;  // no observers
    const experiment::JobOutput in_order = experiment::run_jobs(ex, settings, 1, bar);

    // Backwards, on 3 threads, as a farm's ranks might take them.
    std::mutex m;
    std::size_t left = experiment::job_count(ex);
    std::vector<std::string> bytes(left);
    std::vector<model::TraceRecord> trace;
    experiment::JobHandlers h;
    h.next = [&]() -> std::optional<std::size_t> {
        const std::lock_guard<std::mutex> lock(m);
        if (left == 0) return std::nullopt;
        return --left;
    };
    h.done = [&](std::size_t j, experiment::JobResult&& r) {
        bytes[j] = experiment::encode_run_results(r.run);
        if (j == 0) trace = std::move(r.trace);
    };
    std::vector<std::string> failures;  // Catch2 asserts only on the main thread
    h.failed = [&](std::size_t, const std::string& what) {
        const std::lock_guard<std::mutex> lock(m);
        failures.push_back(what);
    };
    experiment::run_job_pool(ex, settings, 3, bar, h);
    CHECK(failures.empty());

    for (std::size_t j = 0; j < bytes.size(); ++j)
        CHECK(bytes[j] == experiment::encode_run_results(in_order.runs[j]));
    CHECK(!trace.empty());
    CHECK(experiment::encode_trace(trace) == experiment::encode_trace(in_order.trace));
}

TEST_CASE("a failed job is named, and no more jobs start", "[experiment][jobs]") {
    const format::Experiment ex = format::load_experiment_file(kFailing);
    const experiment::RunnerHooks bar;  // no observers
    CHECK_THROWS_WITH(experiment::run_jobs(ex, {1, false, 0.2, std::nullopt}, 2, bar),
                      "variant baseline, sweep point mailboxes=[], replication 0: traffic from or "
                      "to \"all\" but no mailboxes");
}

TEST_CASE("a handler that throws stops the pool and its error comes out", "[experiment][jobs]") {
    const format::Experiment ex = format::load_experiment_file(kSweep);
    const experiment::RunnerHooks bar;  // no observers
    std::mutex m;
    std::size_t next = 0, done = 0;
    std::optional<std::size_t> handed_out_at_throw;
    experiment::JobHandlers h;
    h.next = [&]() -> std::optional<std::size_t> {
        {
            const std::lock_guard<std::mutex> lock(m);
            if (!handed_out_at_throw)
                return next < experiment::job_count(ex) ? std::optional(next++) : std::nullopt;
        }
        // The other thread is unwinding the error: give it time to stop the
        // pool, so that what is checked is the pool's rule, not the scheduler.
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        const std::lock_guard<std::mutex> lock(m);
        return next < experiment::job_count(ex) ? std::optional(next++) : std::nullopt;
    };
    h.done = [&](std::size_t, experiment::JobResult&&) {
        const std::lock_guard<std::mutex> lock(m);
        if (++done != 2) return;
        handed_out_at_throw = next;
        throw std::runtime_error("connection lost");
    };
    h.failed = [&](std::size_t, const std::string&) {
        const std::lock_guard<std::mutex> lock(m);
        ++done;
    };
    CHECK_THROWS_WITH(experiment::run_job_pool(ex, {11, false, 0.2, std::nullopt}, 2, bar, h),
                      "connection lost");
    // It stopped asking for work: the other thread took at most one more job.
    REQUIRE(handed_out_at_throw);
    CHECK(next <= *handed_out_at_throw + 1);
    CHECK(next < experiment::job_count(ex));
}
