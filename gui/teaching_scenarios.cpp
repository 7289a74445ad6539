// teaching_scenarios.cpp - reads the name, question and description of bundled scenarios.
#include "gui/teaching_scenarios.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace mxsim::gui {

namespace {

// Installed (cmake --install, the .deb): PREFIX/bin/mxsim-gui beside PREFIX/`under`;
// else `source`, the source tree the build came from.
std::string installed_or(const char* under, const char* source) {
    std::error_code ec;
    const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    const std::filesystem::path installed = exe.parent_path().parent_path() / under;
    if (!ec && std::filesystem::is_directory(installed, ec)) return installed.string();
    return source;
}

}  // namespace

std::string bundled_scenario_dir() {
    if (const char* env = std::getenv("MXSIM_SCENARIOS"); env && *env) return env;
    return installed_or("share/mxsim/scenarios", MXSIM_SCENARIO_DIR);
}

std::string bundled_docs_dir() {
    return installed_or("share/doc/mxsim", MXSIM_DOC_DIR);
}

std::vector<TeachingScenario> list_teaching_scenarios(const std::string& dir) {
    std::vector<TeachingScenario> out;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
        if (entry.path().extension() != ".json") continue;
        std::ifstream in(entry.path());
        std::stringstream text;
        text << in.rdbuf();
        const nlohmann::json doc = nlohmann::json::parse(text.str(), nullptr, false);
        if (!doc.is_object() || !doc.contains("name") || !doc["name"].is_string()) continue;
        const auto text_of = [&doc](const char* key) {
            return doc.contains(key) && doc[key].is_string() ? doc[key].get<std::string>() : "";
        };
        out.push_back(
            {entry.path().string(), text_of("name"), text_of("question"), text_of("description")});
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
    return out;
}

}  // namespace mxsim::gui
