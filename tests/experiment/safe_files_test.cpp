// safe_files_test.cpp - results written whole or not at all, never through a
// symlink or over something else (issue 12, point 4).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "experiment/run_cancelled.hpp"
#include "experiment/safe_files.hpp"
#include "tests/test_support.hpp"

namespace fs = std::filesystem;
using mxsim::experiment::write_files_atomically;
using mxsim::experiment::write_result_set;

namespace {

fs::path fresh(const std::string& name) {
    const fs::path dir = fs::temp_directory_path() / ("mxsim-safe-" + name);
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

}  // namespace

TEST_CASE("a result set replaces the old one whole: no file of an earlier run survives",
          "[experiment][safety]") {
    const fs::path base = fresh("set");
    const fs::path out = base / "run";
    write_result_set(out.string(), {{"summary.json", "old\n"}, {"trace.jsonl", "old trace\n"}});
    write_result_set(out.string(), {{"summary.json", "new\n"}});
    CHECK(mxsim::testing::read_file(out / "summary.json") == "new\n");
    CHECK_FALSE(fs::exists(out / "trace.jsonl"));
    // Nothing else is left beside it: no temporary folder.
    std::size_t entries = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(base))
        ++entries;
    CHECK(entries == 1);
    fs::remove_all(base);
}

TEST_CASE("a symlink planted as the result folder is refused, not followed",
          "[experiment][safety]") {
    const fs::path base = fresh("symlink");
    const fs::path victim = base / "victim";
    fs::create_directories(victim);
    std::ofstream(victim / "summary.json") << "precious\n";
    fs::create_directory_symlink(victim, base / "run");
    CHECK_THROWS_WITH(write_result_set((base / "run").string(), {{"summary.json", "new\n"}}),
                      Catch::Contains("a symlink is not followed"));
    CHECK(mxsim::testing::read_file(victim / "summary.json") == "precious\n");
    fs::remove_all(base);
}

TEST_CASE("a result folder that is a file is refused, and errors name the path and the reason",
          "[experiment][safety]") {
    const fs::path base = fresh("refused");
    std::ofstream(base / "run") << "a file\n";
    CHECK_THROWS_WITH(write_result_set((base / "run").string(), {{"summary.json", "x"}}),
                      Catch::Contains("run: exists and is not a folder"));
    CHECK(mxsim::testing::read_file(base / "run") == "a file\n");
    CHECK_THROWS_WITH(write_result_set((base / "run" / "sub").string(), {{"summary.json", "x"}}),
                      Catch::Contains("cannot create folder") && Catch::Contains("ot a directory"));
    // A folder with a user's own files is not replaced (--out ~/Documents).
    fs::create_directories(base / "documents");
    std::ofstream(base / "documents" / "thesis.tex") << "years of work\n";
    CHECK_THROWS_WITH(write_result_set((base / "documents").string(), {{"summary.json", "x"}}),
                      Catch::Contains("holds thesis.tex"));
    CHECK(mxsim::testing::read_file(base / "documents" / "thesis.tex") == "years of work\n");
    CHECK_THROWS_WITH(write_result_set(".", {{"summary.json", "x"}}),
                      Catch::Contains("a folder of their own"));
    fs::remove_all(base);
}

TEST_CASE("files written into a folder replace a planted symlink instead of writing through it",
          "[experiment][safety]") {
    const fs::path base = fresh("files");
    std::ofstream(base / "victim.txt") << "precious\n";
    fs::create_symlink(base / "victim.txt", base / "chart.png");
    write_files_atomically(base.string(), {{"chart.png", "png\n"}});
    CHECK(mxsim::testing::read_file(base / "victim.txt") == "precious\n");
    CHECK_FALSE(fs::is_symlink(base / "chart.png"));
    CHECK(mxsim::testing::read_file(base / "chart.png") == "png\n");
    fs::remove_all(base);
}

TEST_CASE("a cancelled write leaves the old set as it was and nothing beside it",
          "[experiment][safety]") {
    const fs::path base = fresh("cancel");
    const fs::path out = base / "run";
    write_result_set(out.string(), {{"summary.json", "old\n"}});
    int checks = 0;
    CHECK_THROWS_AS(write_result_set(out.string(), {{"summary.json", "new\n"}, {"b.csv", "x"}},
                                     [&checks] { return ++checks == 2; }),
                    mxsim::experiment::RunCancelled);
    CHECK(checks == 2);
    CHECK(mxsim::testing::read_file(out / "summary.json") == "old\n");
    std::size_t entries = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(base))
        ++entries;
    CHECK(entries == 1);
    fs::remove_all(base);
}

TEST_CASE("a results folder is checked before the run, as the write would check it",
          "[experiment][safety]") {
    const fs::path base = fresh("precheck");
    CHECK_FALSE(mxsim::experiment::check_result_folder((base / "new").string(), {}));
    std::ofstream(base / "file") << "x";
    CHECK_THROWS_WITH(mxsim::experiment::check_result_folder((base / "file").string(), {}),
                      Catch::Contains("exists and is not a folder"));
    CHECK_THROWS_WITH(mxsim::experiment::check_result_folder(base.string(), {}),
                      Catch::Contains("holds file, which is not a result file"));
    CHECK_THROWS_WITH(mxsim::experiment::check_result_folder(".", {}),
                      Catch::Contains("not . or .."));
    fs::remove_all(base);
}

TEST_CASE("an export never replaces a device node or a folder", "[experiment][safety]") {
    const fs::path base = fresh("not-regular");
    fs::create_directories(base / "folder.png");
    CHECK_THROWS_WITH(write_files_atomically(base.string(), {{"folder.png", "png"}}),
                      Catch::Contains("folder.png: exists and is not a regular file"));
    CHECK(fs::is_directory(base / "folder.png"));
    // A symlink to a device is replaced by the file, the device left alone.
    fs::create_symlink("/dev/null", base / "link.png");
    write_files_atomically(base.string(), {{"link.png", "png"}});
    CHECK_FALSE(fs::is_symlink(base / "link.png"));
    // /dev/null itself, as a screenshot's path.
    CHECK_THROWS_WITH(write_files_atomically("/dev", {{"null", "png"}}),
                      Catch::Contains("/dev/null: exists and is not a regular file"));
    fs::remove_all(base);
}
