// mailbox_pattern_test.cpp - a domain's {"count", "pattern"} mailboxes: the same
// mailboxes as the list written out, made once and shared, checked like a list,
// and left alone by a template's {i}.
#include <catch2/catch.hpp>

#include <string>

#include <nlohmann/json.hpp>

#include "scenario/experiment_file.hpp"
#include "scenario/scenario_loader.hpp"
#include "tests/test_support.hpp"

using namespace mxsim;
using nlohmann::json;

namespace {

json document(const json& domains) {
    return {
        {"name", "t"}, {"hosts", json::array({{{"name", "mx.a.example"}}})}, {"domains", domains}};
}

format::LoadedScenario load(const json& domains) {
    return format::parse_scenario(document(domains).dump(), "t.json");
}

std::string error_of(const json& domains) {
    return mxsim::testing::loader_error(document(domains).dump());
}

}  // namespace

TEST_CASE("count and pattern stand for the mailboxes written out", "[loader][mailboxes]") {
    const auto s = load(json::array(
        {{{"name", "a.example"}, {"mailboxes", {{"count", 3}, {"pattern", "user.{i}"}}}},
         {{"name", "b.example"}, {"mailboxes", {{"count", 3}, {"pattern", "user.{i}"}}}},
         {{"name", "c.example"}, {"mailboxes", {"user.0", "user.1", "user.2"}}}}));
    const auto& d = s.scenario.domains;
    REQUIRE(d.size() == 3);
    CHECK(d[0].mailboxes == std::vector<std::string>{"user.0", "user.1", "user.2"});
    CHECK(d[2].mailboxes == std::vector<std::string>{"user.0", "user.1", "user.2"});
    // Made once: the two pattern domains share one list; the written-out one does not.
    CHECK(d[0].mailboxes.identity() == d[1].mailboxes.identity());
    CHECK(d[0].mailboxes.identity() != d[2].mailboxes.identity());
}

TEST_CASE("bad mailbox patterns are errors that name where and why", "[loader][mailboxes]") {
    const auto domain = [](const json& mailboxes) {
        return json::array({{{"name", "a.example"}, {"mailboxes", mailboxes}}});
    };
    CHECK_THAT(error_of(domain({{"count", 3}, {"pattern", "user"}})),
               Catch::Contains("/domains/0/mailboxes/pattern") && Catch::Contains("{i} once"));
    CHECK_THAT(error_of(domain({{"count", 3}, {"pattern", "{i}{i}"}})),
               Catch::Contains("{i} once"));
    CHECK_THAT(error_of(domain({{"count", 0}, {"pattern", "u{i}"}})),
               Catch::Contains("/domains/0/mailboxes/count"));
    CHECK_THAT(error_of(domain({{"count", 2}, {"pattern", "U{i}"}})),
               Catch::Contains("not a valid local part"));
    CHECK_THAT(error_of(domain({{"count", 2}, {"pattern", "u{i}"}, {"size", 1}})),
               Catch::Contains("/domains/0/mailboxes"));
}

TEST_CASE("a domain template leaves its mailbox pattern's {i} alone", "[experiment][mailboxes]") {
    const json doc = {
        {"domains", json::array({{{"name", "d{i}.example"},
                                  {"count", 2},
                                  {"mailboxes", {{"count", 2}, {"pattern", "u{i}"}}}}})}};
    const json out = format::expand_templates(doc, "t.json");
    REQUIRE(out["domains"].size() == 2);
    CHECK(out["domains"][1]["name"] == "d1.example");
    CHECK(out["domains"][1]["mailboxes"]["pattern"] == "u{i}");
}
