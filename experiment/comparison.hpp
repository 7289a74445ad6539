// comparison.hpp - what an experiment's runs say, metric by metric and variant by variant.
// Offers run_metrics() (one run as named numbers), compare() (mean and 95% interval per
// variant and sweep point, and the paired difference to the baseline), and its JSON
// and console forms.
#pragma once

#include <array>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/run_results.hpp"
#include "scenario/experiment_file.hpp"
#include "sim/replication_summary.hpp"

namespace mxsim::experiment {

// The fates that count as legitimate mail lost (the "legit.lost" metric).
inline constexpr std::array<model::Fate, 4> kLegitLostFates{
    model::Fate::Bounced, model::Fate::Rejected, model::Fate::Expired, model::Fate::Dropped};

// The scalar metrics of one run, always in the same order.
std::vector<std::pair<std::string, double>> run_metrics(const model::RunResults& r);

struct Cell {
    sim::Summary summary;
    std::optional<sim::Summary> vs_baseline;  // paired difference; not for the baseline itself
};

struct Comparison {
    std::vector<std::string> metrics;
    std::vector<Cell> cells;  // [(variant * points + point) * metrics + metric]
    std::size_t points = 1;
    const Cell& at(std::size_t v, std::size_t p, std::size_t m) const {
        return cells.at((v * points + p) * metrics.size() + m);
    }
};

// `runs` holds every job: [(variant * points + point) * replications + replication].
// Replication r of every variant used the same random streams (common random
// numbers), so the differences are paired replication by replication.
Comparison compare(const format::Experiment& ex, const std::vector<model::RunResults>& runs);

nlohmann::ordered_json comparison_json(const format::Experiment& ex, const Comparison& c);
void print_comparison(const format::Experiment& ex, const Comparison& c, std::ostream& out);

}  // namespace mxsim::experiment
