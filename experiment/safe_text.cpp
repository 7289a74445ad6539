// safe_text.cpp - safe path components and printable text.
#include "experiment/safe_text.hpp"

#include <algorithm>
#include <cstdio>

namespace mxsim::experiment {

std::string path_component(std::string_view name) {
    constexpr std::size_t kMaxBytes = 100;
    std::string out;
    for (const char c : name.substr(0, kMaxBytes)) {
        const auto u = static_cast<unsigned char>(c);
        const bool keep = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') ||
                          (u >= '0' && u <= '9') || c == '.' || c == '-' || c == '_';
        out += keep ? c : '_';
    }
    if (std::all_of(out.begin(), out.end(), [](char c) { return c == '.'; })) out = "_" + out;
    return out;
}

std::string printable(std::string_view text) {
    std::string out;
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '\n') {
            out += "\\n";
        } else if (c == '\t') {
            out += "\\t";
        } else if (u < 0x20 || u == 0x7f) {
            char buf[5];
            std::snprintf(buf, sizeof buf, "\\x%02x", u);
            out += buf;
        } else {
            out += c;
        }
    }
    return out;
}

}  // namespace mxsim::experiment
