// result_match.hpp - whether the results on screen are those of the scenario in the
// editor, and if not, how to say so. Offers stale_reason(): "" when they match, else the
// sentence of the banner over the charts (and of the exports' warning).
#pragma once

#include <string>

#include "gui/experiment_result.hpp"
#include "gui/scenario_document.hpp"

namespace mxsim::gui {

// The results match while the editor would run the same experiment (equal
// ScenarioDocument::fingerprint(): same values, same variants chosen), whatever the
// file is called. Otherwise: another scenario was opened, or this one was edited (or
// now has an error) since the run.
std::string stale_reason(const ExperimentResult& shown, const ScenarioDocument& editor,
                         const Validation& validation);

}  // namespace mxsim::gui
