// result_owner_test.cpp - whose results a folder holds (run --force).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "experiment/result_owner.hpp"

using namespace mxsim;
namespace fs = std::filesystem;

namespace {

fs::path folder_with_summary(const std::string& name, const std::string& summary) {
    const fs::path dir = fs::temp_directory_path() / ("mxsim-owner-test-" + name);
    fs::remove_all(dir);
    fs::create_directories(dir);
    if (!summary.empty()) std::ofstream(dir / "summary.json") << summary;
    return dir;
}

experiment::RunMetadata meta(const std::string& hash, std::uint64_t seed) {
    return {"s", "s.json", hash, seed, "0.1.0", {}, {}};
}

const std::string kSummary =
    R"({"run": {"scenario": "klez", "content_hash": "abc", "seed": 7, "set": []},
        "fates": {"legit": {"delivered": 1}}, "mtas": [1, 2, 3]})";

}  // namespace

TEST_CASE("a folder of the same scenario and seed is this run's to replace",
          "[experiment][owner]") {
    CHECK_FALSE(
        experiment::other_results(folder_with_summary("same", kSummary).string(), meta("abc", 7)));
    CHECK_FALSE(experiment::other_results("/nonexistent/mxsim-owner", meta("abc", 7)));
    CHECK_FALSE(
        experiment::other_results(folder_with_summary("empty", "").string(), meta("abc", 7)));
}

TEST_CASE("another scenario's, seed's or --set's results are named", "[experiment][owner]") {
    const std::string dir = folder_with_summary("other", kSummary).string();
    const auto hash = experiment::other_results(dir, meta("def", 7));
    REQUIRE(hash);
    CHECK(*hash == "results of scenario klez (content hash \"abc\", seed 7)");
    CHECK(experiment::other_results(dir, meta("abc", 8)));
    experiment::RunMetadata with_set = meta("abc", 7);
    with_set.sets = {"/seed=3"};
    CHECK(experiment::other_results(dir, with_set));
}

TEST_CASE("result files without a readable summary.json count as another run's",
          "[experiment][owner]") {
    const fs::path dir = folder_with_summary("unreadable", "{\"run\": ");
    CHECK(experiment::other_results(dir.string(), meta("abc", 7)) ==
          "files without a readable summary.json");
    const fs::path csv_only = folder_with_summary("csv-only", "");
    std::ofstream(csv_only / "timeseries.csv") << "variant\n";
    CHECK(experiment::other_results(csv_only.string(), meta("abc", 7)));
}

TEST_CASE("only the summary's run is read, wherever it is", "[experiment][owner]") {
    // "run" after other keys is found; what follows it is never read, so a
    // summary cut off after its run still names its owner.
    const std::string late_run = R"({"fates": {"legit": {"delivered": 1}}, "series": [1, 2],
        "run": {"scenario": "klez", "content_hash": "abc", "seed": 7, "set": []}, "mtas": [1,)";
    const std::string dir = folder_with_summary("late-run", late_run).string();
    CHECK_FALSE(experiment::other_results(dir, meta("abc", 7)));
    CHECK(experiment::other_results(dir, meta("abc", 8)) ==
          "results of scenario klez (content hash \"abc\", seed 7)");
    // A "run" nested deeper is not the summary's.
    const std::string nested = R"({"mtas": [{"run": {"content_hash": "abc", "seed": 7}}]})";
    CHECK(experiment::other_results(folder_with_summary("nested-run", nested).string(),
                                    meta("abc", 7)) == "files without a readable summary.json");
}
