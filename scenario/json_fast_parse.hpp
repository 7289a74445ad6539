// json_fast_parse.hpp - a valid JSON document read by simdjson (Debian's libsimdjson-dev)
// into the nlohmann DOM the strict parser builds, at a fraction of its cost.
// Offers parse_json_fast(): the document, or nullopt for anything it does not take as it
// is (a syntax error, a repeated key, deep nesting, a big text), which the strict parser
// then reads and reports with line and column.
#pragma once

#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

namespace mxsim::format {

// Texts above this go to the strict parser: simdjson's tape can take several
// times the text's size, and no hand-written scenario comes near it.
inline constexpr std::size_t kMaxFastJsonBytes = std::size_t{32} << 20;

// The document `text` holds, as nlohmann::json::parse() would read it (integers
// without a sign as unsigned, with one as signed, "-0" as 0), or nullopt when the
// text is not valid JSON, repeats a key within an object, nests more than
// `max_depth` containers or is longer than kMaxFastJsonBytes.
std::optional<nlohmann::json> parse_json_fast(std::string_view text, std::size_t max_depth);

}  // namespace mxsim::format
