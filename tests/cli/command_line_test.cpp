// command_line_test.cpp - the habits users bring (issue 13, point 1): --help on every
// command (stdout, exit 0), --opt=value like --opt value, --set POINTER=VALUE, mxsim
// validate, and the documented exit codes.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/explain_command.hpp"
#include "cli/run_command.hpp"
#include "cli/validate_command.hpp"
#include "tests/cli/call_command.hpp"
#include "tests/test_support.hpp"

namespace fs = std::filesystem;

namespace {

const std::string kSeedScenario =
    std::string(MXSIM_SOURCE_DIR) + "/scenarios/backup-mx-nxdomain.json";

using mxsim::testing::call;
using mxsim::testing::Command;

fs::path fresh_dir(const std::string& name) {
    const fs::path dir = fs::temp_directory_path() / ("mxsim-cli-" + name);
    fs::remove_all(dir);
    return dir;
}

nlohmann::json summary_of(const fs::path& dir) {
    return nlohmann::json::parse(mxsim::testing::read_file(dir / "summary.json"));
}

}  // namespace

TEST_CASE("options: --help on every command, the usage on stdout, exit 0", "[cli][options]") {
    for (const Command command :
         {&mxsim::cli::run_command, &mxsim::cli::explain_command, &mxsim::cli::validate_command}) {
        std::string out, err;
        CHECK(call(command, {"--help"}, out, err) == 0);
        CHECK_THAT(out, Catch::Contains("SCENARIO"));
        CHECK_THAT(out, Catch::Contains("--set"));
        CHECK(err.empty());
    }
}

TEST_CASE("options: --opt=value and --opt value alike, usage errors exit 2", "[cli][options]") {
    const fs::path a = fresh_dir("equals"), b = fresh_dir("space");
    std::string out, err;
    REQUIRE(call(&mxsim::cli::run_command,
                 {kSeedScenario, "--seed=5", "--out=" + a.string(), "--quiet"}, out, err) == 0);
    REQUIRE(call(&mxsim::cli::run_command,
                 {kSeedScenario, "--seed", "5", "--out", b.string(), "--quiet"}, out, err) == 0);
    CHECK(summary_of(a)["run"]["seed"] == 5);
    CHECK(mxsim::testing::read_file(a / "timeseries.csv") ==
          mxsim::testing::read_file(b / "timeseries.csv"));
    CHECK(call(&mxsim::cli::run_command, {kSeedScenario, "--threads", "0"}, out, err) == 2);
    CHECK_THAT(err, Catch::Contains("--threads"));
    CHECK_THAT(err, Catch::Contains("mxsim run --help"));
    fs::remove_all(a);
    fs::remove_all(b);
}

TEST_CASE("options: --set changes a scenario value for this run, JSON or string",
          "[cli][options]") {
    const fs::path dir = fresh_dir("set");
    std::string out, err;
    // The backup MX's queue lifetime, a number of seconds as JSON, and the name as a string.
    REQUIRE(call(&mxsim::cli::run_command,
                 {kSeedScenario, "--quiet", "--out", dir.string(), "--set", "/seed=11", "--set",
                  "/name=renamed"},
                 out, err) == 0);
    const nlohmann::json s = summary_of(dir);
    CHECK(s["run"]["seed"] == 11);
    CHECK(s["run"]["scenario"] == "renamed");
    // The summary says what was changed, so that the run can be made again.
    CHECK(s["run"]["set"] == nlohmann::json::array({"/seed=11", "/name=renamed"}));
    // Given before the scenario, --set takes one value and leaves the file's name alone
    // (--force: the folder holds the results of other --set changes).
    REQUIRE(call(&mxsim::cli::run_command,
                 {"--set", "/seed=12", kSeedScenario, "--quiet", "--force", "--out", dir.string()},
                 out, err) == 0);
    CHECK(summary_of(dir)["run"]["seed"] == 12);
    // A pointer to nothing is bad input, named as the command line's.
    CHECK(call(&mxsim::cli::run_command,
               {kSeedScenario, "--quiet", "--out", dir.string(), "--set", "/nothing/here=1"}, out,
               err) == 2);
    CHECK_THAT(err, Catch::Contains("--set /nothing/here=1: expected a JSON pointer to a place "
                                    "in the scenario"));
    CHECK(call(&mxsim::cli::run_command,
               {kSeedScenario, "--quiet", "--out", dir.string(), "--set", "seed"}, out, err) == 2);
    CHECK_THAT(err, Catch::Contains("expected POINTER=VALUE"));
    fs::remove_all(dir);
}

TEST_CASE("mxsim validate: ok for good files, exit 2 with the message for a bad one",
          "[cli][options]") {
    std::string out, err;
    CHECK(call(&mxsim::cli::validate_command, {kSeedScenario}, out, err) == 0);
    CHECK_THAT(out, Catch::Contains("backup-mx-nxdomain.json: ok, 1 job(s)"));
    const fs::path bad = fs::temp_directory_path() / "mxsim-cli-bad.json";
    std::ofstream(bad) << R"({"name": "x", "duration": 5})";
    CHECK(call(&mxsim::cli::validate_command, {kSeedScenario, bad.string()}, out, err) == 2);
    CHECK_THAT(err, Catch::Contains("/duration"));
    fs::remove(bad);
}

TEST_CASE("explain: an address nothing was sent to or from is bad input", "[cli][options]") {
    std::string out, err;
    CHECK(call(&mxsim::cli::explain_command, {kSeedScenario, "--address", "nobody@nowhere.example"},
               out, err) == 2);
    CHECK_THAT(err, Catch::Contains("no message of this run is to or from nobody@nowhere.example"));
    CHECK(call(&mxsim::cli::explain_command, {kSeedScenario}, out, err) == 2);
    CHECK_THAT(err, Catch::Contains("--message ID or --address ADDR"));
}
