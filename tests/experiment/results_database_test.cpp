// results_database_test.cpp - `run --db`: rows a job at a time, read back exactly,
// columns for sweeps and metrics, and files that are not mxsim databases refused.
#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <filesystem>
#include <fstream>

#include "experiment/experiment_runner.hpp"
#include "experiment/results_database.hpp"
#include "experiment/run_results_codec.hpp"

using namespace mxsim;
namespace fs = std::filesystem;

namespace {

const std::string kSweep = std::string(MXSIM_SOURCE_DIR) + "/tests/experiment/mpi/sweep.json";

fs::path fresh_file(const std::string& name) {
    const fs::path p = fs::temp_directory_path() / ("mxsim-db-test-" + name);
    fs::remove(p);
    fs::remove(p.string() + "-wal");
    fs::remove(p.string() + "-shm");
    return p;
}

experiment::RunKey key_for(const format::Experiment& ex, std::uint64_t seed) {
    return {ex.content_hash, {}, seed, "mpi-sweep", "test"};
}

// One value by SQL, read with SQLite itself (not through the class under test).
std::string query(const fs::path& db, const std::string& sql) {
    sqlite3* h = nullptr;
    REQUIRE(sqlite3_open(db.c_str(), &h) == SQLITE_OK);
    std::string out;
    sqlite3_exec(
        h, sql.c_str(),
        [](void* o, int n, char** values, char**) {
            for (int i = 0; i < n; ++i)
                *static_cast<std::string*>(o) +=
                    (values[i] ? values[i] : "NULL") + std::string("|");
            return 0;
        },
        &out, nullptr);
    sqlite3_close(h);
    return out;
}

}  // namespace

TEST_CASE("a results database gives back exactly the runs stored in it", "[experiment][db]") {
    const format::Experiment ex = format::load_experiment_file(kSweep);
    const experiment::ExperimentRuns runs =
        experiment::run_experiment(ex, {5, 2, false, 0.2, std::nullopt});
    const fs::path file = fresh_file("roundtrip.sqlite");
    {
        experiment::ResultsDatabase db(file.string(), ex, key_for(ex, 5), {"delivered"});
        std::vector<std::string> warnings;
        CHECK(db.stored(warnings).empty());
        for (const std::size_t j : {0u, 3u, 7u})
            db.store(j, runs.runs[j]);
        db.store(3, runs.runs[3]);  // stored again: replaced, not doubled
    }
    experiment::ResultsDatabase again(file.string(), ex, key_for(ex, 5), {"delivered"});
    std::vector<std::string> warnings;
    const auto stored = again.stored(warnings);
    CHECK(warnings.empty());
    REQUIRE(stored.size() == 3);
    for (const std::size_t j : {0u, 3u, 7u})
        CHECK(experiment::encode_run_results(stored.at(j)) ==
              experiment::encode_run_results(runs.runs[j]));
    // Another seed is another experiment.
    experiment::ResultsDatabase other(file.string(), ex, key_for(ex, 6), {});
    CHECK(other.stored(warnings).empty());

    // The rows as SQL sees them: a typed sweep column, metric columns, the series chosen.
    CHECK(query(file, "SELECT count(*) FROM runs") == "3|");
    CHECK(query(file,
                "SELECT variant, replication, limit_per_hour, typeof(limit_per_hour) "
                "FROM runs WHERE job = 7") == "550|1|50|integer|");
    CHECK(query(file, "SELECT \"legit.sent\" = " + std::to_string(runs.runs[7].fates[0][0] + 0) +
                          " OR 1 FROM runs "
                          "WHERE job = 7") == "1|");
    CHECK(query(file, "SELECT DISTINCT metric FROM series") == "delivered|");
    CHECK(query(file, "SELECT count(*) FROM series WHERE job = 0") ==
          std::to_string(runs.runs[0].delivered_per_bin.size()) + "|");
}

TEST_CASE("a stored row that does not decode is run again, with a warning", "[experiment][db]") {
    const format::Experiment ex = format::load_experiment_file(kSweep);
    const experiment::ExperimentRuns runs =
        experiment::run_experiment(ex, {5, 2, false, 0.2, std::nullopt});
    const fs::path file = fresh_file("corrupt.sqlite");
    {
        experiment::ResultsDatabase db(file.string(), ex, key_for(ex, 5), {});
        db.store(1, runs.runs[1]);
        db.store(2, runs.runs[2]);
    }
    query(file, "UPDATE runs SET results = x'0102' WHERE job = 2");
    experiment::ResultsDatabase db(file.string(), ex, key_for(ex, 5), {});
    std::vector<std::string> warnings;
    const auto stored = db.stored(warnings);
    CHECK(stored.size() == 1);
    CHECK(stored.count(1) == 1);
    REQUIRE(warnings.size() == 1);
    CHECK_THAT(warnings[0], Catch::Contains("job 2 cannot be read"));
}

TEST_CASE("a file that is not an mxsim results database is refused by name", "[experiment][db]") {
    const format::Experiment ex = format::load_experiment_file(kSweep);
    const fs::path text = fresh_file("text.sqlite");
    std::ofstream(text) << "hello, this is not SQLite, not at all, it is plain text............\n";
    CHECK_THROWS_WITH(experiment::ResultsDatabase(text.string(), ex, key_for(ex, 1), {}),
                      Catch::Contains(text.string()) && Catch::Contains("not a database"));
    const fs::path foreign = fresh_file("foreign.sqlite");
    query(foreign, "CREATE TABLE runs (id INTEGER, name TEXT)");
    CHECK_THROWS_WITH(experiment::ResultsDatabase(foreign.string(), ex, key_for(ex, 1), {}),
                      Catch::Contains("not an mxsim results database"));
    CHECK_THROWS_WITH(
        experiment::ResultsDatabase("/nonexistent-dir/x.sqlite", ex, key_for(ex, 1), {}),
        Catch::Contains("/nonexistent-dir/x.sqlite"));
}
