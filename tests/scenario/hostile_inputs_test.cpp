// hostile_inputs_test.cpp - every file in tests/hostile/ is refused by the loader with
// its expected message (the same files run through `mxsim run` as hostile.* tests), and
// the fuzzers' checks hold for every shipped scenario (issue 12, points 5 and 6).
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "fuzz/fuzz_checks.hpp"
#include "tests/test_support.hpp"

namespace fs = std::filesystem;
using namespace mxsim;

namespace {

std::string trimmed(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == ' '))
        s.pop_back();
    return s;
}

// The loader's and the estimate's message for a file, under the hostile tests' 1 GiB.
std::string refusal(const std::string& text, const std::string& origin) {
    try {
        const format::MemoryBudget budget{std::uint64_t{1} << 30, "--max-memory 1G"};
        const format::Experiment ex = format::parse_experiment(text, origin, {budget, {}, {}});
        format::check_work(format::estimate_work(ex, 1, false), budget, origin);
    } catch (const format::ScenarioError& e) {
        return e.what();
    }
    return "(accepted)";
}

}  // namespace

TEST_CASE("every hostile input is refused by the loader with its message", "[scenario][hostile]") {
    std::size_t files = 0;
    for (const fs::directory_entry& e : fs::directory_iterator(MXSIM_SOURCE_DIR "/tests/hostile")) {
        if (e.path().extension() != ".json") continue;
        ++files;
        const std::string name = e.path().filename().string();
        fs::path expect_file = e.path();
        expect_file.replace_extension(".expect");
        const std::string expect = trimmed(testing::read_file(expect_file));
        const std::string message = refusal(testing::read_file(e.path()), name);
        INFO(name << ": " << message);
        CHECK_FALSE(expect.empty());
        CHECK(message.find(name + ": ") == 0);
        CHECK(message.find(expect) != std::string::npos);
    }
    CHECK(files >= 20);
}

TEST_CASE("the fuzzers' checks hold for every shipped scenario, simulated to a cap",
          "[scenario][hostile]") {
    for (const fs::directory_entry& e : fs::directory_iterator(MXSIM_SOURCE_DIR "/scenarios")) {
        if (e.path().extension() != ".json") continue;
        INFO(e.path().filename().string());
        const auto ex = fuzz::load_checked(testing::read_file(e.path()), std::uint64_t{1} << 30);
        REQUIRE(ex);
        // Every job's world runs, and stops at the cap's first look past it.
        const std::uint64_t events = fuzz::simulate_bounded(*ex, 2'000);
        CHECK(events >= ex->scenarios.size());
        CHECK(events <= (2'000 + 4'096) * ex->scenarios.size());
    }
}
