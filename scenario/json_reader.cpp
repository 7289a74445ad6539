// json_reader.cpp - strict JSON parsing (a SAX builder that refuses duplicate keys and
// reports where a syntax error is) and JsonValue's checked, path-tracking accessors.
#include "scenario/json_reader.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "scenario/json_fast_parse.hpp"
#include "scenario/scenario_loader.hpp"

namespace mxsim::format {
namespace {

using Json = nlohmann::json;

// "line 3, column 7" for the byte a parser stopped at. nlohmann's position is
// the count of characters read, so the offending one is at position - 1.
std::string line_column(std::string_view text, std::size_t position) {
    const std::size_t at = std::min(position > 0 ? position - 1 : 0, text.size());
    const std::string_view before = text.substr(0, at);
    const std::size_t line =
        1 + static_cast<std::size_t>(std::count(before.begin(), before.end(), '\n'));
    const std::size_t line_start =
        before.rfind('\n') == std::string_view::npos ? 0 : before.rfind('\n') + 1;
    return "line " + std::to_string(line) + ", column " + std::to_string(at - line_start + 1);
}

constexpr std::size_t kShownTokenBytes = 40;
constexpr std::size_t kMaxJsonDepth = 64;

// nlohmann's what() without its "[json.exception...] parse error at line L, column C: "
// prefix, and with a long "last read: '...'" token cut to its end, where the error is.
std::string parser_detail(const std::string& what) {
    std::size_t start = what.find("parse error");
    start = start == std::string::npos ? what.find("] ") : what.find(": ", start);
    std::string detail = start == std::string::npos ? what : what.substr(start + 2);

    const std::string marker = "last read: '";
    const std::size_t marker_at = detail.find(marker);
    if (marker_at == std::string::npos) return detail;
    const std::size_t begin = marker_at + marker.size();
    std::size_t end = detail.rfind("'; expected");
    if (end == std::string::npos || end < begin) end = detail.size() - 1;
    if (end <= begin || end - begin <= kShownTokenBytes) return detail;
    return detail.substr(0, begin) + "..." + detail.substr(end - kShownTokenBytes);
}

// Builds the document like nlohmann's own DOM parser, but keeps the path of the
// value being read so that a repeated key can be reported (nlohmann would keep
// the last value silently), and records where a syntax error is.
class StrictBuilder final : public nlohmann::json_sax<Json> {
  public:
    Json document;
    std::string error;  // set when the parse stopped

    explicit StrictBuilder(std::string_view text) : text_(text) {}

    bool null() override { return put(Json(nullptr)); }
    bool boolean(bool v) override { return put(Json(v)); }
    bool number_integer(number_integer_t v) override { return put(Json(v)); }
    bool number_unsigned(number_unsigned_t v) override { return put(Json(v)); }
    bool number_float(number_float_t v, const string_t&) override { return put(Json(v)); }
    bool string(string_t& v) override { return put(Json(std::move(v))); }
    bool binary(binary_t&) override {
        error = "invalid JSON: binary values are not JSON";
        return false;
    }
    bool start_object(std::size_t) override { return open(Json::object()); }
    bool start_array(std::size_t) override { return open(Json::array()); }
    bool end_object() override { return close(); }
    bool end_array() override { return close(); }

    bool key(string_t& k) override {
        Frame& f = frames_.back();
        if (f.value->contains(k)) {
            error = path_of_key(k) + ": expected each key once per object, got \"" + k +
                    "\" a second time";
            return false;
        }
        f.key = k;
        return true;
    }

    bool parse_error(std::size_t position, const std::string&,
                     const nlohmann::detail::exception& e) override {
        error = line_column(text_, position) + ": invalid JSON: " + parser_detail(e.what());
        return false;
    }

  private:
    struct Frame {
        Json* value;
        std::string key;  // objects: the key being read (those seen are the object's own)
    };

