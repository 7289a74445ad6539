// run_command_test.cpp - `mxsim run` as a user meets it: output files, determinism,
// clear errors and nothing half-written.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/run_command.hpp"
#include "tests/cli/call_command.hpp"
#include "tests/test_support.hpp"

namespace fs = std::filesystem;
using mxsim::cli::run_command;

namespace {

const std::string kSeedScenario =
    std::string(MXSIM_SOURCE_DIR) + "/scenarios/backup-mx-nxdomain.json";
const std::string kKlez = std::string(MXSIM_SOURCE_DIR) + "/scenarios/klez-flood.json";

fs::path fresh_dir(const std::string& name) {
    const fs::path dir = fs::temp_directory_path() / ("mxsim-test-" + name);
    fs::remove_all(dir);
    return dir;
}

int run(const std::vector<std::string>& args, std::string& out, std::string& err) {
    return mxsim::testing::call(&run_command, args, out, err);
}

}  // namespace

TEST_CASE("mxsim run writes summary.json and trace.jsonl for the seed scenario", "[cli][run]") {
    const fs::path dir = fresh_dir("seed");
    std::string out, err;
    REQUIRE(run({kSeedScenario, "--out", dir.string(), "--trace"}, out, err) == 0);
    CHECK(err.empty());
    CHECK_THAT(out, Catch::Contains("Fates by origin"));
    const auto summary = nlohmann::json::parse(mxsim::testing::read_file(dir / "summary.json"));
    CHECK(summary["run"]["scenario"] == "backup-mx-nxdomain");
    CHECK(summary["fates"]["legit"]["bounced"] == 1);
    CHECK(summary["ndrs_delivered"] == 1);
    CHECK(summary["mtas"][2]["host"] == "backup.isp.example");
    CHECK(summary["mtas"][2]["ndrs_generated"] == 1);
    CHECK(summary["run"]["content_hash"].get<std::string>().size() == 16);
    // Every trace line is a JSON object with the documented keys.
    std::istringstream lines(mxsim::testing::read_file(dir / "trace.jsonl"));
    std::string line;
    int n = 0;
    while (std::getline(lines, line)) {
        const auto j = nlohmann::json::parse(line);
        for (const char* key :
             {"t", "msg", "parent", "from", "to", "stage", "code", "enhanced", "action", "reason"})
            CHECK(j.contains(key));
        ++n;
    }
    CHECK(n > 10);
    fs::remove_all(dir);
}

TEST_CASE("the same scenario and seed give byte-identical results apart from timing",
          "[cli][run]") {
    std::string out, err;
    const fs::path a = fresh_dir("det-a"), b = fresh_dir("det-b");
    REQUIRE(run({kSeedScenario, "--out", a.string(), "--trace", "--seed", "7"}, out, err) == 0);
    REQUIRE(run({kSeedScenario, "--out", b.string(), "--trace", "--seed", "7"}, out, err) == 0);
    auto sa = nlohmann::json::parse(mxsim::testing::read_file(a / "summary.json"));
    auto sb = nlohmann::json::parse(mxsim::testing::read_file(b / "summary.json"));
    sa.erase("timing");
    sb.erase("timing");
    CHECK(sa.dump() == sb.dump());
    CHECK(sa["run"]["seed"] == 7);
    CHECK(mxsim::testing::read_file(a / "trace.jsonl") ==
          mxsim::testing::read_file(b / "trace.jsonl"));
    fs::remove_all(a);
    fs::remove_all(b);
}

