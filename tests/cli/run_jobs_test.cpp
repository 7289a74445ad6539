// run_jobs_test.cpp - `mxsim run` for sweeps people split and resume: --list-jobs,
// --job N, --db (stop and go on), --series, and --force for another run's folder.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/run_command.hpp"
#include "tests/cli/call_command.hpp"
#include "tests/test_support.hpp"

namespace fs = std::filesystem;
using mxsim::cli::run_command;
using mxsim::testing::read_file;

namespace {

// 2 variants x 3 sweep points x 2 replications, 12 short jobs.
const std::string kSweep = std::string(MXSIM_SOURCE_DIR) + "/tests/experiment/mpi/sweep.json";

fs::path fresh(const std::string& name) {
    return mxsim::testing::fresh_path("jobs-" + name);
}

int run(const std::vector<std::string>& args, std::string& out, std::string& err) {
    return mxsim::testing::call(&run_command, args, out, err);
}

nlohmann::json summary_without_timing(const fs::path& dir) {
    nlohmann::json s = nlohmann::json::parse(read_file(dir / "summary.json"));
    s.erase("timing");
    return s;
}

std::size_t line_count(const std::string& s) {
    return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n'));
}

}  // namespace

TEST_CASE("run --list-jobs names every job and runs none", "[cli][jobs]") {
    const fs::path dir = fresh("list");
    std::string out, err;
    REQUIRE(run({kSweep, "--list-jobs", "--out", dir.string()}, out, err) == 0);
    CHECK(line_count(out) == 1 + 12);
    CHECK_THAT(out, Catch::Contains("job") && Catch::Contains("replication"));
    CHECK_THAT(out, Catch::Contains("    9  550       limit_per_hour=100  1"));
    CHECK_FALSE(fs::exists(dir));
}

TEST_CASE("run --job N runs that job alone, as it runs within the whole", "[cli][jobs]") {
    const fs::path whole = fresh("whole"), one = fresh("one");
    std::string out, err;
    REQUIRE(run({kSweep, "--quiet", "--out", whole.string()}, out, err) == 0);
    REQUIRE(run({kSweep, "--quiet", "--job", "9", "--out", one.string()}, out, err) == 0);
    CHECK_THAT(out, Catch::Contains("job 9 of 12 (variant 550, sweep point limit_per_hour=100, "
                                    "replication 1)"));
    const nlohmann::json s = summary_without_timing(one);
    CHECK(s["run"]["job"] == 9);
    CHECK(s["run"]["variant"] == "550");
    CHECK(s["run"]["replication"] == 1);
    CHECK_FALSE(s.contains("comparison"));
    // Its row is the whole run's row for job 9, byte for byte.
    std::istringstream all(read_file(whole / "runs.csv")), mine(read_file(one / "runs.csv"));
    std::string header, row, my_header, my_row;
    std::getline(all, header);
    for (int j = 0; j <= 9; ++j)
        std::getline(all, row);
    std::getline(mine, my_header);
    std::getline(mine, my_row);
    CHECK(my_header == header);
    CHECK(my_row == row);
    CHECK(my_row.rfind("9,550,1,", 0) == 0);
    CHECK(mine.peek() == EOF);

    CHECK(run({kSweep, "--quiet", "--job", "12", "--out", one.string()}, out, err) == 2);
    CHECK_THAT(err, Catch::Contains("--job 12") && Catch::Contains("12 job(s), 0 to 11"));
}

TEST_CASE("run --db: a run stopped and run again gives the whole run's results", "[cli][jobs]") {
    const fs::path plain = fresh("plain"), resumed = fresh("resumed"), db = fresh("db.sqlite");
    std::string out, err;
    REQUIRE(run({kSweep, "--quiet", "--out", plain.string()}, out, err) == 0);
    // A first go that ran only jobs 3 and 8 (as a run stopped part way would have).
    REQUIRE(run({kSweep, "--quiet", "--job", "3", "--db", db.string(), "--out",
                 fresh("part3").string()},
                out, err) == 0);
    REQUIRE(run({kSweep, "--quiet", "--job", "8", "--db", db.string(), "--out",
                 fresh("part8").string()},
                out, err) == 0);
    REQUIRE(run({kSweep, "--quiet", "--db", db.string(), "--out", resumed.string()}, out, err) ==
            0);
    CHECK_THAT(err, Catch::Contains("2 of 12 job(s) taken from"));
    CHECK(summary_without_timing(resumed).dump() == summary_without_timing(plain).dump());
    CHECK(read_file(resumed / "runs.csv") == read_file(plain / "runs.csv"));
    CHECK(read_file(resumed / "timeseries.csv") == read_file(plain / "timeseries.csv"));
    // Everything stored now: nothing runs.
    REQUIRE(run({kSweep, "--quiet", "--db", db.string(), "--out", resumed.string()}, out, err) ==
            0);
    CHECK_THAT(err, Catch::Contains("12 of 12 job(s) taken from"));
    CHECK(summary_without_timing(resumed).dump() == summary_without_timing(plain).dump());
}

TEST_CASE("run --series keeps only the series asked for", "[cli][jobs]") {
    const fs::path dir = fresh("series");
    std::string out, err;
    REQUIRE(run({kSweep, "--quiet", "--job", "0", "--series", "delivered,created.*", "--out",
                 dir.string()},
                out, err) == 0);
    std::istringstream csv(read_file(dir / "timeseries.csv"));
    std::string line;
    std::getline(csv, line);
    std::set<std::string> metrics;
    while (std::getline(csv, line)) {
        const std::size_t end = line.rfind(','), start = line.rfind(',', end - 1);
        metrics.insert(line.substr(start + 1, end - start - 1));
    }
    CHECK(metrics.count("delivered") == 1);
    CHECK(metrics.count("created.worm") == 1);
    for (const std::string& m : metrics)
        CHECK((m == "delivered" || m.rfind("created.", 0) == 0));
    CHECK(run({kSweep, "--quiet", "--series", "deliverd", "--out", dir.string()}, out, err) == 2);
    CHECK_THAT(err, Catch::Contains("no series is called 'deliverd'"));
}

TEST_CASE("a folder with another scenario's or seed's results needs --force", "[cli][jobs]") {
    const fs::path dir = fresh("force");
    std::string out, err;
    REQUIRE(run({kSweep, "--quiet", "--job", "0", "--out", dir.string()}, out, err) == 0);
    const std::string before = read_file(dir / "summary.json");
    // The same scenario and seed again: a rerun, replaced without asking.
    REQUIRE(run({kSweep, "--quiet", "--job", "1", "--out", dir.string()}, out, err) == 0);
    CHECK(summary_without_timing(dir)["run"]["job"] == 1);
    CHECK(run({kSweep, "--quiet", "--job", "0", "--seed", "12", "--out", dir.string()}, out, err) ==
          2);
    CHECK_THAT(err, Catch::Contains("holds results of scenario mpi-sweep") &&
                        Catch::Contains("seed 11") && Catch::Contains("--force"));
    CHECK(summary_without_timing(dir)["run"]["seed"] == 11);
    REQUIRE(run({kSweep, "--quiet", "--job", "0", "--seed", "12", "--force", "--out", dir.string()},
                out, err) == 0);
    CHECK(summary_without_timing(dir)["run"]["seed"] == 12);
}
