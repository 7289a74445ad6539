// result_match.cpp - the results' fingerprint against the editor's, and the banner's words.
#include "gui/result_match.hpp"

#include <filesystem>

namespace mxsim::gui {
namespace {

// "mailbox-rate-limit (mailbox-rate-limit.json)"
std::string named(const std::string& name, const std::string& path) {
    const std::string file = std::filesystem::path(path).filename().string();
    if (name.empty()) return file;
    return file.empty() ? name : name + " (" + file + ")";
}

std::string editor_name(const ScenarioDocument& editor) {
    const nlohmann::ordered_json name = editor.value("/name");
    return name.is_string() ? name.get<std::string>() : std::string();
}

}  // namespace

std::string stale_reason(const ExperimentResult& shown, const ScenarioDocument& editor,
                         const Validation& validation) {
    if (editor.fingerprint() == shown.fingerprint) return "";
    const std::string results = named(shown.experiment.baseline().name, shown.meta.scenario_file);
    if (editor.path() != shown.meta.scenario_file ||
        editor_name(editor) != shown.experiment.baseline().name)
        return "These results are of " + results + ", not of " +
               named(editor_name(editor), editor.path()) +
               " in the editor: press Run to see its own.";
    if (!validation.experiment)
        return "These results are from the previous settings of " + results +
               ": the scenario in the editor has an error now.";
    return "These results are from the previous settings of " + results +
           ": the scenario was changed in the editor since. Press Run to update them.";
}

}  // namespace mxsim::gui
