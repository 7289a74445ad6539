// scenario_loader_test.cpp - the strict scenario loader: a full scenario read into the
// expected values (defaults and Postfix's bare-number units included), and a table of bad
// inputs, each rejected with the exact JSON path and the right explanation.
#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "scenario/scenario_loader.hpp"
#include "sim/random_stream.hpp"
#include "tests/test_support.hpp"

using namespace mxsim;
using format::ScenarioError;
using nlohmann::json;
using sim::kDay;
using sim::kHour;
using sim::kMillisecond;
using sim::kMinute;
using sim::kSecond;

namespace {

constexpr const char* kFull = R"({
  "name": "full",
  "question": "Does the backup MX bounce?",
  "description": "every key at least once",
  "seed": 42,
  "duration": "2d",
  "bin_width": "30m",
  "dns": {"query_latency": "5ms", "parent_negative_ttl": "600s"},
  "network": {
    "internet_latency": "50ms",
    "links": [{"a": "fw.dest.example", "b": "mx1.dest.example", "latency": "1ms"},
              {"a": "mx1.dest.example", "b": "mx2.dest.example"}]
  },
  "hosts": [
    {"name": "mx1.dest.example",
     "mta": {"local_domains": ["dest.example"], "reject_unlisted_recipient": false,
             "queue": {"queue_run_delay": "60", "minimal_backoff_time": "120",
                       "maximal_backoff_time": "1h", "maximal_queue_lifetime": "2",
                       "bounce_queue_lifetime": "1", "delay_warning_time": "4",
                       "scan_phase": "30"},
             "notify_classes": ["resource", "2bounce"],
             "2bounce_notice_recipient": "admin@dest.example",
             "bounce_notice_recipient": "copies@dest.example",
             "default_process_limit": 7, "qmgr_message_active_limit": 300,
             "default_destination_recipient_limit": 20, "smtp_destination_recipient_limit": 12,
             "smtp_connection_cache_on_demand": false, "smtp_connection_cache_time_limit": "5",
             "smtp_connection_reuse_time_limit": "1m", "smtp_connection_reuse_count_limit": 4,
             "smtp_defer_if_no_mx_address_found": true,
             "hopcount_limit": 30, "smtp_connect_timeout": "45",
             "inbound_session_limit": 10, "initial_destination_concurrency": 2,
             "default_destination_concurrency_limit": 8,
             "smtp_destination_concurrency_limit": 9,
             "default_destination_concurrency_positive_feedback": "1/4",
             "smtp_destination_concurrency_negative_feedback": " 0.5 / concurrency",
             "default_destination_concurrency_failed_cohort_limit": 0,
             "relay_domains_reject_code": 550, "bounce_size_limit": 0,
             "smtpd_relay_restrictions": "reject_unauth_destination",
             "unverified_recipient_reject_code": 550,
             "replies": [{"command": "rcpt", "reply": "450 4.7.1 try again later", "to": "45s",
                          "recipients": ["bob@dest.example"]},
                         {"command": "connect", "reply": "421 Service not available",
                          "from": "1h", "to": "2h"}]},
     "outages": [{"from": "1h", "to": "2h"}, {"from": "2h", "to": "3h", "mode": "timeout"}]},
    {"name": "mx2.dest.example",
     "mta": {"flavor": "exim",
             "relay_domains": ["dest.example",
                               {"domain": "other.example", "recipient_check": "verify"},
                               {"domain": "third.example"}],
             "relay_clients": ["fw.dest.example"],
             "queue": {"retry_rules": "F,1h,10m", "queue_run_interval": "10m",
                       "delay_warning": "0s", "ignore_bounce_errors_after": "1d",
                       "timeout_frozen_after": "0s"}}},
    {"name": "mx3.dest.example", "address": "2001:db8::25",
     "mta": {"flavor": "sendmail",
             "queue": {"queue_interval": "5m", "queuereturn": "3d", "queuewarn": "0s",
                       "DoubleBounceAddress": "", "PostmasterCopy": "postmaster"}}},
    {"name": "fw.dest.example", "mta": {}},
    {"name": "worm.example"}
  ],
  "domains": [
    {"name": "dest.example", "mailboxes": ["alice", "bob"],
     "mx": [{"preference": 10, "host": "mx1.dest.example"},
            {"preference": 20, "host": "mx2.dest.example"},
            {"preference": 30, "host": "old-mx.dest.example", "has_address": false}],
     "ttl": "300s", "negative_ttl": "60s",
     "changes": [{"at": "1d", "delete": true},
                 {"at": "1d12h", "mx": [{"host": "mx1.dest.example"}]}],
     "servfail": [{"from": "3h", "to": "4h"}]},
    {"name": "victim.example", "null_mx": true, "a": "fw.dest.example"},
    {"name": "gone.example", "exists": false}
  ],
  "traffic": {
    "messages": [
      {"at": "10m", "from": "<>", "to": "alice@dest.example", "via": "fw.dest.example",
       "trace": true},
      {"at": "0s", "from": "carol@victim.example", "to": "bob@dest.example",
       "via": "worm.example", "direct": true, "size": 100}],
    "streams": [
      {"name": "klez", "from": ["carol@victim.example", "<>"], "to": ["x@dest.example"],
       "via": "worm.example", "direct": true, "rate_per_hour": 12.5, "start": "1h",
       "stop": "1d", "size": 20000},
      {"name": "legit", "from": ["a@victim.example"], "to": ["alice@dest.example"],
       "via": "fw.dest.example", "rate_per_hour": 1}]
  }
})";

// A small valid scenario that the bad cases below each break in one place.
json base_document() {
    return json::parse(R"({
      "name": "t", "duration": "1d",
      "hosts": [{"name": "mx.dest.example", "mta": {"local_domains": ["dest.example"]}},
                {"name": "bot.example"}],
      "domains": [{"name": "dest.example", "mailboxes": ["alice"],
                   "mx": [{"preference": 10, "host": "mx.dest.example"}]}],
      "traffic": {
        "messages": [{"at": "1h", "from": "a@b.example", "to": "alice@dest.example",
                      "via": "mx.dest.example"}],
        "streams": [{"name": "s", "from": ["x@y.example"], "to": ["alice@dest.example"],
                     "via": "bot.example", "direct": true, "rate_per_hour": 1}]}
    })");
}

