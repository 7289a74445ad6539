// test_support.hpp - small helpers several test files share.
// Offers read_file() (a file's bytes) and loader_error() (the loader's message
// for a scenario text, or "(no error)").
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "scenario/scenario_loader.hpp"

namespace mxsim::testing {

inline std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

inline std::string loader_error(const std::string& text) {
    try {
        format::parse_scenario(text, "t.json");
    } catch (const format::ScenarioError& e) {
        return e.what();
    }
    return "(no error)";
}

}  // namespace mxsim::testing
