// results_database.cpp - the SQLite tables runs and series, written job by job.
#include "experiment/results_database.hpp"

#include <sqlite3.h>

#include <cmath>
#include <cstring>
#include <set>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "experiment/comparison.hpp"
#include "experiment/csv_results.hpp"
#include "experiment/job_runner.hpp"
#include "experiment/run_results_codec.hpp"
#include "model/series_names.hpp"

namespace mxsim::experiment {
namespace {

// The columns every row has; the metrics and the sweeps' names follow.
constexpr const char* kCreateRuns =
    "CREATE TABLE IF NOT EXISTS runs ("
    " content_hash TEXT NOT NULL, sets TEXT NOT NULL, job INTEGER NOT NULL,"
    " seed INTEGER NOT NULL, scenario TEXT NOT NULL, variant TEXT NOT NULL,"
    " sweep_point TEXT NOT NULL, replication INTEGER NOT NULL, mxsim_version TEXT NOT NULL,"
    " results BLOB NOT NULL, PRIMARY KEY (content_hash, sets, job, seed))";
constexpr const char* kCreateSeries =
    "CREATE TABLE IF NOT EXISTS series ("
    " content_hash TEXT NOT NULL, sets TEXT NOT NULL, job INTEGER NOT NULL,"
    " seed INTEGER NOT NULL, metric TEXT NOT NULL, bin_start_s REAL NOT NULL, value REAL,"
    " PRIMARY KEY (content_hash, sets, job, seed, metric, bin_start_s)) WITHOUT ROWID";
constexpr const char* kFixedColumns[] = {"content_hash",  "sets",    "job",         "seed",
                                         "scenario",      "variant", "sweep_point", "replication",
                                         "mxsim_version", "results"};

// "name" as an SQL identifier: quoted, quotes doubled ("legit.sent").
std::string identifier(const std::string& name) {
    std::string out = "\"";
    for (const char c : name)
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

}  // namespace

// A prepared statement, finalised on every path (declared in the header, so
// that ResultsDatabase::bind_key can take one).
class Statement {
  public:
    Statement(sqlite3* db, const std::string& sql, const std::string& path) : db_(db), path_(path) {
        if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt_, nullptr) != SQLITE_OK) fail();
    }
    ~Statement() { sqlite3_finalize(stmt_); }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    void text(int i, const std::string& s) {
        check(sqlite3_bind_text(stmt_, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT));
    }
    void blob(int i, const std::string& s) {
        check(sqlite3_bind_blob(stmt_, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT));
    }
    void integer(int i, std::int64_t v) { check(sqlite3_bind_int64(stmt_, i, v)); }
    // NaN (a quantile of nothing) is stored as NULL.
    void real(int i, double v) {
        check(std::isfinite(v) ? sqlite3_bind_double(stmt_, i, v) : sqlite3_bind_null(stmt_, i));
    }
    // A swept value with SQLite's own type: INTEGER, REAL, TEXT (strings, and the
    // JSON text of anything else).
    void value(int i, const nlohmann::json& v) {
        if (v.is_boolean())
            integer(i, v.get<bool>() ? 1 : 0);
        else if (v.is_number_integer() &&
                 !(v.is_number_unsigned() && v.get<std::uint64_t>() > INT64_MAX))
            integer(i, v.get<std::int64_t>());
        else if (v.is_number())
            real(i, v.get<double>());
        else
            text(i, v.is_string() ? v.get<std::string>() : v.dump());
    }
    // true while there is a row.
    bool step() {
        const int rc = sqlite3_step(stmt_);
        if (rc == SQLITE_ROW) return true;
        if (rc != SQLITE_DONE) fail();
        return false;
    }
    void reset() {
        sqlite3_reset(stmt_);
        sqlite3_clear_bindings(stmt_);
    }
    std::int64_t column_integer(int i) const { return sqlite3_column_int64(stmt_, i); }
    std::string column_text(int i) const {
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, i));
        return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, i))) : "";
    }
    std::string column_blob(int i) const {
        const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, i));
        return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, i))) : "";
    }

  private:
    void check(int rc) {
        if (rc != SQLITE_OK) fail();
    }
    [[noreturn]] void fail() { throw std::runtime_error(path_ + ": " + sqlite3_errmsg(db_)); }
    sqlite3* db_;
    sqlite3_stmt* stmt_ = nullptr;
    const std::string& path_;
};

namespace {

// A seed is an unsigned 64-bit number; SQLite's INTEGER is signed: the same bits.
std::int64_t as_integer(std::uint64_t seed) {
    std::int64_t v;
    std::memcpy(&v, &seed, sizeof v);
    return v;
}

}  // namespace