// The base document with the value at `pointer` set (added, or replaced) to `value`.
std::string with(const std::string& pointer, const json& value) {
    json doc = base_document();
    doc[json::json_pointer(pointer)] = value;
    return doc.dump();
}

// The same with two values set.
std::string with(const std::string& pointer, const json& value, const std::string& pointer2,
                 const json& value2) {
    json doc = json::parse(with(pointer, value));
    doc[json::json_pointer(pointer2)] = value2;
    return doc.dump();
}

std::string without(const std::string& pointer) {
    json doc = base_document();
    const json::json_pointer p(pointer);
    doc[p.parent_pointer()].erase(p.back());
    return doc.dump();
}

std::string hex16(std::uint64_t h) {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return buf;
}

}  // namespace

TEST_CASE("a full scenario is read into the expected values", "[loader]") {
    const format::LoadedScenario loaded = format::parse_scenario(kFull, "full.json");
    const model::Scenario& s = loaded.scenario;
    CHECK(loaded.warnings.empty());
    CHECK(loaded.content_hash == hex16(sim::stable_hash(kFull)));

    CHECK(s.name == "full");
    CHECK(s.question == "Does the backup MX bounce?");
    CHECK(s.description == "every key at least once");
    CHECK(s.seed == 42);
    CHECK(s.duration == 2 * kDay);
    CHECK(s.bin_width == 30 * kMinute);
    CHECK(s.dns.query_latency == 5 * kMillisecond);
    CHECK(s.dns.parent_negative_ttl == 600 * kSecond);
    CHECK(s.network.internet_latency == 50 * kMillisecond);
    REQUIRE(s.network.links.size() == 2);
    CHECK(s.network.links[0].a == "fw.dest.example");
    CHECK(s.network.links[0].b == "mx1.dest.example");
    CHECK(s.network.links[0].latency == kMillisecond);
    CHECK(s.network.links[1].latency == 10 * kMillisecond);  // default

    REQUIRE(s.hosts.size() == 5);
    const model::HostSpec& h1 = s.hosts[0];
    CHECK(h1.name == "mx1.dest.example");
    REQUIRE(h1.mta);
    const model::MtaSpec& m1 = *h1.mta;
    CHECK(m1.flavor == model::MtaFlavor::Postfix);
    CHECK(m1.local_domains == std::vector<std::string>{"dest.example"});
    CHECK_FALSE(m1.reject_unlisted_recipient);
    // Bare numbers take Postfix's units: seconds, days for lifetimes, hours for delay warnings.
    CHECK(m1.postfix.queue_run_delay == 60 * kSecond);
    CHECK(m1.postfix.minimal_backoff_time == 120 * kSecond);
    CHECK(m1.postfix.maximal_backoff_time == kHour);
    CHECK(m1.postfix.maximal_queue_lifetime == 2 * kDay);
    CHECK(m1.postfix.bounce_queue_lifetime == kDay);
    CHECK(m1.postfix.delay_warning_time == 4 * kHour);
    CHECK(m1.postfix.scan_phase == 30 * kSecond);
    CHECK_FALSE(m1.notify_bounce);
    CHECK(m1.notify_2bounce);
    CHECK(m1.postmaster == std::optional<std::string>("admin@dest.example"));
    CHECK(m1.bounce_notice_recipient == std::optional<std::string>("copies@dest.example"));
    CHECK(m1.smtp_defer_if_no_mx_address_found);
    CHECK(m1.process_limit == 7);
    CHECK(m1.active_limit == 300);
    CHECK(m1.recipient_limit == 12);  // the smtp_ form wins, as for the concurrency keys
    CHECK_FALSE(m1.connection_cache.on_demand);
    CHECK(m1.connection_cache.idle_limit == 5 * kSecond);
    CHECK(m1.connection_cache.reuse_time_limit == kMinute);
    CHECK(m1.connection_cache.reuse_count_limit == 4);
    CHECK(m1.hopcount_limit == 30);
    CHECK(m1.smtp_connect_timeout == 45 * kSecond);
    CHECK(m1.inbound_session_limit == 10);
    CHECK(m1.concurrency.initial == 2);
    CHECK(m1.concurrency.limit == 9);  // the smtp_ transport form wins
    CHECK(m1.concurrency.positive.base == 0.25);
    CHECK_FALSE(m1.concurrency.positive.per_window);
    CHECK(m1.concurrency.negative.base == 0.5);
    CHECK(m1.concurrency.negative.per_window);
    CHECK(m1.concurrency.failed_cohort_limit == 0);
    CHECK(m1.relay_domains_reject_code == 550);
    CHECK_FALSE(m1.defer_unauth_destination);
    CHECK(m1.unverified_recipient_reject_code == 550);
    CHECK(m1.bounce_size_limit == 0);
    REQUIRE(m1.replies.size() == 2);
    CHECK(m1.replies[0].command == model::SmtpCommand::Rcpt);
    CHECK(m1.replies[0].code == 450);
    CHECK(m1.replies[0].enhanced == "4.7.1");
    CHECK(m1.replies[0].text == "try again later");
    CHECK(m1.replies[0].window.from == 0);
    CHECK(m1.replies[0].window.to == 45 * kSecond);
    CHECK(m1.replies[0].recipients == std::vector<std::string>{"bob@dest.example"});
    CHECK(m1.replies[1].command == model::SmtpCommand::Connect);
    CHECK(m1.replies[1].enhanced.empty());
    CHECK(m1.replies[1].text == "Service not available");
    CHECK(m1.replies[1].window.from == kHour);
    REQUIRE(h1.outages.size() == 2);
    CHECK(h1.outages[0].window.from == kHour);
    CHECK(h1.outages[0].window.to == 2 * kHour);
    CHECK(h1.outages[0].mode == model::OutageMode::Refuse);
    CHECK(h1.outages[1].mode == model::OutageMode::Timeout);

    const model::MtaSpec& m2 = *s.hosts[1].mta;
    CHECK(m2.flavor == model::MtaFlavor::Exim);
    REQUIRE(m2.relay_domains.size() == 3);
    CHECK(m2.relay_domains[0].domain == "dest.example");
    CHECK(m2.relay_domains[0].check == model::RecipientCheck::None);
    CHECK(m2.relay_domains[1].domain == "other.example");
    CHECK(m2.relay_domains[1].check == model::RecipientCheck::Verify);
    CHECK(m2.relay_domains[2].check == model::RecipientCheck::None);
    CHECK(m2.relay_clients == std::vector<std::string>{"fw.dest.example"});
    REQUIRE(m2.exim.retry_rules.size() == 1);
    CHECK(m2.exim.retry_rules[0].kind == 'F');
    CHECK(m2.exim.retry_rules[0].cutoff == kHour);
    CHECK(m2.exim.retry_rules[0].interval == 10 * kMinute);
    CHECK(m2.exim.queue_run_interval == 10 * kMinute);
    CHECK(m2.exim.delay_warning == 0);
    CHECK_FALSE(m2.notify_bounce);
    CHECK(m2.exim.ignore_bounce_errors_after == kDay);
    CHECK(m2.exim.timeout_frozen_after == 0);

    const model::MtaSpec& m3 = *s.hosts[2].mta;
    CHECK(m3.flavor == model::MtaFlavor::Sendmail);
    CHECK(m3.sendmail.queue_interval == 5 * kMinute);
    CHECK(m3.sendmail.queuereturn == 3 * kDay);
    CHECK(m3.sendmail.queuewarn == 0);
    CHECK(m3.sendmail.double_bounce_address == std::optional<std::string>(""));
    CHECK(m3.sendmail.postmaster_copy == std::optional<std::string>("postmaster"));
    CHECK(s.hosts[2].address == "2001:db8::25");
    CHECK(s.hosts[1].address.empty());  // assigned by the world

    REQUIRE(s.hosts[3].mta);  // "mta": {} is an MTA with every default
    CHECK(s.hosts[3].mta->postfix.queue_run_delay == 300 * kSecond);
    CHECK_FALSE(s.hosts[4].mta);

    REQUIRE(s.domains.size() == 3);
    const model::DomainSpec& d = s.domains[0];
    CHECK(d.name == "dest.example");
    CHECK(d.mailboxes == std::vector<std::string>{"alice", "bob"});
    CHECK(d.initial.exists);
    REQUIRE(d.initial.mx.size() == 3);
    CHECK(d.initial.mx[1].preference == 20);
    CHECK(d.initial.mx[1].host == "mx2.dest.example");
    CHECK(d.initial.mx[1].has_address);
    CHECK(d.initial.mx[2].host == "old-mx.dest.example");
    CHECK_FALSE(d.initial.mx[2].has_address);
    CHECK(d.ttl == 300 * kSecond);
    CHECK(d.negative_ttl == 60 * kSecond);
    REQUIRE(d.changes.size() == 2);
    CHECK(d.changes[0].at == kDay);
    CHECK_FALSE(d.changes[0].state.exists);
    CHECK(d.changes[1].at == 36 * kHour);
    CHECK(d.changes[1].state.exists);
    REQUIRE(d.changes[1].state.mx.size() == 1);
    CHECK(d.changes[1].state.mx[0].preference == 10);  // default
    CHECK_FALSE(d.changes[1].state.null_mx);
    CHECK_FALSE(d.changes[1].state.a_host);
    REQUIRE(d.servfail.size() == 1);
    CHECK(d.servfail[0].from == 3 * kHour);
    CHECK(s.domains[1].initial.null_mx);
    CHECK(s.domains[1].initial.a_host == std::optional<std::string>("fw.dest.example"));
    CHECK(s.domains[1].ttl == 3600 * kSecond);  // default
    CHECK_FALSE(s.domains[2].initial.exists);

    REQUIRE(s.traffic.messages.size() == 2);
    const model::MessageSpec& msg = s.traffic.messages[0];
    CHECK(msg.at == 10 * kMinute);
    CHECK(msg.from.is_null());
    CHECK(msg.to.local == "alice");
    CHECK(msg.to.domain == "dest.example");
    CHECK(msg.via == "fw.dest.example");
    CHECK_FALSE(msg.direct);
    CHECK(msg.size == 4000);
    CHECK(msg.trace);
    CHECK(s.traffic.messages[1].direct);
    CHECK(s.traffic.messages[1].size == 100);
    REQUIRE(s.traffic.streams.size() == 2);
    const model::StreamSpec& st = s.traffic.streams[0];
    CHECK(st.name == "klez");
    REQUIRE(st.from.size() == 2);
    CHECK(st.from[0].local == "carol");
    CHECK(st.from[1].is_null());
    CHECK(st.rate_per_hour == 12.5);
    CHECK(st.start == kHour);
    CHECK(st.stop == kDay);
    CHECK(st.size == 20000);
    CHECK(s.traffic.streams[1].stop == 0);  // the end of the run
    CHECK(s.traffic.streams[1].start == 0);
}

