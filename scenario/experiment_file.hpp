// experiment_file.hpp - a scenario file as an experiment: templates, variants, sweeps and
// replications, the part of the scenario format that describes comparisons. Offers
// load_experiment_file(): the baseline scenario and every variant x sweep point, each a
// validated model::Scenario, plus how many replications to run (experiment/ runs them).
// docs/scenario-format.md, "Comparisons", describes the keys.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/scenario.hpp"
#include "scenario/scenario_loader.hpp"
#include "scenario/work_estimate.hpp"

namespace mxsim::format {

struct Experiment {
    std::string content_hash;
    std::vector<std::string> warnings;
    std::vector<std::string> variants;      // [0] is "baseline": the scenario as written
    std::vector<std::string> sweep_points;  // {""} when there are no sweeps
    std::vector<std::string> sweep_names;   // each sweep's "name", in order
    // Point p's value of each sweep (a share for a "shares" sweep): [p][sweep].
    std::vector<std::vector<nlohmann::json>> sweep_values;
    int replications = 1;
    // The series timeseries.csv holds (names, or prefixes ending in "*"); empty: all.
    std::vector<std::string> series;
    std::vector<model::Scenario> scenarios;  // variant v at point p: [v * points + p]
    WorldCounts world;                       // the baseline's templates, counted

    const model::Scenario& at(std::size_t variant, std::size_t point) const {
        return scenarios.at(variant * sweep_points.size() + point);
    }
    const model::Scenario& baseline() const { return scenarios.front(); }
};

struct LoadOptions {
    // A file whose variants, sweep points and templates would not fit is refused
    // before they are expanded (check_expansion, work_estimate.hpp).
    MemoryBudget budget;
    // Called as each variant x sweep point is read: (done, total).
    std::function<void(std::size_t, std::size_t)> progress;
    // --set POINTER=VALUE changes, applied in order to the template-expanded
    // scenario before the variants (docs/scenario-format.md, "Comparisons").
    std::vector<std::string> sets;
};

Experiment load_experiment_file(const std::string& path, const LoadOptions& options = {});
Experiment parse_experiment(std::string_view json_text, std::string_view origin,
                            const LoadOptions& options = {});

// Entries of "hosts" and "domains" with a "count" stand for that many copies,
// with "{i}" in every string replaced by 0, 1, ... (exposed for tests).
nlohmann::json expand_templates(nlohmann::json doc, std::string_view origin);

}  // namespace mxsim::format
