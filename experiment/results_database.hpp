// results_database.hpp - `mxsim run --db FILE`: every job's results in a SQLite
// database (Debian's libsqlite3), one row per job as it finishes, so that a big
// sweep can be stopped and resumed (the jobs stored are not run again, as ns-3's
// SEM does). Offers ResultsDatabase; the tables are in docs/results-format.md.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "model/run_results.hpp"
#include "scenario/experiment_file.hpp"

struct sqlite3;

namespace mxsim::experiment {

class Statement;  // results_database.cpp: a prepared statement

// What identifies one experiment's rows: the scenario file's content hash, the
// command line's --set changes and the master seed (with the job number).
struct RunKey {
    std::string content_hash;
    std::vector<std::string> sets;
    std::uint64_t seed = 0;
    std::string scenario_name;
    std::string mxsim_version;
};

class ResultsDatabase {
  public:
    // Opens (or creates) `path` and makes its tables hold `ex`'s columns.
    // Throws std::runtime_error naming the file and SQLite's reason, also for a
    // file that is not an mxsim results database.
    ResultsDatabase(const std::string& path, const format::Experiment& ex, RunKey key,
                    std::vector<std::string> series);
    ~ResultsDatabase();
    ResultsDatabase(const ResultsDatabase&) = delete;
    ResultsDatabase& operator=(const ResultsDatabase&) = delete;

    // The jobs already stored for this key by this mxsim version, decoded. A row
    // that does not decode is left out (its job runs again) and named in `warnings`.
    std::map<std::size_t, model::RunResults> stored(std::vector<std::string>& warnings) const;

    // Stores one job (its row, metrics and chosen series) in one transaction,
    // replacing an older row of the same job. Thread-safe.
    void store(std::size_t job, const model::RunResults& run);

  private:
    void exec(const std::string& sql) const;
    void bind_key(Statement& s, std::optional<std::size_t> job = std::nullopt) const;
    void add_missing_columns();

    std::string path_;
    const format::Experiment& ex_;
    RunKey key_;
    std::string sets_json_;
    std::vector<std::string> series_;
    sqlite3* db_ = nullptr;
    mutable std::mutex mutex_;
};

}  // namespace mxsim::experiment