// Every expected value below is written down from docs/scenario-format.md, which states each
// default (and, for the Postfix keys, Postfix's own default from postconf(5); for Exim, its
// configure.default; for Sendmail, the documented -q15m / Timeout.queuereturn /
// Timeout.queuewarn), not taken from the model's structs: a changed default must fail here.
TEST_CASE("a minimal scenario takes every documented default", "[loader]") {
    const auto s = format::parse_scenario(R"({"name": "m", "hosts": [
        {"name": "h", "mta": {}},
        {"name": "e", "mta": {"flavor": "exim"}},
        {"name": "s", "mta": {"flavor": "sendmail"}}]})")
                       .scenario;
    // Top level, dns, network.
    CHECK(s.seed == 1);
    CHECK(s.duration == 7 * kDay);
    CHECK(s.bin_width == kHour);
    CHECK(s.question.empty());
    CHECK(s.description.empty());
    CHECK(s.dns.query_latency == 20 * kMillisecond);
    CHECK(s.dns.parent_negative_ttl == 900 * kSecond);
    CHECK(s.network.internet_latency == 40 * kMillisecond);
    CHECK(s.network.links.empty());
    CHECK(s.domains.empty());
    CHECK(s.traffic.messages.empty());
    CHECK(s.traffic.streams.empty());
    CHECK(s.traffic.worms.empty());

    REQUIRE(s.hosts.size() == 3);
    CHECK(s.hosts[0].outages.empty());
    REQUIRE(s.hosts[0].mta);
    const model::MtaSpec& m = *s.hosts[0].mta;
    CHECK(m.flavor == model::MtaFlavor::Postfix);
    CHECK(m.local_domains.empty());
    CHECK(m.reject_unlisted_recipient);  // smtpd_reject_unlisted_recipient = yes
    CHECK(m.relay_domains.empty());
    CHECK(m.relay_clients.empty());
    // postconf(5): queue_run_delay 300s, minimal_backoff_time 300s, maximal_backoff_time
    // 4000s, maximal_queue_lifetime 5d, bounce_queue_lifetime 5d, delay_warning_time 0h.
    CHECK(m.postfix.queue_run_delay == 300 * kSecond);
    CHECK(m.postfix.minimal_backoff_time == 300 * kSecond);
    CHECK(m.postfix.maximal_backoff_time == 4000 * kSecond);
    CHECK(m.postfix.maximal_queue_lifetime == 5 * kDay);
    CHECK(m.postfix.bounce_queue_lifetime == 5 * kDay);
    CHECK(m.postfix.delay_warning_time == 0);
    CHECK(m.postfix.scan_phase == 0);
    // notify_classes = resource, software: neither bounce nor 2bounce.
    CHECK_FALSE(m.notify_bounce);
    CHECK_FALSE(m.postmaster);  // the world's default: postmaster@ the first local domain
    CHECK_FALSE(m.hopcount_limit);
    CHECK(model::hop_limit(m) == 50);  // Postfix hopcount_limit
    CHECK(m.smtp_connect_timeout == 30 * kSecond);
    CHECK_FALSE(m.inbound_session_limit);
    CHECK(model::session_limit(m) == 100);  // Postfix default_process_limit
    // postconf(5): initial_destination_concurrency 5, default_destination_concurrency_limit
    // 20, both feedbacks 1/concurrency, default_destination_concurrency_failed_cohort_limit 1.
    CHECK(m.concurrency.initial == 5);
    CHECK(m.concurrency.limit == 20);
    CHECK(m.concurrency.positive.base == 1);
    CHECK(m.concurrency.positive.per_window);
    CHECK(m.concurrency.negative.base == 1);
    CHECK(m.concurrency.negative.per_window);
    CHECK(m.concurrency.failed_cohort_limit == 1);
    // postconf(5): default_process_limit 100, qmgr_message_active_limit 20000,
    // smtp_connection_cache_on_demand yes, smtp_connection_cache_time_limit 2s,
    // smtp_connection_reuse_time_limit 300s, smtp_connection_reuse_count_limit 0.
    CHECK(m.process_limit == 100);
    CHECK(m.active_limit == 20000);
    CHECK(m.connection_cache.on_demand);
    CHECK(m.connection_cache.idle_limit == 2 * kSecond);
    CHECK(m.connection_cache.reuse_time_limit == 300 * kSecond);
    CHECK(m.connection_cache.reuse_count_limit == 0);
    CHECK(m.defer_unauth_destination);  // Postfix 3.x: defer_unauth_destination
    CHECK(m.relay_domains_reject_code == 554);
    CHECK(m.unverified_recipient_reject_code == 450);
    CHECK(m.bounce_size_limit == 50000);
    CHECK_FALSE(m.check_spf);
    CHECK_FALSE(m.greylist);
    CHECK_FALSE(m.mailbox_rate_limit);
    CHECK(m.virus_scan == model::VirusAction::None);
    CHECK(m.virus_reject_code == 554);
    CHECK_FALSE(m.mailbox_quota);
    CHECK_FALSE(m.reject_multi_recipient_bounce);

    // Exim: configure.default's "* * F,2h,15m; G,16h,1h,1.5; F,4d,6h", exim -q30m, and
    // delay_warning 24h.
    REQUIRE(s.hosts[1].mta);
    const model::EximQueueSpec& e = s.hosts[1].mta->exim;
    CHECK(s.hosts[1].mta->flavor == model::MtaFlavor::Exim);
    REQUIRE(e.retry_rules.size() == 3);
    CHECK(e.retry_rules[0].kind == 'F');
    CHECK(e.retry_rules[0].cutoff == 2 * kHour);
    CHECK(e.retry_rules[0].interval == 15 * kMinute);
    CHECK(e.retry_rules[1].kind == 'G');
    CHECK(e.retry_rules[1].cutoff == 16 * kHour);
    CHECK(e.retry_rules[1].interval == kHour);
    CHECK(e.retry_rules[1].multiplier == 1.5);
    CHECK(e.retry_rules[2].kind == 'F');
    CHECK(e.retry_rules[2].cutoff == 4 * kDay);
    CHECK(e.retry_rules[2].interval == 6 * kHour);
    CHECK(e.queue_run_interval == 30 * kMinute);
    CHECK(e.delay_warning == 24 * kHour);

    // Sendmail: -q15m, Timeout.queuereturn 5d, Timeout.queuewarn 4h.
    REQUIRE(s.hosts[2].mta);
    const model::SendmailQueueSpec& sm = s.hosts[2].mta->sendmail;
    CHECK(s.hosts[2].mta->flavor == model::MtaFlavor::Sendmail);
    CHECK(sm.queue_interval == 15 * kMinute);
    CHECK(sm.queuereturn == 5 * kDay);
    CHECK(sm.queuewarn == 4 * kHour);
}

