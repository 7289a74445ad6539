// memory_budget.cpp - reading this machine's memory limits (sysconf, getrlimit and
// cgroup v2's memory.max) and parsing --max-memory sizes.
#include "experiment/memory_budget.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <cctype>
#include <cmath>
#include <fstream>
#include <string>
#include <utility>

namespace mxsim::experiment {
namespace {

std::optional<std::uint64_t> cgroup_limit() {
    std::ifstream in("/sys/fs/cgroup/memory.max");
    std::string text;
    if (!(in >> text) || text == "max") return std::nullopt;
    return parse_memory_size(text);
}

std::optional<std::uint64_t> rlimit_of(int resource) {
    rlimit r{};
    if (getrlimit(resource, &r) != 0 || r.rlim_cur == RLIM_INFINITY) return std::nullopt;
    return static_cast<std::uint64_t>(r.rlim_cur);
}

}  // namespace

format::MemoryBudget machine_memory_budget() {
    std::pair<std::uint64_t, const char*> least{0, ""};
    const auto consider = [&](std::optional<std::uint64_t> bytes, const char* what) {
        if (bytes && *bytes > 0 && (least.first == 0 || *bytes < least.first))
            least = {*bytes, what};
    };
    const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
    if (pages > 0 && page > 0)
        consider(static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page),
                 "physical memory");
    consider(rlimit_of(RLIMIT_AS), "ulimit -v");
    consider(rlimit_of(RLIMIT_DATA), "ulimit -d");
    consider(cgroup_limit(), "the cgroup's memory.max");
    if (least.first == 0) return {};
    return {least.first, "this machine's limit of " + format::format_bytes(least.first) + " (" +
                             least.second + ", or set --max-memory)"};
}

std::optional<std::uint64_t> parse_memory_size(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.'))
        ++i;
    if (i == 0) return std::nullopt;
    double value = 0;
    try {
        std::size_t used = 0;
        value = std::stod(std::string(text.substr(0, i)), &used);
        if (used != i) return std::nullopt;
    } catch (const std::exception&) {
        return std::nullopt;
    }
    std::string_view unit = text.substr(i);
    double scale = 1;
    if (!unit.empty()) {
        const char u = static_cast<char>(std::toupper(static_cast<unsigned char>(unit[0])));
        const std::string_view units = "KMGT";
        const std::size_t power = units.find(u);
        if (power != std::string_view::npos) {
            scale = std::pow(1024.0, static_cast<double>(power + 1));
            unit.remove_prefix(1);
            if (unit == "iB" || unit == "ib") unit = {};
        }
        if (unit == "B" || unit == "b") unit = {};
        if (!unit.empty()) return std::nullopt;
    }
    const double bytes = value * scale;
    if (!(bytes >= 1) || bytes >= 1.8e19) return std::nullopt;
    return static_cast<std::uint64_t>(bytes);
}

}  // namespace mxsim::experiment
