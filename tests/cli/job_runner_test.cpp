// job_runner_test.cpp - an experiment's jobs: their names, results that do not depend
// on the order or the thread that runs them (what cli/mpi_farm relies on), failures.
#include <catch2/catch.hpp>

#include <mutex>
#include <stdexcept>

#include "cli/job_runner.hpp"
#include "cli/run_results_codec.hpp"

using namespace mxsim;

namespace {

const std::string kSweep = std::string(MXSIM_SOURCE_DIR) + "/tests/cli/mpi/sweep.json";
const std::string kFailing = std::string(MXSIM_SOURCE_DIR) + "/tests/cli/mpi/failing-job.json";

}  // namespace

TEST_CASE("a job is named by its variant, sweep point and replication", "[cli][jobs]") {
    const cli::Experiment ex = cli::load_experiment_file(kSweep);
    REQUIRE(cli::job_count(ex) == 12);  // 2 variants x 3 sweep points x 2 replications
    CHECK(cli::describe_job(ex, 0) ==
          "variant baseline, sweep point limit_per_hour=50, replication 0");
    CHECK(cli::describe_job(ex, 3) ==
          "variant baseline, sweep point limit_per_hour=100, replication 1");
    CHECK(cli::describe_job(ex, 11) ==
          "variant 550, sweep point limit_per_hour=400, replication 1");
    const cli::Experiment plain = cli::load_experiment_file(std::string(MXSIM_SOURCE_DIR) +
                                                            "/scenarios/backup-mx-nxdomain.json");
    CHECK(cli::describe_job(plain, 0) == "variant baseline, replication 0");
}

TEST_CASE("jobs give the same results in any order, on any thread", "[cli][jobs]") {
    const cli::Experiment ex = cli::load_experiment_file(kSweep);
    const cli::JobSettings settings{11, true};
    const cli::RunnerHooks bar;  // no observers
    const cli::JobOutput in_order = cli::run_jobs(ex, settings, 1, bar);

    // Backwards, on 3 threads, as a farm's ranks might take them.
    std::mutex m;
    std::size_t left = cli::job_count(ex);
    std::vector<std::string> bytes(left);
    std::vector<model::TraceRecord> trace;
    cli::JobHandlers h;
    h.next = [&]() -> std::optional<std::size_t> {
        const std::lock_guard<std::mutex> lock(m);
        if (left == 0) return std::nullopt;
        return --left;
    };
    h.done = [&](std::size_t j, cli::JobResult&& r) {
        bytes[j] = cli::encode_run_results(r.run);
        if (j == 0) trace = std::move(r.trace);
    };
    std::vector<std::string> failures;  // Catch2 asserts only on the main thread
    h.failed = [&](std::size_t, const std::string& what) {
        const std::lock_guard<std::mutex> lock(m);
        failures.push_back(what);
    };
    cli::run_job_pool(ex, settings, 3, bar, h);
    CHECK(failures.empty());

    for (std::size_t j = 0; j < bytes.size(); ++j)
        CHECK(bytes[j] == cli::encode_run_results(in_order.runs[j]));
    CHECK(!trace.empty());
    CHECK(cli::encode_trace(trace) == cli::encode_trace(in_order.trace));
}

TEST_CASE("a failed job is named, and no more jobs start", "[cli][jobs]") {
    const cli::Experiment ex = cli::load_experiment_file(kFailing);
    const cli::RunnerHooks bar;  // no observers
    CHECK_THROWS_WITH(cli::run_jobs(ex, {1, false}, 2, bar),
                      "variant baseline, sweep point mailboxes=[], replication 0: traffic from or "
                      "to \"all\" but no mailboxes");
}

TEST_CASE("a handler that throws stops the pool and its error comes out", "[cli][jobs]") {
    const cli::Experiment ex = cli::load_experiment_file(kSweep);
    const cli::RunnerHooks bar;  // no observers
    std::mutex m;
    std::size_t next = 0, done = 0;
    cli::JobHandlers h;
    h.next = [&]() -> std::optional<std::size_t> {
        const std::lock_guard<std::mutex> lock(m);
        return next < cli::job_count(ex) ? std::optional(next++) : std::nullopt;
    };
    h.done = [&](std::size_t, cli::JobResult&&) {
        const std::lock_guard<std::mutex> lock(m);
        if (++done == 2) throw std::runtime_error("connection lost");
    };
    h.failed = [&](std::size_t, const std::string&) {
        const std::lock_guard<std::mutex> lock(m);
        ++done;
    };
    CHECK_THROWS_WITH(cli::run_job_pool(ex, {11, false}, 2, bar, h), "connection lost");
    // It stopped asking for work: each thread finished at most the job it had.
    CHECK(next <= 4);
}
