// scenario_loader_fuzz.cpp - libFuzzer target for the scenario loader: any input must give
// a scenario or a ScenarioError. Any other exception escapes, so libFuzzer reports it, as it
// does crashes, leaks and undefined behaviour (the build adds ASan and UBSan).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <nlohmann/json.hpp>

#include "scenario/scenario_loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        const mxsim::format::LoadedScenario loaded =
            mxsim::format::parse_scenario(text, "fuzz.json");
        if (loaded.content_hash.size() != 16) __builtin_trap();
    } catch (const mxsim::format::ScenarioError& e) {
        // Every error names its origin first and is valid UTF-8 (dump() throws otherwise).
        if (std::string_view(e.what()).substr(0, 11) != "fuzz.json: ") __builtin_trap();
        (void)nlohmann::json(e.what()).dump();
    }
    return 0;
}
