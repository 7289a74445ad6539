// experiment_result.hpp - everything one finished run of an experiment produced,
// held together for the charts, the teaching view and the exports.
// Offers ExperimentResult (plain data) and make_result(), which adds the comparison.
#pragma once

#include <cstdint>
#include <vector>

#include "cli/comparison.hpp"
#include "cli/experiment.hpp"
#include "cli/results_writer.hpp"
#include "model/run_results.hpp"

namespace mxsim::gui {

struct ExperimentResult {
    cli::Experiment experiment;
    std::vector<model::RunResults> runs;  // [(variant * points + point) * replications + rep]
    cli::Comparison comparison;
    cli::RunMetadata meta;
    cli::RunTiming timing;

    std::size_t replications() const { return static_cast<std::size_t>(experiment.replications); }
    std::size_t points() const { return experiment.sweep_points.size(); }
    const model::RunResults& run(std::size_t variant, std::size_t point, std::size_t rep) const {
        return runs.at((variant * points() + point) * replications() + rep);
    }
};

inline ExperimentResult make_result(cli::Experiment ex, std::vector<model::RunResults> runs,
                                    cli::RunMetadata meta, cli::RunTiming timing) {
    ExperimentResult r{std::move(ex), std::move(runs), {}, std::move(meta), timing};
    r.comparison = cli::compare(r.experiment, r.runs);
    return r;
}

}  // namespace mxsim::gui
