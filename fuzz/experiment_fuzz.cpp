// experiment_fuzz.cpp - libFuzzer target for the whole scenario format: templates,
// variants, sweeps and every resulting scenario, under a 512 MiB budget (a file asking
// for more must be refused with its numbers, not run out of memory).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz/fuzz_checks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    (void)mxsim::fuzz::load_checked({reinterpret_cast<const char*>(data), size},
                                    std::uint64_t{512} << 20);
    return 0;
}
