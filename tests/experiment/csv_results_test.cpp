// csv_results_test.cpp - runs.csv (a row per job, typed sweep columns) and the
// series choice of timeseries.csv.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <set>
#include <sstream>

#include "experiment/csv_results.hpp"
#include "experiment/experiment_runner.hpp"
#include "model/series_names.hpp"

using namespace mxsim;

namespace {

const std::string kSweep = std::string(MXSIM_SOURCE_DIR) + "/tests/experiment/mpi/sweep.json";

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        out.push_back(line);
    return out;
}

std::vector<std::string> fields_of(const std::string& line) {
    std::vector<std::string> out;
    std::istringstream in(line);
    for (std::string f; std::getline(in, f, ',');)
        out.push_back(f);
    return out;
}

}  // namespace

TEST_CASE("runs.csv has a row per job with its place, seed, sweep value and metrics",
          "[experiment][csv]") {
    const format::Experiment ex = format::load_experiment_file(kSweep);
    REQUIRE(ex.sweep_names == std::vector<std::string>{"limit_per_hour"});
    REQUIRE(ex.sweep_values.size() == 3);
    CHECK(ex.sweep_values[2][0] == 400);
    const experiment::ExperimentRuns runs =
        experiment::run_experiment(ex, {99, 2, false, 0.2, std::nullopt});
    const std::vector<std::size_t> jobs = experiment::every_job(ex);
    const std::vector<std::string> rows = lines_of(experiment::runs_csv(ex, 99, runs.runs, jobs));
    REQUIRE(rows.size() == 1 + 12);  // 2 variants x 3 points x 2 replications
    const std::vector<std::string> head = fields_of(rows[0]);
    REQUIRE(head.size() >= 6);
    CHECK(std::vector<std::string>(head.begin(), head.begin() + 5) ==
          std::vector<std::string>{"job", "variant", "replication", "seed", "limit_per_hour"});
    const auto column = [&](const std::string& name) {
        return static_cast<std::size_t>(std::find(head.begin(), head.end(), name) - head.begin());
    };
    REQUIRE(column("worm.sent") < head.size());
    // Job 9: variant 1 ("550"), point 9 / 2 % 3 = 1 (100 per hour), replication 1.
    const std::vector<std::string> nine = fields_of(rows[10]);
    REQUIRE(nine.size() == head.size());
    CHECK(nine[0] == "9");
    CHECK(nine[1] == "550");
    CHECK(nine[2] == "1");
    CHECK(nine[3] == "99");
    CHECK(nine[4] == "100");  // typed: the number as written, not "limit_per_hour=100"
    // worm.sent: the worm's recipients, whatever their fate.
    double worm = 0;
    for (const std::uint64_t n : runs.runs[9].fates[static_cast<std::size_t>(model::Origin::Worm)])
        worm += static_cast<double>(n);
    CHECK(worm > 0);
    CHECK(std::stod(nine[column("worm.sent")]) == worm);
    // One job alone: the header and its row.
    CHECK(lines_of(experiment::runs_csv(ex, 99, runs.runs, {9})) ==
          std::vector<std::string>{rows[0], rows[10]});
}

TEST_CASE("timeseries.csv holds only the series chosen", "[experiment][csv]") {
    const format::Experiment ex = format::load_experiment_file(kSweep);
    const experiment::ExperimentRuns runs =
        experiment::run_experiment(ex, {3, 2, false, 0.2, std::nullopt});
    const std::vector<std::size_t> jobs = experiment::every_job(ex);
    const std::string all = experiment::timeseries_csv(ex, runs.runs, jobs);
    const std::string some =
        experiment::timeseries_csv(ex, runs.runs, jobs, {"delivered", "fate.worm.*"});
    std::set<std::string> metrics;
    for (const std::string& line : lines_of(some))
        metrics.insert(fields_of(line).at(4));
    metrics.erase("metric");
    REQUIRE(!metrics.empty());
    for (const std::string& m : metrics)
        CHECK((m == "delivered" || m.rfind("fate.worm.", 0) == 0));
    CHECK(metrics.count("delivered") == 1);
    CHECK(metrics.count("fate.worm.rejected") == 1);
    CHECK(some.size() < all.size() / 4);
    // Every line chosen is a line of the whole table.
    for (const std::string& line : lines_of(some))
        CHECK(all.find(line + "\n") != std::string::npos);
}

