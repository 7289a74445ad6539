// json_fast_parse.cpp - simdjson's DOM copied into nlohmann's, refusing what the
// strict parser would refuse (repeated keys, deep nesting) so that it can say why.
#include "scenario/json_fast_parse.hpp"

#include <cstdint>

#include <simdjson.h>

namespace mxsim::format {
namespace {

using Json = nlohmann::json;
using simdjson::dom::element;
using simdjson::dom::element_type;

// Copies `e` into `out`; false at a repeated key or a container deeper than `max_depth`.
bool copy(element e, Json& out, std::size_t depth, std::size_t max_depth) {
    switch (e.type()) {
        case element_type::ARRAY: {
            if (depth >= max_depth) return false;
            out = Json::array();
            auto& array = out.get_ref<Json::array_t&>();
            // Copied out of the result first: value_unsafe() of a temporary would dangle.
            const simdjson::dom::array children = e.get_array().value_unsafe();
            for (const element child : children) {
                array.emplace_back();
                if (!copy(child, array.back(), depth + 1, max_depth)) return false;
            }
            return true;
        }
        case element_type::OBJECT: {
            if (depth >= max_depth) return false;
            out = Json::object();
            auto& object = out.get_ref<Json::object_t&>();
            const simdjson::dom::object fields = e.get_object().value_unsafe();
            for (const auto field : fields) {
                const auto [at, fresh] = object.try_emplace(std::string(field.key));
                if (!fresh || !copy(field.value, at->second, depth + 1, max_depth)) return false;
            }
            return true;
        }
        case element_type::INT64: {
            // nlohmann reads an integer without a sign as unsigned.
            const std::int64_t v = e.get_int64().value_unsafe();
            out = v >= 0 ? Json(static_cast<std::uint64_t>(v)) : Json(v);
            return true;
        }
        case element_type::UINT64:
            out = e.get_uint64().value_unsafe();
            return true;
        case element_type::DOUBLE:
            out = e.get_double().value_unsafe();
            return true;
        case element_type::STRING:
            out = std::string(e.get_string().value_unsafe());
            return true;
        case element_type::BOOL:
            out = e.get_bool().value_unsafe();
            return true;
        case element_type::NULL_VALUE:
            out = nullptr;
            return true;
    }
    return false;
}

}  // namespace

std::optional<Json> parse_json_fast(std::string_view text, std::size_t max_depth) {
    if (text.size() > kMaxFastJsonBytes) return std::nullopt;
    simdjson::dom::parser parser;
    element root;
    if (parser.parse(text.data(), text.size()).get(root) != simdjson::SUCCESS) return std::nullopt;
    Json out;
    if (!copy(root, out, 0, max_depth)) return std::nullopt;
    return out;
}

}  // namespace mxsim::format
