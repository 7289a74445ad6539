// policy_loader_test.cpp - the scenario keys of the receiving policies and traffic shapes:
// virus_scan, mailbox_quota, reject_multi_recipient_bounce, vacation, Exim's smoothed
// rate limit, ramps and worm message shapes, read into values and refused with their path.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "scenario/scenario_loader.hpp"
#include "tests/test_support.hpp"

using namespace mxsim;
using format::ScenarioError;
using nlohmann::json;
using sim::kDay;
using sim::kHour;
using sim::kSecond;

namespace {

json policy_document() {
    return json::parse(R"({
      "name": "policies", "duration": "1d",
      "hosts": [
        {"name": "mx.dest.example",
         "mta": {"local_domains": ["dest.example"],
                 "virus_scan": "reject", "virus_reject_code": 550,
                 "reject_multi_recipient_bounce": true,
                 "mailbox_quota": {"bytes": 100000, "check_at_rcpt": "452",
                                   "full": ["bob@dest.example"]},
                 "mailbox_rate_limit": {"per_hour": 30, "algorithm": "exim_smoothed",
                                        "period": "2h", "mode": "strict",
                                        "over_limit": "550"}}}],
      "domains": [{"name": "dest.example", "mailboxes": ["alice", "bob"],
                   "mx": [{"host": "mx.dest.example"}],
                   "vacation": {"mailboxes": ["bob"], "period": "3d", "sender": "mailbox"}}],
      "traffic": {
        "streams": [{"name": "s", "from": ["a@b.example"], "to": ["alice@dest.example"],
                     "via": "mx.dest.example", "bulk": true,
                     "ramp": [{"at": "0s", "rate_per_hour": 0},
                              {"at": "6h", "rate_per_hour": 100}]}],
        "worms": [{"name": "w", "infected_hosts": 2, "rate_per_hour": 5, "kind": "spammer",
                   "virus": true, "recipients_per_message": 3, "null_sender_share": 0.25,
                   "bulk": true}]}
    })");
}

std::string with(const std::string& pointer, const json& value) {
    json doc = policy_document();
    doc[json::json_pointer(pointer)] = value;
    return doc.dump();
}

std::string without(const std::string& pointer) {
    json doc = policy_document();
    const json::json_pointer p(pointer);
    doc[p.parent_pointer()].erase(p.back());
    return doc.dump();
}

}  // namespace

TEST_CASE("policy keys are read into the expected values", "[loader][policies]") {
    const model::Scenario s = format::parse_scenario(policy_document().dump(), "t.json").scenario;
    const model::MtaSpec& m = *s.hosts[0].mta;
    CHECK(m.virus_scan == model::VirusAction::Reject);
    CHECK(m.virus_reject_code == 550);
    CHECK(m.reject_multi_recipient_bounce);
    REQUIRE(m.mailbox_quota);
    CHECK(m.mailbox_quota->bytes == 100000);
    CHECK(m.mailbox_quota->at_rcpt == model::QuotaCheck::Defer);
    CHECK(m.mailbox_quota->full == std::vector<std::string>{"bob@dest.example"});
    REQUIRE(m.mailbox_rate_limit);
    CHECK(m.mailbox_rate_limit->algorithm == model::RateAlgorithm::EximSmoothed);
    CHECK(m.mailbox_rate_limit->period == 2 * kHour);
    CHECK(m.mailbox_rate_limit->strict);
    REQUIRE(s.domains[0].vacation);
    CHECK(s.domains[0].vacation->mailboxes == std::vector<std::string>{"bob"});
    CHECK(s.domains[0].vacation->period == 3 * kDay);
    CHECK_FALSE(s.domains[0].vacation->null_sender);
    const model::StreamSpec& st = s.traffic.streams[0];
    CHECK(st.bulk);
    REQUIRE(st.ramp.size() == 2);
    CHECK(st.ramp[1].at == 6 * kHour);
    CHECK(st.ramp[1].rate_per_hour == 100);
    const model::WormSpec& w = s.traffic.worms[0];
    CHECK(w.virus == true);
    CHECK(w.recipients_per_message == 3);
    CHECK(w.null_sender_share == 0.25);
    CHECK(w.bulk);
}