TEST_CASE("bad input: a clear message, a non-zero exit, and no result files", "[cli][run]") {
    const fs::path dir = fresh_dir("bad");
    std::string out, err;
    CHECK(run({"/nonexistent/x.json", "--out", dir.string()}, out, err) == 2);  // bad input
    CHECK_THAT(err, Catch::Contains("/nonexistent/x.json"));
    CHECK_FALSE(fs::exists(dir / "summary.json"));

    const fs::path bad = fs::temp_directory_path() / "mxsim-test-bad-scenario.json";
    std::ofstream(bad) << R"({"name": "x", "hosts": [{"name": "a"}], "duration": 5})";
    CHECK(run({bad.string(), "--out", dir.string()}, out, err) == 2);
    CHECK_THAT(err, Catch::Contains("/duration"));
    CHECK_FALSE(fs::exists(dir));

    CHECK(run({kSeedScenario, "--seed", "x"}, out, err) == 2);
    CHECK_THAT(err, Catch::Contains("--seed = x"));
    CHECK(run({}, out, err) == 2);
    CHECK(run({kSeedScenario, "--frobnicate"}, out, err) == 2);
    fs::remove(bad);
}

// Issue 12: without --out the scenario's name picks the folder, as one safe
// component under out/, and reaches the terminal escaped.
TEST_CASE("a hostile scenario name cannot escape out/ or the terminal line", "[cli][run]") {
    const fs::path work = fresh_dir("hostile-name");
    fs::create_directories(work);
    nlohmann::json doc = nlohmann::json::parse(mxsim::testing::read_file(kSeedScenario));
    doc["name"] = "../../escaped\n\x1b[2J";
    const fs::path file = work / "hostile.json";
    std::ofstream(file) << doc.dump();
    const fs::path before = fs::current_path();
    fs::current_path(work);
    std::string out, err;
    const int rc = run({file.string(), "--quiet"}, out, err);
    fs::current_path(before);
    CHECK(rc == 0);
    CHECK(fs::exists(work / "out" / ".._.._escaped___2J" / "summary.json"));
    CHECK_FALSE(fs::exists(work.parent_path().parent_path() / "escaped"));
    CHECK_THAT(out, Catch::StartsWith("mxsim run: ../../escaped\\n\\x1b[2J (seed"));
    CHECK(out.find('\x1b') == std::string::npos);
    fs::remove_all(work);
}

TEST_CASE("results land whole: an unwritable directory leaves nothing behind", "[cli][run]") {
    const fs::path parent = fresh_dir("ro");
    fs::create_directories(parent);
    const fs::path file_in_the_way = parent / "out";
    std::ofstream(file_in_the_way) << "not a directory";
    std::string out, err;
    CHECK(run({kSeedScenario, "--out", file_in_the_way.string()}, out, err) == 1);
    CHECK_THAT(err, Catch::Contains("out"));
    CHECK(mxsim::testing::read_file(file_in_the_way) == "not a directory");
    fs::remove_all(parent);
}

TEST_CASE("the same seed gives byte-identical results with 1 and 2 threads", "[cli][run]") {
    const fs::path a = fs::temp_directory_path() / "mxsim-exp-t1",
                   b = fs::temp_directory_path() / "mxsim-exp-t2";
    fs::remove_all(a);
    fs::remove_all(b);
    std::ostringstream out, err;
    REQUIRE(run_command({kKlez, "--out", a.string(), "--threads", "1", "--quiet"}, out, err) == 0);
    REQUIRE(run_command({kKlez, "--out", b.string(), "--threads", "2", "--quiet"}, out, err) == 0);
    auto sa = nlohmann::json::parse(mxsim::testing::read_file(a / "summary.json"));
    auto sb = nlohmann::json::parse(mxsim::testing::read_file(b / "summary.json"));
    sa.erase("timing");
    sb.erase("timing");
    CHECK(sa.dump() == sb.dump());
    CHECK(mxsim::testing::read_file(a / "timeseries.csv") ==
          mxsim::testing::read_file(b / "timeseries.csv"));
    CHECK(mxsim::testing::read_file(a / "backscatter.dot") ==
          mxsim::testing::read_file(b / "backscatter.dot"));
    CHECK(sa["comparison"].size() == 3);
    CHECK_THAT(mxsim::testing::read_file(a / "timeseries.csv"),
               Catch::StartsWith("variant,sweep_point,replication,bin_start_s,metric,value\n"));
    fs::remove_all(a);
    fs::remove_all(b);
}