TEST_CASE("domains, outages, links and traffic take their documented defaults", "[loader]") {
    const auto s = format::parse_scenario(R"({"name": "m",
      "network": {"links": [{"a": "mx.d.example", "b": "bot.example"}]},
      "hosts": [{"name": "mx.d.example", "mta": {"local_domains": ["d.example"]},
                 "outages": [{"from": "1h", "to": "2h"}]},
                {"name": "bot.example"}],
      "domains": [{"name": "d.example", "mailboxes": ["ann"],
                   "mx": [{"host": "mx.d.example"}]},
                  {"name": "bare.example"}],
      "traffic": {
        "messages": [{"at": "1h", "from": "a@b.example", "to": "ann@d.example",
                      "via": "mx.d.example"}],
        "streams": [{"name": "s", "from": ["a@b.example"], "to": ["ann@d.example"],
                     "via": "mx.d.example", "rate_per_hour": 1}],
        "worms": [{"name": "w", "rate_per_hour": 1}]}})")
                       .scenario;
    REQUIRE(s.network.links.size() == 1);
    CHECK(s.network.links[0].latency == 10 * kMillisecond);
    REQUIRE(s.hosts[0].outages.size() == 1);
    CHECK(s.hosts[0].outages[0].mode == model::OutageMode::Refuse);
    // 2bounce_notice_recipient left out: the world sends to postmaster@ the first local domain.
    CHECK_FALSE(s.hosts[0].mta->postmaster);

    REQUIRE(s.domains.size() == 2);
    CHECK(s.domains[0].initial.mx.at(0).preference == 10);
    const model::DomainSpec& d = s.domains[1];
    CHECK(d.mailboxes.empty());
    CHECK(d.initial.exists);
    CHECK(d.initial.mx.empty());
    CHECK_FALSE(d.initial.null_mx);
    CHECK_FALSE(d.initial.a_host);
    CHECK(d.ttl == 3600 * kSecond);
    CHECK(d.negative_ttl == 900 * kSecond);
    CHECK(d.changes.empty());
    CHECK(d.servfail.empty());
    CHECK_FALSE(d.spf_hard_fail);
    CHECK_FALSE(d.batv);
    CHECK_FALSE(d.vacation);

    const model::MessageSpec& msg = s.traffic.messages.at(0);
    CHECK_FALSE(msg.direct);
    CHECK(msg.size == 4000);
    CHECK_FALSE(msg.trace);
    const model::StreamSpec& st = s.traffic.streams.at(0);
    CHECK_FALSE(st.direct);
    CHECK(st.start == 0);
    CHECK(st.stop == 0);  // the end of the run
    CHECK(st.size == 4000);
    CHECK(st.ramp.empty());
    CHECK_FALSE(st.bulk);
    const model::WormSpec& w = s.traffic.worms.at(0);
    CHECK_FALSE(w.spam);  // "kind": "worm"
    CHECK(w.infected_hosts == 100);
    CHECK(w.address_book.empty());    // "all"
    CHECK(w.forged_senders.empty());  // the address book
    CHECK(w.random_recipient_share == 0);
    CHECK(w.backup_mx_share == 0);
    CHECK(w.start == 0);
    CHECK(w.stop == 0);  // the whole run
    CHECK(w.size == 30000);
    CHECK(w.ramp.empty());
    CHECK(w.recipients_per_message == 1);
    CHECK(w.null_sender_share == 0);
    CHECK_FALSE(w.bulk);
}

