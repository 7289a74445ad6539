// simulation_fuzz.cpp - libFuzzer target for the simulation itself: any scenario the
// loader accepts (within a 64 MiB estimate, at most 4 variants x sweep points) is built
// and run for about 10,000 events per job; a crash, a sanitizer report, an unbalanced book or any
// exception but the loader's ScenarioError is a finding.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz/fuzz_checks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto ex = mxsim::fuzz::load_checked({reinterpret_cast<const char*>(data), size},
                                              std::uint64_t{64} << 20);
    if (ex && ex->scenarios.size() <= 4) (void)mxsim::fuzz::simulate_bounded(*ex, 10'000);
    return 0;
}
