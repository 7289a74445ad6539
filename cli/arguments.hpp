// arguments.hpp - command-line values, checked: every bad value is an error
// naming the option and what was expected. Offers parse_whole_number(), for
// mxsim-bench's options (the mxsim commands read theirs with CLI11:
// cli/command_line.hpp).
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace mxsim::cli {

// A whole decimal number from 0 to `max`; throws std::invalid_argument
// "<option>: expected a whole number, got '<text>'" otherwise.
inline std::uint64_t parse_whole_number(std::string_view option, std::string_view text,
                                        std::uint64_t max = UINT64_MAX) {
    if (text.empty()) throw std::invalid_argument(std::string(option) + ": missing value");
    std::uint64_t v = 0;
    for (const char c : text) {
        const auto digit = static_cast<std::uint64_t>(c - '0');
        if (c < '0' || c > '9' || v > (max - digit) / 10)
            throw std::invalid_argument(std::string(option) + ": expected a whole number, got '" +
                                        std::string(text) + "'");
        v = v * 10 + digit;
    }
    return v;
}

}  // namespace mxsim::cli