TEST_CASE("bounce_queue_lifetime above maximal_queue_lifetime is lowered with a warning",
          "[loader]") {
    const auto loaded = format::parse_scenario(
        with("/hosts/0/mta/queue",
             {{"maximal_queue_lifetime", "1d"}, {"bounce_queue_lifetime", "2d"}}),
        "t.json");
    const model::PostfixQueueSpec& q = loaded.scenario.hosts[0].mta->postfix;
    CHECK(q.maximal_queue_lifetime == kDay);
    CHECK(q.bounce_queue_lifetime == kDay);
    REQUIRE(loaded.warnings.size() == 1);
    CHECK_THAT(loaded.warnings[0],
               Catch::StartsWith("t.json: /hosts/0/mta/queue/bounce_queue_lifetime: ") &&
                   Catch::Contains("is larger than maximal_queue_lifetime (1d)"));

    // The default bounce_queue_lifetime (5d) is lowered too, as Postfix would.
    const auto by_default = format::parse_scenario(
        with("/hosts/0/mta/queue", {{"maximal_queue_lifetime", "0"}}), "t.json");
    CHECK(by_default.scenario.hosts[0].mta->postfix.bounce_queue_lifetime == 0);
    CHECK(by_default.warnings.size() == 1);
}

TEST_CASE("bad scenarios are rejected with the JSON path and what was expected", "[loader]") {
    struct Case {
        std::string text;
        std::string where;     // the JSON path, or "line L, column C"
        std::string fragment;  // part of the explanation
    };
    const json queue_needing_mta = {{"queue_run_delay", "300s"}};
    const std::vector<Case> cases{
        // unknown keys, at several depths
        {with("/frobnicate", 1), "/frobnicate", "got an unknown key"},
        {with("/hosts/0/colour", "red"), "/hosts/0/colour",
         "one of the keys name, address, mta, outages"},
        {with("/hosts/0/address", "10.0.0.256"), "/hosts/0/address", "an IPv4 or IPv6 address"},
        {with("/hosts/0/mta/replies", json::parse(R"([{"command": "rcpt", "reply": "600 no"}])")),
         "/hosts/0/mta/replies/0/reply", "a code from 200 to 599"},
        {with("/hosts/0/mta/replies",
              json::parse(R"([{"command": "rcpt", "reply": "450 5.7.1 no"}])")),
         "/hosts/0/mta/replies/0/reply", "class must be the reply code's"},
        {with("/hosts/0/mta/replies",
              json::parse(R"([{"command": "connect", "reply": "220 hello"}])")),
         "/hosts/0/mta/replies/0/reply", "a 4xx or 5xx greeting"},
        {with("/hosts/0/mta/replies", json::parse(R"([{"command": "helo", "reply": "421 x"}])")),
         "/hosts/0/mta/replies/0/command", "\"connect\""},
        {with("/hosts/0/mta/replies",
              json::parse(
                  R"([{"command": "mail", "reply": "550 x", "recipients": ["a@b.example"]}])")),
         "/hosts/0/mta/replies/0/recipients", "no recipients"},
        {with("/hosts/0/mta/replies",
              json::parse(R"([{"command": "rcpt", "reply": "450 x", "from": "2h", "to": "1h"}])")),
         "/hosts/0/mta/replies/0/to", "a time after"},
        {with("/hosts/1/address", "10.0.0.9", "/hosts/0/address", "10.0.0.9"), "/hosts/1/address",
         "an address no other host has"},
        {with("/domains/0/mx/0/has_address", false), "/domains/0/mx/0/host",
         "a name that is not in /hosts"},
        {with("/hosts/0/mta/smtpd_banner", "x"), "/hosts/0/mta/smtpd_banner", "unknown key"},
        {with("/domains/0/mx/0/weight", 1), "/domains/0/mx/0/weight", "unknown key"},
        {with("/traffic/messages/0/subject", "hi"), "/traffic/messages/0/subject", "unknown key"},
        {with("/dns/ttl", "1s"), "/dns/ttl", "query_latency, parent_negative_ttl"},
        {with("/hosts/0/mta/queue/frob", "1s"), "/hosts/0/mta/queue/frob",
         "postfix queue keys queue_run_delay"},
        {with("/a~0b", 1), "/a~0b", "unknown key"},  // the key a~b, escaped
        // wrong types and missing keys
        {with("/name", 5), "/name", "expected a non-empty string, got 5"},
        {with("/name", ""), "/name", "got \"\""},
        {without("/name"), "/name", "got nothing (the key is required)"},
        {without("/hosts"), "/hosts", "the key is required"},
        {with("/hosts", json::object()), "/hosts", "expected an array, got an empty object"},
        {with("/hosts", json::array()), "/hosts", "expected at least one host, got an empty array"},
        {with("/seed", -1), "/seed", "expected a non-negative integer, got -1"},
        {with("/seed", 1.5), "/seed", "got 1.5"},
        {with("/hosts/0/mta", true), "/hosts/0/mta", "expected an object, got true"},
        {with("/hosts/0/mta/reject_unlisted_recipient", "yes"),
         "/hosts/0/mta/reject_unlisted_recipient", "expected true or false, got \"yes\""},
        {with("/traffic/messages", json::object()), "/traffic/messages", "expected an array"},
        {with("/hosts/0/mta/hopcount_limit", 0), "/hosts/0/mta/hopcount_limit",
         "expected an integer from 1 to 1000, got 0"},
        {with("/hosts/0/mta/hopcount_limit", 30.0), "/hosts/0/mta/hopcount_limit", "got 30.0"},
        {with("/hosts/0/mta/relay_domains_reject_code", 250),
         "/hosts/0/mta/relay_domains_reject_code", "from 400 to 599"},
        {with("/hosts/0/mta/smtpd_relay_restrictions", "permit"),
         "/hosts/0/mta/smtpd_relay_restrictions", "reject_unauth_destination"},
        {with("/hosts/0/mta/unverified_recipient_reject_code", 200),
         "/hosts/0/mta/unverified_recipient_reject_code", "from 400 to 599"},
        {with("/hosts/0/mta/inbound_session_limit", 1e20), "/hosts/0/mta/inbound_session_limit",
         "expected an integer"},
        {with("/hosts/0/mta/default_destination_concurrency_limit", 3),
         "/hosts/0/mta/default_destination_concurrency_limit",
         ">= the initial destination concurrency (5)"},
        {with("/hosts/0/mta/smtp_initial_destination_concurrency", 30),
         "/hosts/0/mta/smtp_initial_destination_concurrency",
         "<= the destination concurrency limit (20)"},
        {with("/hosts/0/mta/default_destination_concurrency_positive_feedback", "2/concurrency"),
         "/hosts/0/mta/default_destination_concurrency_positive_feedback",
         "a feedback from 0 to 1"},
        {with("/hosts/0/mta/smtp_destination_concurrency_negative_feedback", "1/0"),
         "/hosts/0/mta/smtp_destination_concurrency_negative_feedback", "a feedback from 0 to 1"},
        {with("/hosts/0/mta/default_destination_concurrency_negative_feedback", "one"),
         "/hosts/0/mta/default_destination_concurrency_negative_feedback",
         "a feedback from 0 to 1"},
        {with("/hosts/0/mta/default_destination_concurrency_failed_cohort_limit", -1),
         "/hosts/0/mta/default_destination_concurrency_failed_cohort_limit", "expected an integer"},
        {with("/hosts/0/mta/notify_classes", {"bounce", "spam"}), "/hosts/0/mta/notify_classes/1",
         "one of bounce, 2bounce"},
        {with("/hosts/0/mta/flavor", "qmail"), "/hosts/0/mta/flavor",
         "one of \"postfix\", \"exim\" or \"sendmail\""},
        {with("/traffic/streams/0/rate_per_hour", 0), "/traffic/streams/0/rate_per_hour",
         "expected a rate from 0.000001 to 1000000000 an hour, got 0"},
        // issue 12: rates whose mean gap overflows the clock or its resolution
        {with("/traffic/streams/0/rate_per_hour", 1e-12), "/traffic/streams/0/rate_per_hour",
         "a rate from 0.000001 to 1000000000 an hour"},
        {with("/traffic/streams/0/rate_per_hour", 1e12), "/traffic/streams/0/rate_per_hour",
         "a rate from 0.000001 to 1000000000 an hour"},
        {with("/traffic/streams/0/rate_per_hour", "1"), "/traffic/streams/0/rate_per_hour",
         "got \"1\""},
        {with("/traffic/messages/0/size", 0), "/traffic/messages/0/size", "an integer >= 1"},
        // durations
        {with("/duration", 17), "/duration", "expected a duration like \"7d\", got 17"},
        {with("/duration", "3x"), "/duration", "unknown unit 'x'"},
        {with("/duration", "0s"), "/duration",
         "expected a duration > 0s and at most 36500d (100 years), got \"0s\""},
        {with("/duration", "106751d"), "/duration", "at most 36500d (100 years)"},
        {with("/duration", "5"), "/duration", "missing unit after 5"},
        {with("/network/internet_latency", "40"), "/network/internet_latency", "missing unit"},
        {with("/bin_width", "2d"), "/bin_width", "a duration <= \"duration\" (1d)"},
        {with("/hosts/0/mta/queue/queue_run_delay", "0"), "/hosts/0/mta/queue/queue_run_delay",
         "expected a duration >= 1s and at most 36500d (100 years), got \"0\""},
        {with("/hosts/0/mta/queue/minimal_backoff_time", "5000s"),
         "/hosts/0/mta/queue/minimal_backoff_time", "<= maximal_backoff_time (1h6m40s)"},
        {with("/hosts/0/mta/queue",
              {{"minimal_backoff_time", "600"}, {"maximal_backoff_time", "300"}}),
         "/hosts/0/mta/queue/maximal_backoff_time", ">= minimal_backoff_time (10m)"},
        {with("/hosts/0/mta/queue/maximal_queue_lifetime", "101"),
         "/hosts/0/mta/queue/maximal_queue_lifetime", "from 0s to 100d, got \"101\""},
        {with("/hosts/0/mta/queue/scan_phase", "300"), "/hosts/0/mta/queue/scan_phase",
         "expected a duration < queue_run_delay (5m), got \"300\""},
        {with("/hosts/0/mta/smtp_connect_timeout", "0"), "/hosts/0/mta/smtp_connect_timeout",
         ">= 1s"},
        // queue keys of another flavor
        {with("/hosts/0/mta/queue/retry_rules", "F,1h,10m"), "/hosts/0/mta/queue/retry_rules",
         "a key of flavor exim (this MTA's flavor is postfix)"},
        {with("/hosts/0/mta", {{"flavor", "exim"}, {"queue", queue_needing_mta}}),
         "/hosts/0/mta/queue/queue_run_delay", "a key of flavor postfix"},
        {with("/hosts/0/mta", {{"flavor", "sendmail"}, {"queue", {{"delay_warning", "1h"}}}}),
         "/hosts/0/mta/queue/delay_warning", "exim"},
        {with("/hosts/0/mta", {{"flavor", "exim"}, {"queue", {{"retry_rules", "Q,1h"}}}}),
         "/hosts/0/mta/queue/retry_rules", "expected Exim retry rules like"},
        // names and addresses
        {with("/hosts/0/name", "MX.dest.example"), "/hosts/0/name", "write \"mx.dest.example\""},
        {with("/domains/0/name", "Dest.Example"), "/domains/0/name", "write \"dest.example\""},
        {with("/hosts/1/name", "bot..example"), "/hosts/1/name", "labels of a-z"},
        {with("/domains/0/mailboxes/0", "Alice"), "/domains/0/mailboxes/0", "write \"alice\""},
        {with("/traffic/messages/0/to", "Alice@dest.example"), "/traffic/messages/0/to",
         "write \"alice@dest.example\""},
        {with("/traffic/messages/0/to", "alice"), "/traffic/messages/0/to", "one '@'"},
        {with("/traffic/messages/0/to", "a@b@c.example"), "/traffic/messages/0/to", "one '@'"},
        {with("/traffic/messages/0/from", "a b@c.example"), "/traffic/messages/0/from",
         "the local part is not valid"},
        {with("/traffic/messages/0/to", "<>"), "/traffic/messages/0/to",
         "the null reverse path <> can only be a sender"},
        {with("/traffic/streams/0/to/0", "<>"), "/traffic/streams/0/to/0", "only be a sender"},
        {with("/hosts/0/mta/2bounce_notice_recipient", "<>"),
         "/hosts/0/mta/2bounce_notice_recipient", "only be a sender"},
        {with("/traffic/streams/0/from", json::array()), "/traffic/streams/0/from",
         "a non-empty array of addresses"},
        // references to hosts
        {with("/domains/0/mx/0/host", "mx9.dest.example"), "/domains/0/mx/0/host",
         "expected the name of a host in /hosts, got \"mx9.dest.example\""},
        {with("/network/links", {{{"a", "bot.example"}, {"b", "nowhere.example"}}}),
         "/network/links/0/b", "the name of a host in /hosts"},
        {with("/network/links", {{{"a", "bot.example"}, {"b", "bot.example"}}}),
         "/network/links/0/b", "a host other than \"a\""},
        {with("/hosts/0/mta/relay_clients", {"ghost.example"}), "/hosts/0/mta/relay_clients/0",
         "the name of a host"},
        {with("/domains/0/a", "ghost.example"), "/domains/0/a", "the name of a host"},
        {with("/traffic/messages/0/via", "ghost.example"), "/traffic/messages/0/via",
         "the name of a host"},
        {with("/traffic/streams/0/direct", false), "/traffic/streams/0/via",
         "expected a host with an \"mta\", got \"bot.example\" (or set \"direct\": true)"},
        // duplicates
        {with("/hosts/1/name", "mx.dest.example"), "/hosts/1/name", "already the name of /hosts/0"},
        {with("/domains/1", {{"name", "dest.example"}}), "/domains/1/name",
         "already the name of /domains/0"},
        {with("/traffic/streams/1", base_document()["traffic"]["streams"][0]),
         "/traffic/streams/1/name", "a stream name not used before"},
        {with("/domains/0/mailboxes", {"alice", "bob", "alice"}), "/domains/0/mailboxes/2",
         "a mailbox not listed before"},
        {with("/hosts/0/mta/relay_domains", {"dest.example"}), "/hosts/0/mta/relay_domains/0",
         "not in local_domains"},
        {R"({"name": "a", "name": "b", "hosts": [{"name": "h"}]})", "/name",
         "expected each key once per object, got \"name\" a second time"},
        {R"({"name": "a", "hosts": [{"name": "h", "outages": [{"from": "1h", "from": "2h"}]}]})",
         "/hosts/0/outages/0/from", "a second time"},
        // time windows and DNS changes
        {with("/hosts/0/outages", {{{"from", "1h"}, {"to", "3h"}}, {{"from", "2h"}, {"to", "4h"}}}),
         "/hosts/0/outages/1/from", "outages may not overlap"},
        {with("/hosts/0/outages", {{{"from", "5h"}, {"to", "6h"}}, {{"from", "1h"}, {"to", "2h"}}}),
         "/hosts/0/outages/1/from", "sorted by \"from\""},
        {with("/hosts/0/outages", {{{"from", "2h"}, {"to", "2h"}}}), "/hosts/0/outages/0/to",
         "a time after \"from\" (2h)"},
        {with("/hosts/0/outages", {{{"from", "2h"}, {"to", "3h"}, {"mode", "drop"}}}),
         "/hosts/0/outages/0/mode", "\"refuse\" or \"timeout\""},
        {with("/domains/0/changes", {{{"at", "2h"}, {"delete", true}}, {{"at", "1h"}}}),
         "/domains/0/changes/1/at", "a time after the previous change (2h)"},
        {with("/domains/0/changes", {{{"at", "2h"}, {"delete", false}}}),
         "/domains/0/changes/0/delete", "expected true, got false"},
        {with("/domains/0/changes", {{{"at", "2h"}, {"delete", true}, {"mx", json::array()}}}),
         "/domains/0/changes/0/mx", "nothing besides \"at\""},
        {with("/domains/0/null_mx", true), "/domains/0/null_mx", "RFC 7505"},
        {with("/domains/0/exists", false), "/domains/0/mx", "no records in a domain"},
        {with("/domains/0/mx/0/preference", 65536), "/domains/0/mx/0/preference",
         "from 0 to 65535"},
        {with("/traffic/messages/0/at", "1d"), "/traffic/messages/0/at",
         "a time before the end of the run (1d)"},
        {with("/traffic/streams/0/stop", "0s"), "/traffic/streams/0/stop",
         "a time after \"start\""},
        {with("/traffic/streams/0/stop", "2d"), "/traffic/streams/0/stop", "at most the run's"},
        // the document itself
        {"[1, 2]", "/", "expected an object, got an array"},
        {"{\n  \"name\": \"x\",\n  oops\n}", "line 3, column 3", "invalid JSON: syntax error"},
        {"{\"name\": \"x\"} trailing", "line 1, column 17", "invalid JSON"},
        {"{\"name\": \"x\",\n \"seed\": 1e400}", "line 2, column 14", "number overflow"},
        {"", "line 1, column 1", "invalid JSON"},
        {"{\"name\": \"\xff\"}", "line 1, column 11", "invalid JSON"},
    };
    REQUIRE(cases.size() >= 30);
    for (const Case& c : cases) {
        INFO(c.text);
        const std::string message = mxsim::testing::loader_error(c.text);
        CHECK_THAT(message,
                   Catch::StartsWith("t.json: " + c.where + ": ") && Catch::Contains(c.fragment));
    }
}