ResultsDatabase::ResultsDatabase(const std::string& path, const format::Experiment& ex, RunKey key,
                                 std::vector<std::string> series)
    : path_(path), ex_(ex), key_(std::move(key)), series_(std::move(series)) {
    sets_json_ = nlohmann::json(key_.sets).dump();
    if (sqlite3_open_v2(path.c_str(), &db_,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX |
                            SQLITE_OPEN_NOFOLLOW,
                        nullptr) != SQLITE_OK) {
        const std::string why = db_ ? sqlite3_errmsg(db_) : "out of memory";
        sqlite3_close(db_);
        throw std::runtime_error(path + ": cannot open the results database: " + why);
    }
    try {
        sqlite3_busy_timeout(db_, 10'000);  // another run writing: wait for it
        exec("PRAGMA journal_mode=WAL");
        exec(kCreateRuns);
        exec(kCreateSeries);
        add_missing_columns();
    } catch (...) {
        sqlite3_close(db_);
        throw;
    }
}

ResultsDatabase::~ResultsDatabase() {
    sqlite3_close(db_);
}

// ?1 content hash, ?2 --set list, ?3 seed (and ?4 the job): this experiment's rows.
void ResultsDatabase::bind_key(Statement& s, std::optional<std::size_t> job) const {
    s.text(1, key_.content_hash);
    s.text(2, sets_json_);
    s.integer(3, as_integer(key_.seed));
    if (job) s.integer(4, static_cast<std::int64_t>(*job));
}

void ResultsDatabase::exec(const std::string& sql) const {
    char* message = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
        const std::string why = message ? message : sqlite3_errmsg(db_);
        sqlite3_free(message);
        throw std::runtime_error(path_ + ": " + why);
    }
}

// A table made by another scenario (or an older mxsim) lacks this one's sweeps
// (or new metrics): each becomes a column, NULL in the older rows.
void ResultsDatabase::add_missing_columns() {
    std::set<std::string> have;
    {
        Statement info(db_, "PRAGMA table_info(runs)", path_);
        while (info.step())
            have.insert(info.column_text(1));
    }
    for (const char* fixed : kFixedColumns)
        if (!have.count(fixed))
            throw std::runtime_error(path_ + ": its table runs has no column " + fixed +
                                     ": not an mxsim results database");
    std::vector<std::string> wanted = ex_.sweep_names;
    for (const auto& [metric, value] : run_metrics(model::RunResults{}))
        wanted.push_back(metric);
    for (const std::string& c : wanted)
        if (!have.count(c)) exec("ALTER TABLE runs ADD COLUMN " + identifier(c));
}

std::map<std::size_t, model::RunResults> ResultsDatabase::stored(
    std::vector<std::string>& warnings) const {
    const std::lock_guard lock(mutex_);
    Statement q(db_,
                "SELECT job, results FROM runs WHERE content_hash = ?1 AND sets = ?2 AND "
                "seed = ?3 AND mxsim_version = ?4 ORDER BY job",
                path_);
    bind_key(q);
    q.text(4, key_.mxsim_version);
    std::map<std::size_t, model::RunResults> out;
    const std::size_t jobs = job_count(ex_);
    while (q.step()) {
        const std::int64_t job = q.column_integer(0);
        try {
            if (job < 0 || static_cast<std::uint64_t>(job) >= jobs)
                throw CodecError("no such job in this scenario");
            out.emplace(static_cast<std::size_t>(job), decode_run_results(q.column_blob(1)));
        } catch (const CodecError& e) {
            warnings.push_back(path_ + ": the stored results of job " + std::to_string(job) +
                               " cannot be read (" + e.what() + "); it runs again");
        }
    }
    return out;
}

void ResultsDatabase::store(std::size_t job, const model::RunResults& run) {
    const RunRow row = run_row(ex_, job, key_.seed, run);
    std::string columns, places;
    int n = 0;
    const auto add = [&](const std::string& name) {
        const bool first = n == 0;
        ++n;
        columns += (first ? "" : ",") + identifier(name);
        places += (first ? "?" : ",?") + std::to_string(n);
    };
    for (const char* fixed : kFixedColumns)
        add(fixed);
    for (const std::string& s : ex_.sweep_names)
        add(s);
    for (const auto& [metric, value] : row.metrics)
        add(metric);

    const std::lock_guard lock(mutex_);
    exec("BEGIN IMMEDIATE");
    try {
        Statement insert(
            db_, "INSERT OR REPLACE INTO runs (" + columns + ") VALUES (" + places + ")", path_);
        int i = 0;
        insert.text(++i, key_.content_hash);
        insert.text(++i, sets_json_);
        insert.integer(++i, static_cast<std::int64_t>(job));
        insert.integer(++i, as_integer(key_.seed));
        insert.text(++i, key_.scenario_name);
        insert.text(++i, row.variant);
        insert.text(++i, row.sweep_point);
        insert.integer(++i, static_cast<std::int64_t>(row.replication));
        insert.text(++i, key_.mxsim_version);
        insert.blob(++i, encode_run_results(run));
        for (const nlohmann::json& v : row.swept)
            insert.value(++i, v);
        for (const auto& [metric, value] : row.metrics)
            insert.real(++i, value);
        insert.step();

        Statement clear(db_,
                        "DELETE FROM series WHERE content_hash = ?1 AND sets = ?2 AND seed = ?3 "
                        "AND job = ?4",
                        path_);
        bind_key(clear, job);
        clear.step();
        Statement point(db_,
                        "INSERT INTO series (content_hash, sets, seed, job, metric, bin_start_s, "
                        "value) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                        path_);
        for_each_series(run, [&](std::string_view name, const std::vector<double>& bins) {
            if (!model::series_chosen(series_, name)) return;
            for (std::size_t b = 0; b < bins.size(); ++b) {
                bind_key(point, job);
                point.text(5, std::string(name));
                point.real(6, sim::to_seconds(static_cast<sim::SimTime>(b) * run.bin_width));
                point.real(7, bins[b]);
                point.step();
                point.reset();
            }
        });
        exec("COMMIT");
    } catch (...) {
        sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
}

}  // namespace mxsim::experiment