// The expected defaults are written down from docs/scenario-format.md (Postgrey's --delay
// 300 s, vacation(1)'s 7 days, Exim's ratelimit "leaky" with p = 1h), not taken from the
// model's structs, so a changed default fails here.
TEST_CASE("policy keys take their documented defaults", "[loader][policies]") {
    json doc = policy_document();
    doc["hosts"][0]["mta"] = {{"local_domains", {"dest.example"}},
                              {"mailbox_quota", {{"bytes", 10}}},
                              {"mailbox_rate_limit", {{"per_hour", 5}}},
                              {"greylist", json::object()}};
    doc["domains"][0]["vacation"] = json::object();
    doc["traffic"]["worms"][0] = {{"name", "w"}, {"rate_per_hour", 1}};
    const model::Scenario s = format::parse_scenario(doc.dump(), "t.json").scenario;
    const model::MtaSpec& m = *s.hosts[0].mta;
    CHECK(m.virus_scan == model::VirusAction::None);
    CHECK(m.virus_reject_code == 554);
    CHECK_FALSE(m.reject_multi_recipient_bounce);
    CHECK(m.mailbox_quota->at_rcpt == model::QuotaCheck::None);
    CHECK(m.mailbox_quota->full.empty());
    CHECK(m.mailbox_rate_limit->algorithm == model::RateAlgorithm::TokenBucket);
    CHECK(m.mailbox_rate_limit->burst == 10);
    CHECK(m.mailbox_rate_limit->per_hour == 5);
    CHECK(m.mailbox_rate_limit->over_limit == model::OverLimitAction::Defer);  // "450"
    REQUIRE(m.greylist);
    CHECK(m.greylist->delay == 300 * kSecond);
    CHECK(m.greylist->max_age == 2 * kDay);
    CHECK(m.greylist->pass_lifetime == 35 * kDay);
    CHECK_FALSE(m.check_spf);
    CHECK(s.domains[0].vacation->mailboxes.empty());  // every mailbox
    CHECK(s.domains[0].vacation->period == 7 * kDay);
    CHECK(s.domains[0].vacation->null_sender);
    CHECK_FALSE(s.traffic.worms[0].virus.has_value());  // a worm: yes; a spammer: no
    CHECK(s.traffic.worms[0].recipients_per_message == 1);
    CHECK(s.traffic.worms[0].null_sender_share == 0);
    CHECK_FALSE(s.traffic.worms[0].spam);  // "kind": "worm"
    CHECK(s.traffic.worms[0].infected_hosts == 100);
    CHECK(s.traffic.worms[0].size == 30000);

    // Exim's smoothed rate: period "1h", mode "leaky".
    doc["hosts"][0]["mta"]["mailbox_rate_limit"] = {{"per_hour", 5},
                                                    {"algorithm", "exim_smoothed"}};
    const model::Scenario e = format::parse_scenario(doc.dump(), "t.json").scenario;
    const model::MailboxRateLimit& rl = *e.hosts[0].mta->mailbox_rate_limit;
    CHECK(rl.algorithm == model::RateAlgorithm::EximSmoothed);
    CHECK(rl.period == kHour);
    CHECK_FALSE(rl.strict);
    CHECK(rl.over_limit == model::OverLimitAction::Defer);
}