// Issue 12: a tree tens of thousands of levels deep would overflow the stack
// when copied or freed; it is refused while it is read.
TEST_CASE("JSON nested deeper than 64 levels is refused, however deep", "[loader]") {
    for (const std::size_t depth : {65, 100000}) {
        const std::string text =
            "{\"name\": " + std::string(depth - 1, '[') + std::string(depth - 1, ']') + "}";
        INFO("depth " << depth);
        CHECK_THAT(mxsim::testing::loader_error(text),
                   Catch::StartsWith("t.json: /name") &&
                       Catch::Contains("expected JSON nested at most 64 levels deep"));
    }
    // 64 levels are read (and then refused for what they are, not for depth).
    const std::string ok = "{\"name\": " + std::string(63, '[') + std::string(63, ']') + "}";
    CHECK_THAT(mxsim::testing::loader_error(ok), !Catch::Contains("levels deep"));
}

TEST_CASE("the message of a wrongly typed duration reads as documented", "[loader]") {
    CHECK(mxsim::testing::loader_error(with("/hosts/0/mta/queue/maximal_backoff_time", 17)) ==
          "t.json: /hosts/0/mta/queue/maximal_backoff_time: expected a duration like \"4000s\", "
          "got 17");
}

TEST_CASE("messages quoting broken input stay short and valid UTF-8", "[loader]") {
    const std::vector<std::string> texts{
        "{\"name\": \"\xff\"}",                          // invalid UTF-8 in a string
        with("/duration", "1\xc3\xa9"),                  // "1é": the parser quotes one byte of é
        with("/duration", std::string(500, '9') + "x"),  // a long value, shortened
        "{\"name\": \"" + std::string(500, 'y') + "\x01\"}",
    };
    for (const std::string& t : texts) {
        const std::string message = mxsim::testing::loader_error(t);
        INFO(message);
        CHECK_NOTHROW(json(message).dump());  // throws on invalid UTF-8
        CHECK(message.size() < 400);
    }
}