    // Places a finished or newly opened value where the parser is.
    Json* place(Json&& v) {
        if (frames_.empty()) {
            document = std::move(v);
            return &document;
        }
        Json& parent = *frames_.back().value;
        if (parent.is_array()) {
            parent.push_back(std::move(v));
            return &parent.back();
        }
        return &(parent[frames_.back().key] = std::move(v));
    }
    bool put(Json&& v) {
        place(std::move(v));
        return true;
    }
    // Deeper documents are refused before they are built: copying or freeing
    // a tree is recursive, so tens of thousands of levels would overflow the
    // stack (issue 12). No scenario needs more than a dozen.
    bool open(Json&& container) {
        if (frames_.size() >= kMaxJsonDepth) {
            const std::string at = parents_path();
            error = (at.empty() ? "/" : at) + ": expected JSON nested at most " +
                    std::to_string(kMaxJsonDepth) + " levels deep, got deeper";
            return false;
        }
        frames_.push_back(Frame{place(std::move(container)), {}});
        return true;
    }
    bool close() {
        frames_.pop_back();
        return true;
    }

    // The JSON pointer of the innermost container being read.
    std::string parents_path() const {
        std::string path;
        for (std::size_t i = 0; i + 1 < frames_.size(); ++i) {
            const Frame& f = frames_[i];
            if (f.value->is_array())
                path += "/" + std::to_string(f.value->size() - 1);
            else
                path += pointer_append("", f.key);
        }
        return path;
    }
    // The JSON pointer of key `k` in the innermost object being read.
    std::string path_of_key(const std::string& k) const {
        return parents_path() + pointer_append("", k);
    }

    std::string_view text_;
    std::vector<Frame> frames_;
};

constexpr std::size_t kShownStringBytes = 60;

// At most kShownStringBytes of s, cut at a UTF-8 character boundary, "..." marking a cut.
std::string shortened(const std::string& s) {
    if (s.size() <= kShownStringBytes) return s;
    std::size_t cut = kShownStringBytes;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80)
        --cut;
    return s.substr(0, cut) + "...";
}

}  // namespace

std::string valid_utf8(std::string_view text) {
    const std::string quoted =
        Json(std::string(text)).dump(-1, ' ', false, Json::error_handler_t::replace);
    return Json::parse(quoted).get<std::string>();
}

nlohmann::json parse_strict_json(std::string_view text, std::string_view origin) {
    // A valid document is read by simdjson; anything else by the SAX parser,
    // whose messages say where and what.
    if (std::optional<Json> fast = parse_json_fast(text, kMaxJsonDepth)) return std::move(*fast);
    StrictBuilder builder(text);
    const bool ok = Json::sax_parse(text.begin(), text.end(), &builder);
    if (!ok || !builder.error.empty()) {
        const std::string why = builder.error.empty() ? "invalid JSON" : builder.error;
        throw ScenarioError(valid_utf8(std::string(origin) + ": " + why));
    }
    return std::move(builder.document);
}

std::string pointer_append(std::string_view path, std::string_view key) {
    std::string out(path);
    out += '/';
    for (const char c : key) {
        if (c == '~')
            out += "~0";
        else if (c == '/')
            out += "~1";
        else
            out += c;
    }
    return out;
}

// ---- JsonValue: messages ----

JsonValue::JsonValue(const Json& value, std::string_view origin, std::string path)
    : value_(&value),
      origin_(origin),
      path_(std::make_shared<const std::string>(std::move(path))) {}

JsonValue::JsonValue(const Json& value, std::string_view origin, Path parent, std::string_view key,
                     std::size_t index)
    : value_(&value), origin_(origin), parent_(std::move(parent)), key_(key), index_(index) {}

const JsonValue::Path& JsonValue::shared_path() const {
    if (!path_)
        path_ = std::make_shared<const std::string>(index_ == kNoIndex
                                                        ? pointer_append(*parent_, key_)
                                                        : *parent_ + "/" + std::to_string(index_));
    return path_;
}

std::string JsonValue::message(std::string_view text) const {
    const std::string& path = *shared_path();
    return valid_utf8(std::string(origin_) + ": " + (path.empty() ? "/" : path) + ": " +
                      std::string(text));
}

std::string JsonValue::message_at(std::string_view key, std::string_view text) const {
    return valid_utf8(std::string(origin_) + ": " + pointer_append(*shared_path(), key) + ": " +
                      std::string(text));
}

void JsonValue::fail(std::string_view text) const {
    throw ScenarioError(message(text));
}

void JsonValue::fail_expected(std::string_view expected, std::string_view note) const {
    std::string text = "expected " + std::string(expected) + ", got " + describe();
    if (!note.empty()) text += " (" + std::string(note) + ")";
    fail(text);
}

