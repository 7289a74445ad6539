// json_fast_parse_test.cpp - simdjson's reading against nlohmann's own parser (the
// oracle): the same document, value for value and type for type, and nothing
// taken that the strict parser would refuse.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "scenario/json_fast_parse.hpp"
#include "scenario/json_reader.hpp"
#include "scenario/scenario_loader.hpp"

using namespace mxsim;
using nlohmann::json;

namespace {

constexpr std::size_t kDepth = 64;

// Equal values of equal nlohmann types, all the way down (== alone takes 1 == 1u).
bool same(const json& a, const json& b) {
    if (a.type() != b.type()) return false;
    if (a.is_array()) {
        if (a.size() != b.size()) return false;
        for (std::size_t i = 0; i < a.size(); ++i)
            if (!same(a[i], b[i])) return false;
        return true;
    }
    if (a.is_object()) {
        if (a.size() != b.size()) return false;
        for (auto it = a.begin(); it != a.end(); ++it)
            if (!b.contains(it.key()) || !same(it.value(), b.at(it.key()))) return false;
        return true;
    }
    return a == b;
}

std::string nested(std::size_t levels) {
    return std::string(levels, '[') + std::string(levels, ']');
}

}  // namespace

TEST_CASE("a valid document reads as nlohmann's parser reads it", "[scenario][json]") {
    const std::vector<std::string> documents = {
        R"({"a": 1, "b": -2, "c": 2.5, "d": "x\u00e9\n", "e": [true, false, null], "f": {}})",
        R"([0, 18446744073709551615, 9223372036854775807, -9223372036854775808, 1e2, 1E-7])",
        R"({"nested": {"deeper": [{"k": [1, [2, [3]]]}]}, "empty": [], "s": ""})",
        R"("just a string")",
        "  \t\r\n 42 \n",
        R"({"unicode": "\ud83d\udce7 mail", "slash": "a\/b", "esc": "\"\\\b\f\t"})",
        R"([1.7976931348623157e308, 5e-324, 0.1, 123456789012345678])",
        nested(kDepth),
    };
    for (const std::string& text : documents) {
        INFO(text);
        const std::optional<json> fast = format::parse_json_fast(text, kDepth);
        REQUIRE(fast);
        CHECK(same(*fast, json::parse(text)));
    }
}

TEST_CASE("every shipped scenario reads as nlohmann's parser reads it", "[scenario][json]") {
    int read = 0;
    for (const auto& e :
         std::filesystem::directory_iterator(std::string(MXSIM_SOURCE_DIR) + "/scenarios")) {
        if (e.path().extension() != ".json") continue;
        const std::string text = format::read_scenario_text(e.path().string());
        INFO(e.path());
        const std::optional<json> fast = format::parse_json_fast(text, kDepth);
        REQUIRE(fast);
        CHECK(same(*fast, json::parse(text)));
        ++read;
    }
    CHECK(read >= 8);
}

TEST_CASE("what the strict parser refuses is left to it", "[scenario][json]") {
    const std::vector<std::string> refused = {
        R"({"a": 1, "a": 2})",           // a repeated key: the strict parser names it
        R"({"x": {"b": [], "b": {}}})",  // also deeper down
        R"({"a": 1,})",                  // trailing comma
        R"({"a": 1} {"b": 2})",          // trailing content
        "[1, 2",                         // cut off
        "[\"a\x01\"]",                   // a raw control character in a string
        "[\"\xff\"]",                    // not UTF-8
        "[1e400]",                       // too large for a double
        "[18446744073709551616]",        // an integer beyond 64 bits
        "[01]",                          // a leading zero
        "",                              // nothing
        nested(kDepth + 1),              // deeper than allowed
    };
    for (const std::string& text : refused) {
        INFO(text);
        CHECK_FALSE(format::parse_json_fast(text, kDepth));
    }
    // Through parse_strict_json the reason is still the strict parser's.
    CHECK_THROWS_WITH(format::parse_strict_json(R"({"x": {"b": [], "b": {}}})", "f.json"),
                      Catch::Contains("/x/b") && Catch::Contains("a second time"));
    CHECK_THROWS_WITH(format::parse_strict_json("{\n  \"a\": 1,\n}", "f.json"),
                      Catch::Contains("line 3"));
}
