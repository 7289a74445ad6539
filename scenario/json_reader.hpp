// json_reader.hpp - strict JSON reading for the scenario loader: parsing and typed access.
// Offers parse_strict_json() (syntax errors with line and column, duplicate keys refused)
// and JsonValue, a value plus its JSON pointer path whose accessors check type and range.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace mxsim::format {

// Parses `text` as one JSON document. A syntax error, a number too large for a
// double, trailing content or a key repeated within one object throws
// ScenarioError naming `origin` and the line and column (or the key's path).
nlohmann::json parse_strict_json(std::string_view text, std::string_view origin);

// `text` with every invalid UTF-8 sequence replaced by U+FFFD, so that messages quoting
// parts of a broken input can be shown or written to JSON safely.
std::string valid_utf8(std::string_view text);

// "/hosts" + "a/b" -> "/hosts/a~1b" (RFC 6901 escaping).
std::string pointer_append(std::string_view path, std::string_view key);

// One value of a parsed document, with where it is. Every accessor throws
// ScenarioError "<origin>: <path>: expected <form>, got <value>" when the value
// does not fit. The document and the origin must outlive the JsonValue.
// The path is spelled out only when asked for (a message, path()): a value
// knows its container's path and its own key or index, and the containers'
// paths are shared, so reading 10^4 domains makes no string per element.
class JsonValue {
  public:
    JsonValue(const nlohmann::json& value, std::string_view origin, std::string path = {});

    const nlohmann::json& raw() const { return *value_; }
    // The JSON pointer of this value; "" is the document itself.
    std::string path() const { return *shared_path(); }

    // "<origin>: <path>: <text>", the path of the document being shown as "/".
    std::string message(std::string_view text) const;
    // The same for a key of this object that may be absent.
    std::string message_at(std::string_view key, std::string_view text) const;
    [[noreturn]] void fail(std::string_view text) const;
    // "expected <expected>, got <this value>", plus " (<note>)" when a note is given.
    [[noreturn]] void fail_expected(std::string_view expected, std::string_view note = {}) const;
    // The value as a message shows it: 17, "abc", true, null, an object, an array.
    std::string describe() const;

    // ---- Scalars ----
    std::string string() const;
    std::string non_empty_string() const;
    bool boolean() const;
    std::int64_t integer(std::int64_t min, std::int64_t max) const;
    std::uint64_t unsigned_integer() const;
    double positive_finite_number() const;

    // ---- Arrays ----
    std::vector<JsonValue> elements() const;

    // ---- Objects ----
    // Fails unless this is an object whose keys are all in `allowed`.
    void expect_object(std::span<const std::string_view> allowed) const;
    void expect_object() const;
    std::vector<std::string> keys() const;
    bool has(std::string_view key) const;
    std::optional<JsonValue> find(std::string_view key) const;
    // A key that must be present; `expected` describes its value for the message.
    JsonValue required(std::string_view key, std::string_view expected) const;

  private:
    using Path = std::shared_ptr<const std::string>;
    // A member of an object (`key` lives in the document) or an element of an array.
    JsonValue(const nlohmann::json& value, std::string_view origin, Path parent,
              std::string_view key, std::size_t index);
    // This value's path, made once and then shared with its children.
    const Path& shared_path() const;

    static constexpr std::size_t kNoIndex = SIZE_MAX;
    const nlohmann::json* value_;
    std::string_view origin_;
    Path parent_;                   // the container's path; null for a document's root
    std::string_view key_;          // the key in the container (an object's member)
    std::size_t index_ = kNoIndex;  // the index in the container (an array's element)
    mutable Path path_;             // made on demand
};

}  // namespace mxsim::format