std::string JsonValue::describe() const {
    switch (value_->type()) {
        case Json::value_t::object:
            return value_->empty() ? "an empty object" : "an object";
        case Json::value_t::array:
            return value_->empty() ? "an empty array" : "an array";
        case Json::value_t::string:
            return Json(shortened(value_->get_ref<const std::string&>()))
                .dump(-1, ' ', false, Json::error_handler_t::replace);
        default:
            return value_->dump(-1, ' ', false, Json::error_handler_t::replace);
    }
}

// ---- JsonValue: scalars ----

std::string JsonValue::string() const {
    if (!value_->is_string()) fail_expected("a string");
    return value_->get<std::string>();
}

std::string JsonValue::non_empty_string() const {
    if (!value_->is_string() || value_->get_ref<const std::string&>().empty())
        fail_expected("a non-empty string");
    return value_->get<std::string>();
}

bool JsonValue::boolean() const {
    if (!value_->is_boolean()) fail_expected("true or false");
    return value_->get<bool>();
}

std::int64_t JsonValue::integer(std::int64_t min, std::int64_t max) const {
    const auto fail_range = [&] {
        if (max == std::numeric_limits<std::int64_t>::max())
            fail_expected("an integer >= " + std::to_string(min));
        fail_expected("an integer from " + std::to_string(min) + " to " + std::to_string(max));
    };
    if (!value_->is_number_integer()) fail_range();
    if (value_->is_number_unsigned() &&
        value_->get<std::uint64_t>() > static_cast<std::uint64_t>(max))
        fail_range();
    const auto v = value_->get<std::int64_t>();
    if (v < min || v > max) fail_range();
    return v;
}

std::uint64_t JsonValue::unsigned_integer() const {
    if (value_->is_number_unsigned()) return value_->get<std::uint64_t>();
    // A signed integer that is not negative (-0 in a file; any from a program-built document).
    if (value_->is_number_integer() && value_->get<std::int64_t>() >= 0)
        return static_cast<std::uint64_t>(value_->get<std::int64_t>());
    fail_expected("a non-negative integer");
}

double JsonValue::positive_finite_number() const {
    if (!value_->is_number()) fail_expected("a number > 0");
    const auto v = value_->get<double>();
    if (!std::isfinite(v) || v <= 0) fail_expected("a number > 0");
    return v;
}

// ---- JsonValue: arrays and objects ----

std::vector<JsonValue> JsonValue::elements() const {
    if (!value_->is_array()) fail_expected("an array");
    std::vector<JsonValue> out;
    out.reserve(value_->size());
    const Path& path = shared_path();
    for (std::size_t i = 0; i < value_->size(); ++i)
        out.push_back(JsonValue((*value_)[i], origin_, path, {}, i));
    return out;
}

void JsonValue::expect_object() const {
    if (!value_->is_object()) fail_expected("an object");
}

void JsonValue::expect_object(std::span<const std::string_view> allowed) const {
    expect_object();
    for (const auto& item : value_->items()) {
        if (std::find(allowed.begin(), allowed.end(), item.key()) != allowed.end()) continue;
        std::string list;
        for (const std::string_view a : allowed)
            list += (list.empty() ? "" : ", ") + std::string(a);
        throw ScenarioError(
            message_at(item.key(), "expected one of the keys " + list + ", got an unknown key"));
    }
}

std::vector<std::string> JsonValue::keys() const {
    expect_object();
    std::vector<std::string> out;
    for (const auto& item : value_->items())
        out.push_back(item.key());
    return out;
}

bool JsonValue::has(std::string_view key) const {
    return value_->is_object() && value_->contains(key);
}

std::optional<JsonValue> JsonValue::find(std::string_view key) const {
    expect_object();
    const auto it = value_->find(key);
    if (it == value_->end()) return std::nullopt;
    return JsonValue(*it, origin_, shared_path(), it.key(), kNoIndex);
}

JsonValue JsonValue::required(std::string_view key, std::string_view expected) const {
    if (auto v = find(key)) return *v;
    throw ScenarioError(message_at(
        key, "expected " + std::string(expected) + ", got nothing (the key is required)"));
}

}  // namespace mxsim::format