TEST_CASE("scenario files: content hash, and a missing file named with its reason", "[loader]") {
    const std::filesystem::path dir = std::filesystem::temp_directory_path();
    const std::filesystem::path file = dir / "mxsim_loader_test_scenario.json";
    {
        std::ofstream out(file, std::ios::binary);
        out << kFull;
    }
    const auto loaded = format::load_scenario_file(file.string());
    CHECK(loaded.scenario.name == "full");
    CHECK(loaded.content_hash == hex16(sim::stable_hash(kFull)));
    CHECK(loaded.content_hash.size() == 16);
    std::filesystem::remove(file);

    const std::string missing = std::string(MXSIM_SOURCE_DIR) + "/scenarios/no-such-file.json";
    CHECK_THROWS_WITH(format::load_scenario_file(missing),
                      missing + ": cannot open scenario file: No such file or directory");
    CHECK_THROWS_WITH(format::load_scenario_file(std::string(MXSIM_SOURCE_DIR)),
                      Catch::Contains("cannot read scenario file"));
    // Errors inside a file name the file.
    CHECK_THROWS_WITH(format::load_scenario_file(std::string(MXSIM_SOURCE_DIR) + "/README.md"),
                      Catch::StartsWith(std::string(MXSIM_SOURCE_DIR) + "/README.md: line 1, "));
}

TEST_CASE("every JSON example in docs/scenario-format.md loads", "[loader]") {
    std::ifstream in(std::string(MXSIM_SOURCE_DIR) + "/docs/scenario-format.md");
    REQUIRE(in);
    std::vector<std::string> examples;
    std::string line;
    std::string block;
    bool inside = false;
    while (std::getline(in, line)) {
        if (!inside && line == "```json") {
            inside = true;
            block.clear();
        } else if (inside && line == "```") {
            inside = false;
            examples.push_back(block);
        } else if (inside) {
            block += line + "\n";
        }
    }
    REQUIRE_FALSE(examples.empty());
    for (const std::string& e : examples) {
        INFO(e);
        CHECK_NOTHROW(format::parse_scenario(e, "docs/scenario-format.md"));
    }
}
