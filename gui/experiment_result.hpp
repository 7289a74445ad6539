// experiment_result.hpp - everything one finished run of an experiment produced,
// held together for the charts, the teaching view and the exports.
// Offers ExperimentResult (plain data) and make_result(), which adds the comparison.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "experiment/comparison.hpp"
#include "experiment/results_writer.hpp"
#include "model/run_results.hpp"
#include "scenario/experiment_file.hpp"

namespace mxsim::gui {

struct ExperimentResult {
    format::Experiment experiment;
    std::vector<model::RunResults> runs;  // [(variant * points + point) * replications + rep]
    experiment::Comparison comparison;
    experiment::RunMetadata meta;
    experiment::RunTiming timing;
    // Each variant's place among the scenario file's variants (0: the baseline), which
    // picks its colour; empty when every variant ran (then the place is the index).
    std::vector<std::size_t> variant_slots;
    // ScenarioDocument::fingerprint() of what was run: the results match the editor
    // while its fingerprint is this one.
    std::string fingerprint;

    std::size_t slot(std::size_t variant) const {
        return variant < variant_slots.size() ? variant_slots[variant] : variant;
    }
    std::size_t replications() const { return static_cast<std::size_t>(experiment.replications); }
    std::size_t points() const { return experiment.sweep_points.size(); }
    const model::RunResults& run(std::size_t variant, std::size_t point, std::size_t rep) const {
        return runs.at((variant * points() + point) * replications() + rep);
    }
};

inline ExperimentResult make_result(format::Experiment ex, std::vector<model::RunResults> runs,
                                    experiment::RunMetadata meta, experiment::RunTiming timing) {
    ExperimentResult r{std::move(ex), std::move(runs), {}, std::move(meta), timing, {}, {}};
    r.comparison = experiment::compare(r.experiment, r.runs);
    return r;
}

}  // namespace mxsim::gui