TEST_CASE("a series pattern must name a series a run can have", "[experiment][csv]") {
    CHECK(model::series_pattern_ok("delivered"));
    CHECK(model::series_pattern_ok("fate.worm.*"));
    CHECK(model::series_pattern_ok("fate.ndr.expired"));
    CHECK(model::series_pattern_ok("queued_mean.mx.example"));
    CHECK(model::series_pattern_ok("queued_mean*"));
    CHECK(model::series_pattern_ok("backscatter.joe@victim.example"));
    CHECK(model::series_pattern_ok("*"));
    CHECK_FALSE(model::series_pattern_ok(""));
    CHECK_FALSE(model::series_pattern_ok("delivred"));
    CHECK_FALSE(model::series_pattern_ok("fate.*.rejected"));    // "*" only at the end
    CHECK_FALSE(model::series_pattern_ok("fate.legit.queued"));  // not an event
    CHECK_FALSE(model::series_pattern_ok("queued_mean."));       // no host
    CHECK(model::series_matches("fate.worm.*", "fate.worm.rejected"));
    CHECK_FALSE(model::series_matches("fate.worm.*", "fate.spam.rejected"));
    CHECK(model::series_chosen({}, "anything"));
}

TEST_CASE("a sweep named like a column or a metric is refused", "[experiment][csv]") {
    const auto with_sweep = [](const std::string& name) {
        return R"({"name": "t", "duration": "2h",
                   "hosts": [{"name": "mx.a.example", "mta": {"local_domains": ["a.example"]}}],
                   "domains": [{"name": "a.example", "mailboxes": ["u"],
                                "mx": [{"preference": 10, "host": "mx.a.example"}]}],
                   "sweeps": [{"name": ")" +
               name + R"(", "path": "/seed", "values": [1, 2]}]})";
    };
    CHECK_THROWS_WITH(format::parse_experiment(with_sweep("seed"), "t.json"),
                      Catch::Contains("a sweep name not used before and other than job"));
    const format::Experiment clash = format::parse_experiment(with_sweep("events"), "t.json");
    CHECK_THROWS_WITH(experiment::check_run_columns(clash),
                      Catch::Contains("\"events\" is also a metric"));
    CHECK_NOTHROW(
        experiment::check_run_columns(format::parse_experiment(with_sweep("s"), "t.json")));
}

TEST_CASE("a scenario's \"series\" is checked", "[experiment][csv]") {
    const std::string base =
        R"({"name": "t", "duration": "2h",
            "hosts": [{"name": "mx.a.example", "mta": {"local_domains": ["a.example"]}}],
            "domains": [{"name": "a.example", "mailboxes": ["u"],
                         "mx": [{"preference": 10, "host": "mx.a.example"}]}],
            "series": )";
    CHECK(format::parse_experiment(base + R"(["delivered", "fate.*"]})", "t.json").series ==
          std::vector<std::string>{"delivered", "fate.*"});
    CHECK_THROWS_WITH(format::parse_experiment(base + R"(["deliverd"]})", "t.json"),
                      Catch::Contains("/series/0: expected a series name"));
}

TEST_CASE("timeseries.csv prints values and bin starts as printf's %.17g and %.0f do",
          "[experiment][csv]") {
    // Whole numbers take a fast path; everything else printf's rules. The
    // expected text comes from snprintf itself.
    const format::Experiment ex = format::load_experiment_file(kSweep);
    const std::vector<double> values = {0.0,         -0.0,   1.0,       -7.0,
                                        123456789.0, 0.5,    1e15,      -1e15,
                                        1e17,        2.5e-7, 1.0 / 3.0, 999999999999999.0,
                                        -1e300,      4.0e15, 1e-320};
    model::RunResults run;
    run.bin_width = sim::kSecond / 2;  // bin starts 0, 0.5, 1, 1.5 ... seconds
    run.ndrs_generated_per_bin = values;
    const std::vector<std::string> lines =
        lines_of(experiment::timeseries_csv(ex, {run}, {0}, {"ndrs_generated"}));
    REQUIRE(lines.size() == values.size() + 1);
    for (std::size_t b = 0; b < values.size(); ++b) {
        char start[64], value[64];
        std::snprintf(start, sizeof start, "%.0f", 0.5 * static_cast<double>(b));
        std::snprintf(value, sizeof value, "%.17g", values[b]);
        const std::vector<std::string> f = fields_of(lines[b + 1]);
        INFO("bin " << b);
        CHECK(f.at(3) == start);
        CHECK(f.at(5) == value);
    }
}
