// backscatter_graph.hpp - who sent NDRs to whom, as Graphviz graphs: one per
// variant (and sweep point), summed over its replications, with the MTAs that
// wrote NDRs and the domains they went to drawn apart and each edge weighted by
// its NDRs. Offers backscatter_dot(), backscatter_graphs() and render_svg().
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/run_results.hpp"
#include "scenario/experiment_file.hpp"

namespace mxsim::experiment {

// The NDR flows of `runs` (indices into `all`) added up, as DOT; `title` is the
// graph's label.
std::string backscatter_dot(const std::vector<model::RunResults>& all,
                            const std::vector<std::size_t>& runs, const std::string& title);

// One graph per variant x sweep point over its replications among `jobs`:
// "backscatter.dot" for the baseline at the first point, then
// "backscatter-VARIANT[-POINT].dot" (names made safe path components).
std::vector<std::pair<std::string, std::string>> backscatter_graphs(
    const format::Experiment& ex, const std::vector<model::RunResults>& runs,
    const std::vector<std::size_t>& jobs);

// Graphs with more edges than this are not drawn (Graphviz would take minutes).
inline constexpr std::size_t kMaxEdgesDrawn = 500;

// `dot` as SVG by Graphviz's dot(1) from PATH; nullopt when there is no dot or
// the graph is larger than kMaxEdgesDrawn edges. Throws std::runtime_error when
// dot runs and fails.
std::optional<std::string> render_svg(const std::string& dot);

}  // namespace mxsim::experiment
