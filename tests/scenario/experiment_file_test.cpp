// experiment_file_test.cpp - the experiment a scenario file describes: "count" templates,
// variants x sweep points (each a validated scenario), shares, and bad variants and sweeps
// refused with where they are.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "scenario/experiment_file.hpp"

using namespace mxsim;
using namespace mxsim::format;

namespace {

const char* kSmall = R"({
  "name": "small", "duration": "1h",
  "hosts": [{"name": "mx.s{i}.example", "count": 3, "mta": {"local_domains": ["s{i}.example"]}}],
  "domains": [{"name": "s{i}.example", "count": 3, "mailboxes": ["a", "b"],
               "mx": [{"preference": 10, "host": "mx.s{i}.example"}]}],
  "traffic": {"worms": [{"name": "w", "infected_hosts": 2, "rate_per_hour": 30,
                         "random_recipient_share": 0.5}]},
  "replications": 3,
  "variants": [{"name": "bounce", "set": [{"path": "/hosts/*/mta/reject_unlisted_recipient", "value": false}]}],
  "sweeps": [{"name": "rate", "path": "/traffic/worms/0/rate_per_hour", "values": [10, 40]}]
})";

}  // namespace

TEST_CASE("templates expand \"count\" entries, replacing {i}", "[experiment]") {
    const Experiment ex = parse_experiment(kSmall, "small.json");
    const model::Scenario& s = ex.baseline();
    // 3 MTA hosts plus the worm's 2 bots.
    REQUIRE(s.hosts.size() == 5);
    CHECK(s.hosts[2].name == "mx.s2.example");
    CHECK(s.hosts[2].mta->local_domains == std::vector<std::string>{"s2.example"});
    CHECK(s.domains[1].initial.mx[0].host == "mx.s1.example");
}

TEST_CASE("variants x sweep points form the grid, each is a validated scenario", "[experiment]") {
    const Experiment ex = parse_experiment(kSmall, "small.json");
    CHECK(ex.variants == std::vector<std::string>{"baseline", "bounce"});
    CHECK(ex.sweep_points == std::vector<std::string>{"rate=10", "rate=40"});
    CHECK(ex.replications == 3);
    CHECK(ex.at(0, 0).hosts[0].mta->reject_unlisted_recipient);
    CHECK_FALSE(ex.at(1, 0).hosts[0].mta->reject_unlisted_recipient);
    CHECK(ex.at(1, 1).traffic.worms[0].rate_per_hour == 40);
    CHECK(ex.at(0, 0).traffic.worms[0].rate_per_hour == 10);
}

TEST_CASE("a share sets the value on that part of the matching places", "[experiment]") {
    nlohmann::json doc = nlohmann::json::parse(kSmall);
    doc["variants"][0]["set"][0]["share"] = 0.34;  // round(0.34 x 3) = 1 host
    const Experiment ex = parse_experiment(doc.dump(), "small.json");
    int bouncing = 0;
    for (const model::HostSpec& h : ex.at(1, 0).hosts)
        if (h.mta && !h.mta->reject_unlisted_recipient) ++bouncing;
    CHECK(bouncing == 1);
}

TEST_CASE("bad variants and sweeps are errors that name where", "[experiment]") {
    const auto error_of = [](const nlohmann::json& doc) {
        try {
            parse_experiment(doc.dump(), "x.json");
        } catch (const ScenarioError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    nlohmann::json doc = nlohmann::json::parse(kSmall);
    doc["variants"][0]["set"][0]["path"] = "/hosts/*/nothing/here";
    CHECK_THAT(error_of(doc), Catch::Contains("/variants/0/set/0/path"));
    doc = nlohmann::json::parse(kSmall);
    doc["variants"][0]["set"][0]["value"] = "yes";  // the loader then rejects the type
    CHECK_THAT(error_of(doc),
               Catch::Contains("variant bounce") && Catch::Contains("reject_unlisted_recipient"));
    doc = nlohmann::json::parse(kSmall);
    doc["sweeps"][0]["values"] = nlohmann::json::array();
    CHECK_THAT(error_of(doc), Catch::Contains("/sweeps/0"));
    doc = nlohmann::json::parse(kSmall);
    doc["replications"] = 0;
    CHECK_THAT(error_of(doc), Catch::Contains("/replications"));
    doc = nlohmann::json::parse(kSmall);
    doc["variants"][0]["name"] = "baseline";
    CHECK_THAT(error_of(doc), Catch::Contains("/variants/0/name"));
}
