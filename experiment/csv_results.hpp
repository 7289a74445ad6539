// csv_results.hpp - a run's results as CSV (RFC 4180) for analysis tools:
// timeseries.csv (every chosen series of every job, long format) and runs.csv
// (one row per job: its place, seed, swept values and scalar metrics).
// Offers timeseries_csv(), runs_csv(), run_row(), for_each_series() and check_run_columns().
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/run_results.hpp"
#include "scenario/experiment_file.hpp"

namespace mxsim::experiment {

// RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled.
std::string csv_field(const std::string& s);

// Every series of a run, in timeseries.csv's order: the four kept in RunResults
// itself, then RunResults::series.
using SeriesVisitor = std::function<void(std::string_view name, const std::vector<double>& bins)>;
void for_each_series(const model::RunResults& run, const SeriesVisitor& visit);

// Long format: variant,sweep_point,replication,bin_start_s,metric,value, for
// `jobs` (indices into `runs`) and the series `series` chooses (names or
// prefixes ending in "*", model/series_names.hpp; empty: every series).
std::string timeseries_csv(const format::Experiment& ex, const std::vector<model::RunResults>& runs,
                           const std::vector<std::size_t>& jobs,
                           const std::vector<std::string>& series = {});

// One job as a row of runs.csv and of the results database's runs table.
struct RunRow {
    std::size_t job = 0;
    std::string variant;
    std::string sweep_point;
    std::size_t replication = 0;
    std::uint64_t seed = 0;                               // the master seed (--seed)
    std::vector<nlohmann::json> swept;                    // by Experiment::sweep_names
    std::vector<std::pair<std::string, double>> metrics;  // run_metrics(), in order
};
RunRow run_row(const format::Experiment& ex, std::size_t job, std::uint64_t seed,
               const model::RunResults& run);

// Throws format::ScenarioError when a sweep's name is also a metric's (both
// would be columns of runs.csv).
void check_run_columns(const format::Experiment& ex);

// job,variant,replication,seed, one column per sweep (typed: its values as
// written), one per metric (NaN: empty); a row per job in `jobs`.
std::string runs_csv(const format::Experiment& ex, std::uint64_t seed,
                     const std::vector<model::RunResults>& runs,
                     const std::vector<std::size_t>& jobs);

}  // namespace mxsim::experiment
