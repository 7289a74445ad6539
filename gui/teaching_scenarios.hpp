// teaching_scenarios.hpp - the scenarios bundled with mxsim, for the app's list, and
// where its documentation is. Offers bundled_scenario_dir(), bundled_docs_dir() and
// list_teaching_scenarios(): each file's name, question and description, read without
// running anything.
#pragma once

#include <string>
#include <vector>

namespace mxsim::gui {

struct TeachingScenario {
    std::string path;
    std::string name;
    std::string question;
    std::string description;
};

// $MXSIM_SCENARIOS if set, else PREFIX/share/mxsim/scenarios beside an installed
// PREFIX/bin/mxsim-gui, else the source tree's scenarios/ (set at build time).
std::string bundled_scenario_dir();
// PREFIX/share/doc/mxsim beside an installed PREFIX/bin/mxsim-gui, else the source
// tree's docs/ (set at build time): the folder that holds gui.md.
std::string bundled_docs_dir();
// Every *.json in `dir` that parses as an object with a "name", sorted by file
// name; files that do not are skipped (they are reported when opened).
std::vector<TeachingScenario> list_teaching_scenarios(const std::string& dir);

}  // namespace mxsim::gui
