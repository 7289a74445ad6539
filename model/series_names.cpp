// series_names.cpp - the series names a run can have, and patterns over them.
#include "model/series_names.hpp"

#include <algorithm>

#include "model/message.hpp"

namespace mxsim::model {

std::vector<std::string> fixed_series_names() {
    std::vector<std::string> names{"ndrs_generated", "backscatter_delivered", "delivered",
                                   "queued_mean"};
    for (const std::string_view o : kOriginNames)
        names.push_back("created." + std::string(o));
    for (const std::string_view o : kOriginNames)
        for (std::size_t f = 1; f < kFateCount; ++f)  // as RunSeries::finish: no "queued"
            names.push_back("fate." + std::string(o) + "." + std::string(kFateNames[f]));
    for (const char* n : {"legit_delay_mean_s", "smtp_connections", "smtp_bytes"})
        names.emplace_back(n);
    return names;
}

bool series_matches(std::string_view pattern, std::string_view name) {
    if (!pattern.empty() && pattern.back() == '*')
        return name.substr(0, pattern.size() - 1) == pattern.substr(0, pattern.size() - 1);
    return name == pattern;
}

bool series_chosen(const std::vector<std::string>& patterns, std::string_view name) {
    return patterns.empty() ||
           std::any_of(patterns.begin(), patterns.end(),
                       [&](const std::string& p) { return series_matches(p, name); });
}

bool series_pattern_ok(std::string_view pattern) {
    const std::size_t star = pattern.find('*');
    if (pattern.empty() || (star != std::string_view::npos && star + 1 != pattern.size()))
        return false;
    const std::string_view stem =
        star == std::string_view::npos ? pattern : pattern.substr(0, star);
    for (const std::string_view family : kSeriesFamilies) {
        // A member ("queued_mean.mx.example"), or a prefix of the family's name.
        if (stem.size() > family.size() && stem.substr(0, family.size()) == family) return true;
        if (star != std::string_view::npos && family.substr(0, stem.size()) == stem) return true;
    }
    const std::vector<std::string> names = fixed_series_names();
    return std::any_of(names.begin(), names.end(),
                       [&](const std::string& n) { return series_matches(pattern, n); });
}

}  // namespace mxsim::model
