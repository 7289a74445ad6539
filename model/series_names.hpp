// series_names.hpp - the names a run's time series can have, for choosing some of
// them (`mxsim run --series`, the scenario's "series"). Offers series_pattern_ok(),
// series_matches() and series_chosen(): a name, or a prefix ending in "*" ("fate.worm.*").
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mxsim::model {

// The names every run has (timeseries.csv's fixed four, then RunSeries::finish's).
std::vector<std::string> fixed_series_names();
// Families named per host or victim: "queued_mean." + host, and so on.
inline constexpr std::string_view kSeriesFamilies[] = {"queued_mean.", "ndrs_generated.",
                                                       "backscatter."};

// Whether `pattern` can match a series of some run: a fixed name, a family's
// member, or a prefix with one "*" at its end that starts some name.
bool series_pattern_ok(std::string_view pattern);
// Whether `name` is chosen by `pattern`.
bool series_matches(std::string_view pattern, std::string_view name);
// Whether `name` is chosen by any of `patterns`; every name when there are none.
bool series_chosen(const std::vector<std::string>& patterns, std::string_view name);

}  // namespace mxsim::model
