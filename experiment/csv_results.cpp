// csv_results.cpp - timeseries.csv and runs.csv.
#include "experiment/csv_results.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>

#include "experiment/comparison.hpp"
#include "experiment/job_runner.hpp"
#include "model/series_names.hpp"

namespace mxsim::experiment {
namespace {

// A whole number below 10^15 printed as an integer: what "%.0f" and "%.17g"
// print for it, at a fraction of the cost of a precision-17 conversion (most
// bins hold counts, and every bin starts at a whole second). False for -0.
bool append_whole(std::string& out, double v) {
    constexpr double kLimit = 1e15;
    if (!(v > -kLimit && v < kLimit) || v != std::trunc(v) || (v == 0 && std::signbit(v)))
        return false;
    char buf[24];
    out.append(buf, std::to_chars(buf, buf + sizeof buf, static_cast<std::int64_t>(v)).ptr);
    return true;
}

// std::to_chars: printf's "%.0f" and "%.17g", without its locale and parsing.
void append_fixed(std::string& out, double v) {
    if (append_whole(out, v)) return;
    char buf[64];
    out.append(buf, std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, 0).ptr);
}
void append_general(std::string& out, double v) {
    if (append_whole(out, v)) return;
    char buf[64];
    out.append(buf, std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general, 17).ptr);
}

// A swept value as a CSV field: numbers and booleans as JSON writes them, a
// string as itself, anything else as its JSON text.
std::string value_field(const nlohmann::json& v) {
    return csv_field(v.is_string() ? v.get<std::string>() : v.dump());
}

}  // namespace

std::string csv_field(const std::string& s) {
    if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
    std::string out = "\"";
    for (const char c : s)
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

void for_each_series(const model::RunResults& run, const SeriesVisitor& visit) {
    visit("ndrs_generated", run.ndrs_generated_per_bin);
    visit("backscatter_delivered", run.backscatter_per_bin);
    visit("delivered", run.delivered_per_bin);
    visit("queued_mean", run.queued_mean_per_bin);
    for (const model::NamedSeries& s : run.series)
        visit(s.name, s.bins);
}

std::string timeseries_csv(const format::Experiment& ex, const std::vector<model::RunResults>& runs,
                           const std::vector<std::size_t>& jobs,
                           const std::vector<std::string>& series) {
    std::string out = "variant,sweep_point,replication,bin_start_s,metric,value\n";
    for (const std::size_t j : jobs) {
        const model::RunResults& r = runs.at(j);
        const JobPlace at = place_of(ex, j);
        const std::string prefix = csv_field(ex.variants[at.variant]) + "," +
                                   csv_field(ex.sweep_points[at.point]) + "," +
                                   std::to_string(at.replication) + ",";
        for_each_series(r, [&](std::string_view name, const std::vector<double>& bins) {
            if (!model::series_chosen(series, name)) return;
            const std::string metric = "," + csv_field(std::string(name)) + ",";
            for (std::size_t b = 0; b < bins.size(); ++b) {
                out += prefix;
                append_fixed(out, sim::to_seconds(static_cast<sim::SimTime>(b) * r.bin_width));
                out += metric;
                append_general(out, bins[b]);
                out += '\n';
            }
        });
    }
    return out;
}

RunRow run_row(const format::Experiment& ex, std::size_t job, std::uint64_t seed,
               const model::RunResults& run) {
    const JobPlace at = place_of(ex, job);
    RunRow row;
    row.job = job;
    row.variant = ex.variants.at(at.variant);
    row.sweep_point = ex.sweep_points.at(at.point);
    row.replication = at.replication;
    row.seed = seed;
    if (at.point < ex.sweep_values.size()) row.swept = ex.sweep_values[at.point];
    row.metrics = run_metrics(run);
    return row;
}

void check_run_columns(const format::Experiment& ex) {
    const auto metrics = run_metrics(model::RunResults{});
    for (const std::string& name : ex.sweep_names)
        for (const auto& [metric, value] : metrics)
            if (name == metric)
                throw format::ScenarioError(
                    "/sweeps: the sweep name \"" + name +
                    "\" is also a metric's; both would be columns of runs.csv: rename the sweep");
}

std::string runs_csv(const format::Experiment& ex, std::uint64_t seed,
                     const std::vector<model::RunResults>& runs,
                     const std::vector<std::size_t>& jobs) {
    std::string out = "job,variant,replication,seed";
    for (const std::string& name : ex.sweep_names)
        out += "," + csv_field(name);
    for (const auto& [metric, value] : run_metrics(model::RunResults{}))
        out += "," + metric;
    out += '\n';
    for (const std::size_t j : jobs) {
        const RunRow row = run_row(ex, j, seed, runs.at(j));
        out += std::to_string(row.job) + "," + csv_field(row.variant) + "," +
               std::to_string(row.replication) + "," + std::to_string(row.seed);
        for (const nlohmann::json& v : row.swept)
            out += "," + value_field(v);
        for (const auto& [metric, value] : row.metrics) {
            out += ',';
            if (std::isfinite(value)) append_general(out, value);
        }
        out += '\n';
    }
    return out;
}

}  // namespace mxsim::experiment