TEST_CASE("bad policy values are refused with the JSON path and what was expected",
          "[loader][policies]") {
    struct Case {
        std::string text;
        std::string where;
        std::string fragment;
    };
    const std::string mta = "/hosts/0/mta/";
    const std::vector<Case> cases{
        {with(mta + "virus_scan", "bounce"), mta + "virus_scan",
         "one of \"none\", \"reject\", \"notify\" or \"discard\""},
        {with(mta + "virus_scan", "notify"), mta + "virus_reject_code",
         "it needs \"virus_scan\": \"reject\""},
        {with(mta + "virus_reject_code", 450), mta + "virus_reject_code", "from 500 to 599"},
        {with(mta + "reject_multi_recipient_bounce", 1), mta + "reject_multi_recipient_bounce",
         "true or false"},
        {with(mta + "mailbox_quota/bytes", 0), mta + "mailbox_quota/bytes", "an integer >= 1"},
        {without(mta + "mailbox_quota/bytes"), mta + "mailbox_quota/bytes", "required"},
        {with(mta + "mailbox_quota/check_at_rcpt", 552), mta + "mailbox_quota/check_at_rcpt",
         "one of \"none\", \"452\" or \"552\""},
        {with(mta + "mailbox_quota/full", {"bob@elsewhere.example"}), mta + "mailbox_quota/full/0",
         "a mailbox of one of this MTA's local_domains"},
        {with(mta + "mailbox_quota/drain", "1d"), mta + "mailbox_quota/drain", "unknown key"},
        {with(mta + "mailbox_rate_limit/algorithm", "sliding_window"),
         mta + "mailbox_rate_limit/algorithm", "\"token_bucket\" or \"exim_smoothed\""},
        {with(mta + "mailbox_rate_limit/burst", 5), mta + "mailbox_rate_limit/burst",
         "no \"burst\" with exim_smoothed"},
        {with(mta + "mailbox_rate_limit/algorithm", "token_bucket"),
         mta + "mailbox_rate_limit/period", "it belongs to \"algorithm\": \"exim_smoothed\""},
        {with(mta + "mailbox_rate_limit/period", "0s"), mta + "mailbox_rate_limit/period",
         "a duration >= 1s"},
        {with(mta + "mailbox_rate_limit/mode", "lazy"), mta + "mailbox_rate_limit/mode",
         "\"leaky\" or \"strict\""},
        {with("/domains/0/vacation/mailboxes", {"carol"}), "/domains/0/vacation/mailboxes/0",
         "one of the domain's \"mailboxes\""},
        {with("/domains/0/vacation/mailboxes", "some"), "/domains/0/vacation/mailboxes",
         "or \"all\""},
        {with("/domains/0/vacation/mailboxes", json::array()), "/domains/0/vacation/mailboxes",
         "a non-empty array"},
        {with("/domains/0/vacation/sender", "postmaster"), "/domains/0/vacation/sender",
         "\"<>\" or \"mailbox\""},
        {with("/domains/0/vacation/period", "7"), "/domains/0/vacation/period", "missing unit"},
        {with("/traffic/streams/0/rate_per_hour", 3), "/traffic/streams/0/ramp",
         "either \"rate_per_hour\" or \"ramp\", not both"},
        {without("/traffic/streams/0/ramp"), "/traffic/streams/0/rate_per_hour", "(or a \"ramp\")"},
        {with("/traffic/streams/0/ramp", json::array()), "/traffic/streams/0/ramp",
         "a non-empty array"},
        {with("/traffic/streams/0/ramp/1/at", "0s"), "/traffic/streams/0/ramp/1/at",
         "a time after the previous point (0s)"},
        {with("/traffic/streams/0/ramp/1/at", "2d"), "/traffic/streams/0/ramp/1/at",
         "a time before the end of the run"},
        {with("/traffic/streams/0/ramp/1/rate_per_hour", -1),
         "/traffic/streams/0/ramp/1/rate_per_hour", "0 or a rate from 0.000001 to 1000000000"},
        {with("/traffic/streams/0/ramp/1/rate_per_hour", 0), "/traffic/streams/0/ramp",
         "some rate_per_hour above 0"},
        {with("/traffic/streams/0/ramp/0/rate", 1), "/traffic/streams/0/ramp/0/rate",
         "unknown key"},
        {with("/traffic/worms/0/recipients_per_message", 0),
         "/traffic/worms/0/recipients_per_message", "from 1 to 100"},
        {with("/traffic/worms/0/null_sender_share", 1.5), "/traffic/worms/0/null_sender_share",
         "a number from 0 to 1"},
        {with("/traffic/worms/0/virus", "yes"), "/traffic/worms/0/virus", "true or false"},
    };
    for (const Case& c : cases) {
        INFO(c.text);
        CHECK_THAT(mxsim::testing::loader_error(c.text),
                   Catch::StartsWith("t.json: " + c.where + ": ") && Catch::Contains(c.fragment));
    }
}
