// comparison_table_test.cpp - the console comparison as a person reads it: rows
// zero in every variant left out with a note, each difference with its interval,
// intervals cut at what a quantity can take, the relay-denied lesson's time to bounce.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "cli/run_command.hpp"
#include "tests/cli/call_command.hpp"
#include "tests/test_support.hpp"

using mxsim::testing::call;
using mxsim::testing::fresh_path;

namespace {

const std::string kSweep = std::string(MXSIM_SOURCE_DIR) + "/tests/experiment/mpi/sweep.json";
const std::string kRelayDenied = std::string(MXSIM_SOURCE_DIR) + "/scenarios/relay-denied.json";

}  // namespace

TEST_CASE("the comparison leaves out zero rows and gives each difference its interval",
          "[cli][table]") {
    std::string out, err;
    REQUIRE(call(&mxsim::cli::run_command,
                 {kSweep, "--quiet", "--out", fresh_path("table-sweep").string()}, out, err) == 0);
    CHECK_THAT(out, Catch::Contains("row(s) zero in every variant left out)"));
    CHECK_THAT(out, Catch::Contains("Δ 550"));
    CHECK_THAT(out, Catch::Contains("Δ: paired difference to the baseline (same random "
                                    "numbers), with its 95% CI."));
    // The spam rows: this scenario has no spammer.
    CHECK_THAT(out, !Catch::Contains("spam messages sent"));
    // A difference cell is signed and has its half-width.
    const std::size_t row = out.find("NDRs generated");
    REQUIRE(row != std::string::npos);
    const std::string line = out.substr(row, out.find('\n', row) - row);
    CHECK(std::count(line.begin(), line.end(), '+') + std::count(line.begin(), line.end(), '-') >=
          1);
    CHECK_THAT(line, Catch::Contains("±"));
}

TEST_CASE("intervals stay within what a quantity can take", "[cli][table]") {
    const auto dir = fresh_path("table-bounds");
    std::string out, err;
    REQUIRE(call(&mxsim::cli::run_command, {kSweep, "--quiet", "--out", dir.string()}, out, err) ==
            0);
    const auto s = nlohmann::json::parse(mxsim::testing::read_file(dir / "summary.json"));
    int cells = 0;
    for (const auto& c : s["comparison"])
        for (const auto& [name, m] : c["metrics"].items()) {
            if (m["low_95"].is_null()) continue;
            ++cells;
            CHECK(m["low_95"].get<double>() >= 0);
            if (name.ends_with("_share")) CHECK(m["high_95"].get<double>() <= 1);
        }
    CHECK(cells > 100);
}

TEST_CASE("the relay-denied lesson shows the time to bounce", "[cli][table]") {
    std::string out, err;
    REQUIRE(call(&mxsim::cli::run_command,
                 {kRelayDenied, "--quiet", "--out", fresh_path("table-relay").string()}, out,
                 err) == 0);
    const std::size_t row = out.find("time to bounce, mean (s)");
    REQUIRE(row != std::string::npos);
    const std::string line = out.substr(row, out.find('\n', row) - row);
    // 550 at once: the sender's own MTA bounces within a second; 454: after 5 days.
    CHECK_THAT(line, Catch::Contains(" 0.3 "));
    CHECK_THAT(line, Catch::Contains("433,200"));
}
