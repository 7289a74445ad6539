// explain_test.cpp - `mxsim explain`: which messages a query selects, the story
// of the seed case (ownership at the backup's 250, NXDOMAIN at the bounce, the
// NDR back to alice), and a specific rule for every status mxsim produces.
#include <catch2/catch.hpp>

#include <sstream>
#include <utility>

#include "experiment/explain.hpp"
#include "model/smtp_status.hpp"
#include "model/world.hpp"
#include "tests/model/scenario_builder.hpp"

using namespace mxsim;
using namespace mxsim::testing;
using experiment::explain_story;
using experiment::ExplainQuery;
using experiment::rule_behind;
using experiment::select_messages;

namespace {

// A hand-made run: names by NameId, messages with their DSNs.
struct HandRun {
    std::vector<Message> messages;
    experiment::AddressText address_of = [](AddressRef a) {
        static const std::vector<std::string> names{"alice",        "sender.example", "bob",
                                                    "dest.example", "carol",          "postmaster"};
        return names.at(a.local) + "@" + names.at(a.domain);
    };
};

Message message(AddressRef from, AddressRef to, Origin origin, MessageId parent) {
    Message m;
    m.sender = from;
    m.recipient = to;
    m.origin = origin;
    m.parent = parent;
    return m;
}

// 0: alice -> bob; 1: carol -> bob; 2: NDR about 0 to alice; 3: NDR about 1
// to carol; 4: postmaster notice about 2 (a failed NDR).
HandRun hand_run() {
    HandRun r;
    const AddressRef alice{0, 1}, bob{2, 3}, carol{4, 1}, postmaster{5, 1};
    r.messages = {message(alice, bob, Origin::Legit, kNoMessage),
                  message(carol, bob, Origin::Legit, kNoMessage),
                  message({}, alice, Origin::Ndr, 0), message({}, carol, Origin::Ndr, 1),
                  message({}, postmaster, Origin::PostmasterNotice, 2)};
    return r;
}

std::vector<MessageId> ids(std::initializer_list<MessageId> l) {
    return l;
}

TraceRecord step(std::string stage, std::string action, const Status& st,
                 MessageId parent = kNoMessage) {
    TraceRecord r;
    r.stage = std::move(stage);
    r.action = std::move(action);
    r.code = st.code;
    r.enhanced = st.enhanced;
    r.reason = st.text;
    r.parent = parent;
    return r;
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        out.push_back(line);
    return out;
}

// The index of the first line containing `needle`, at or after `from`.
std::size_t find_line(const std::vector<std::string>& lines, const std::string& needle,
                      std::size_t from = 0) {
    for (std::size_t i = from; i < lines.size(); ++i)
        if (lines[i].find(needle) != std::string::npos) return i;
    FAIL("no line contains '" << needle << "'");
    return lines.size();
}

// The seed case (docs/teaching/backup-mx-nxdomain.md), traced.
struct SeedStory {
    std::unique_ptr<World> world;
    experiment::AddressText address_of;
};

SeedStory seed_story() {
    Scenario s = sender_and_dest(true);
    s.duration = 2 * sim::kDay;
    s.hosts[1].outages.push_back({{0, 10 * sim::kDay}, OutageMode::Refuse});
    s.domains[1].ttl = 3600 * sim::kSecond;
    s.domains[1].changes.push_back({2 * sim::kHour, {false, false, {}, {}}});
    add_message(s, 0, "alice@sender.example", "bob@dest.example", "mx.sender.example");
    SeedStory r{std::make_unique<World>(s, WorldOptions{1, 0, true}), {}};
    r.world->run();
    // The test knows the scenario: message 0's envelope names the only two addresses.
    const Message m0 = r.world->messages().at(0);
    r.address_of = [m0](AddressRef a) -> std::string {
        if (a == m0.sender) return "alice@sender.example";
        if (a == m0.recipient) return "bob@dest.example";
        return "unknown@example";
    };
    return r;
}

}  // namespace

TEST_CASE("explain: selecting a message takes every DSN descended from it", "[explain]") {
    const HandRun r = hand_run();
    CHECK(select_messages(r.messages, r.address_of, {0, std::nullopt}) == ids({0, 2, 4}));
    CHECK(select_messages(r.messages, r.address_of, {1, std::nullopt}) == ids({1, 3}));
    CHECK(select_messages(r.messages, r.address_of, {2, std::nullopt}) == ids({2, 4}));
    CHECK(select_messages(r.messages, r.address_of, {4, std::nullopt}) == ids({4}));
}

TEST_CASE("explain: selecting an address takes every message from or to it", "[explain]") {
    const HandRun r = hand_run();
    CHECK(select_messages(r.messages, r.address_of, {std::nullopt, "alice@sender.example"}) ==
          ids({0, 2}));
    // Case and angle brackets do not matter.
    CHECK(select_messages(r.messages, r.address_of, {std::nullopt, "<BOB@Dest.Example>"}) ==
          ids({0, 1}));
    // <> is the null reverse path: every DSN.
    CHECK(select_messages(r.messages, r.address_of, {std::nullopt, "<>"}) == ids({2, 3, 4}));
    // An address nothing was sent to or from is an error, not an empty story.
    CHECK_THROWS_WITH(select_messages(r.messages, r.address_of, {std::nullopt, "nobody@x"}),
                      "explain: no message of this run is to or from nobody@x");
    // With both, either selects.
    CHECK(select_messages(r.messages, r.address_of, {1, "alice@sender.example"}) ==
          ids({0, 1, 2, 3}));
}

TEST_CASE("explain: an empty query or an unknown message is an error", "[explain]") {
    const HandRun r = hand_run();
    CHECK_THROWS_AS(select_messages(r.messages, r.address_of, {}), std::invalid_argument);
    CHECK_THROWS_WITH(select_messages(r.messages, r.address_of, {5, std::nullopt}),
                      Catch::Contains("no message 5"));
}

TEST_CASE("explain: the seed case's story, rule by rule", "[explain]") {
    const SeedStory seed = seed_story();
    const World& w = *seed.world;
    const auto selected = select_messages(w.messages(), seed.address_of, {0, std::nullopt});
    REQUIRE(selected == ids({0, 1}));
    const std::string story = explain_story(w.trace(), selected, w.messages(), seed.address_of);
    INFO(story);
    const auto lines = lines_of(story);
    for (const std::string& line : lines)
        CHECK(line.size() <= 100);

    CHECK(lines.at(0) == "message 0: alice@sender.example -> bob@dest.example (legit)");
    // The primary refuses; RFC 5321 5.1 says try the next MX.
    const std::size_t refused = find_line(lines, "mx.sender.example -> mx1.dest.example");
    CHECK(lines.at(refused + 1).find("connect: refused (4.4.1)") != std::string::npos);
    CHECK(lines.at(refused + 2).find("why: RFC 5321 5.1: try the next MX host") !=
          std::string::npos);
    // The backup's 250 to RCPT: from now on it owns the message.
    const std::size_t owned = find_line(lines, "mx.sender.example -> backup.isp.example");
    CHECK(lines.at(owned + 1).find("RCPT TO:<bob@dest.example>  <- 250 2.1.5 Ok") !=
          std::string::npos);
    CHECK(lines.at(owned + 2).find("why: RFC 5321 3.6.3 and 6.1") != std::string::npos);
    CHECK(story.find("you gotta deliver it or bounce it") != std::string::npos);
    // The backup defers on Postfix's backoff; the first retry comes 5 minutes later.
    const std::size_t deferred = find_line(lines, "queue: deferred (4.4.1)");
    CHECK(lines.at(deferred + 1).find("Postfix backoff") != std::string::npos);
    CHECK(story.find("next try: at 5m, 5m later") != std::string::npos);
    // At 2h30m (9000 s) NXDOMAIN: the backup bounces.
    const std::size_t bounce = find_line(lines, "queue: bounced (5.4.4)");
    CHECK(lines.at(bounce - 1).find("2h30m") != std::string::npos);
    CHECK(lines.at(bounce - 1).find("backup.isp.example") != std::string::npos);
    CHECK(lines.at(bounce + 2).find("why: 'host not found' is permanent") != std::string::npos);
    CHECK(lines.at(find_line(lines, "  fate: bounced"))
              .find("NDR to alice@sender.example is "
                    "message 1 (delivered)") != std::string::npos);
    // The NDR, from <>, goes back to alice's MTA and is delivered.
    const std::size_t ndr =
        find_line(lines, "message 1: NDR about message 0, <> -> alice@sender.example");
    CHECK(find_line(lines, "RFC 3464", ndr) > ndr);
    CHECK(find_line(lines, "backup.isp.example -> mx.sender.example", ndr) > ndr);
    CHECK(find_line(lines, "local delivery: delivered to mailbox (2.0.0)", ndr) > ndr);
    CHECK(lines.back() == "  fate: delivered");
}

TEST_CASE("explain: a recipient list at the backup moves the NDR to the sender's MTA",
          "[explain]") {
    Scenario s = sender_and_dest(true);
    s.duration = sim::kDay;
    s.hosts[1].outages.push_back({{0, 10 * sim::kDay}, OutageMode::Refuse});
    s.hosts[2].mta->relay_domains[0].check = RecipientCheck::List;
    add_message(s, 0, "ghost@nowhere.example", "nobody@dest.example", "mx.sender.example");
    World w(s, WorldOptions{1, 0, true});
    w.run();
    const Message m0 = w.messages().at(0);
    const experiment::AddressText address_of = [m0](AddressRef a) -> std::string {
        return a == m0.sender ? "ghost@nowhere.example" : "nobody@dest.example";
    };
    const auto selected =
        select_messages(w.messages(), address_of, {std::nullopt, "ghost@nowhere.example"});
    REQUIRE(selected == ids({0, 1}));  // the message, and the NDR addressed to its sender
    const std::string story = explain_story(w.trace(), selected, w.messages(), address_of);
    INFO(story);
    const auto lines = lines_of(story);
    const std::size_t rcpt = find_line(lines, "RCPT TO:<nobody@dest.example>  <- 550 5.1.1");
    CHECK(find_line(lines, "why: the backup MX validates recipients", rcpt) == rcpt + 2);
    const std::size_t bounce = find_line(lines, "queue: bounced (5.1.1)", rcpt);
    CHECK(lines.at(bounce - 1) == "  0s        mx.sender.example");
    CHECK(story.find("so this MTA, the client, writes the NDR") != std::string::npos);
    // The NDR's own sender domain does not exist: a bounce is never bounced.
    const std::size_t dropped = find_line(lines, "queue: dropped (5.4.4)", bounce);
    CHECK(find_line(lines, "why: never a bounce about a bounce", dropped) > dropped);
    CHECK(lines.back() == "  fate: dropped");
}

TEST_CASE("explain: a message with no trace records says so", "[explain]") {
    const HandRun r = hand_run();
    const std::string story = explain_story({}, ids({1}), r.messages, r.address_of);
    CHECK(story.find("message 1: carol@sender.example -> bob@dest.example (legit)") == 0);
    CHECK(story.find("no trace records") != std::string::npos);
    CHECK(story.find("see: mxsim explain --message 3") != std::string::npos);
}

TEST_CASE("explain: every status mxsim produces has its own rule", "[explain]") {
    namespace st = model::status;
    const Status probe = st::local_unknown_user("bob");
    const Status refused = st::connection_refused("mx1.dest.example");
    const std::vector<std::pair<TraceRecord, std::string>> cases{
        {step("rcpt", "accepted", st::accepted()), "RFC 5321 3.6.3"},
        {step("queue", "accepted", st::queued()), "tries it at once"},
        {step("queue", "accepted", st::queued(), 0), "RFC 3464"},
        {step("queue", "sent", st::queued()), "without a queue"},
        {step("data", "relayed", st::queued()), "RFC 5321 6.1"},
        {step("data", "delivered", st::delivered_to_mailbox()), "local(8)"},
        {step("rcpt", "deferred", st::relay_denied(454, "bob@x")), "defer_unauth_destination"},
        {step("rcpt", "rejected", st::relay_denied(554, "bob@x")), "reject_unauth_destination"},
        {step("rcpt", "rejected", st::unknown_local_recipient("bob@x")),
         "smtpd_reject_unlisted_recipient"},
        {step("rcpt", "rejected", st::unknown_relay_recipient("bob@x")), "relay_recipient_maps"},
        {step("rcpt", "deferred", st::unverified_pending("bob@x")), "poll_delay"},
        {step("rcpt", "deferred", st::unverified(450, "bob@x", refused)),
         "unverified_recipient_defer_code"},
        {step("rcpt", "rejected", st::unverified(550, "bob@x", probe)), "probe bounced"},
        {step("connect", "deferred", st::remote_said("mx1", st::too_many_sessions())),
         "server busy"},
        {step("rcpt", "rejected", st::too_many_hops()), "hopcount_limit"},
        {step("connect", "deferred", refused), "RFC 5321 5.1: try the next MX host"},
        {step("connect", "deferred", st::connection_timed_out("mx1")), "smtp_connect_timeout"},
        {step("connect", "deferred", st::no_smtp_service("mx1")), "port 25"},
        {step("dns", "deferred", st::dns_servfail("dest.example", "MX")), "SERVFAIL"},
        {step("dns", "rejected", st::dns_not_found("dest.example", "A")), "NXDOMAIN"},
        {step("dns", "rejected", st::null_mx("dest.example")), "RFC 7505"},
        {step("dns", "rejected", st::loops_back_to_myself("dest.example")),
         "at or worse than its own preference"},
        {step("dns", "deferred", st::no_primary_relay("dest.example")), "better MX hosts"},
        {step("dns", "deferred", st::with_enhanced(st::dns_not_found("mx9", "A"), "4.4.4")),
         "smtp_defer_if_no_mx_address_found"},
        {step("queue", "deferred", st::suspended(refused)), "dead destination"},
        {step("queue", "bounced", st::local_unknown_user("bob")), "accept-then-bounce"},
        {step("queue", "bounced", st::remote_said("mx1", st::unknown_relay_recipient("bob@x"))),
         "writes the NDR"},
        {step("queue", "deferred", st::remote_said("mx1", st::relay_denied(454, "bob@x"))),
         "maximal_backoff_time"},
        // Every queue decision of docs/results-format.md, with the status it carries.
        {step("queue", "deferred", refused), "minimal_backoff_time"},
        {step("queue", "bounced", st::dns_not_found("dest.example", "A")), "NXDOMAIN"},
        {step("queue", "bounced", st::null_mx("dest.example")), "RFC 7505"},
        {step("queue", "bounced", st::loops_back_to_myself("dest.example")), "loop"},
        {step("queue", "bounced", st::remote_said("mx1", st::too_many_hops())), "hopcount_limit"},
        {step("queue", "bounced", st::remote_said("mx1", st::relay_denied(554, "bob@x"))),
         "reject_unauth_destination"},
        {step("queue", "expired", refused), "maximal_queue_lifetime"},
        {step("queue", "dropped", st::dns_not_found("sender.example", "A"), 0),
         "never a bounce about a bounce"},
        {step("queue", "rejected", st::remote_said("mx1", st::unknown_local_recipient("bob@x"))),
         "no NDR"},
        // Policies of issue 4: greylisting, mailbox rate limits, SPF, BATV, discard.
        {step("rcpt", "deferred", st::greylisted("bob@x", 300)), "Postgrey"},
        {step("rcpt", "deferred", st::mailbox_rate_exceeded(450, "bob@x")), "rate limit"},
        {step("rcpt", "rejected", st::mailbox_rate_exceeded(550, "bob@x")), "rate limit"},
        {step("rcpt", "rejected", st::spf_fail("eve@x")), "RFC 7208"},
        {step("rcpt", "rejected", st::batv_unsigned("joe@x")), "BATV"},
        {step("data", "discarded", st::delivered_to_mailbox()), "thrown away"},
        // Content, quota and auto-reply policies.
        {step("data", "rejected", st::virus_rejected(554)), "milter"},
        {step("data", "rejected", st::multi_recipient_bounce()), "reject_multi_recipient_bounce"},
        {step("data", "discarded", st::virus_discarded()), "D_DISCARD"},
        {step("queue", "accepted", st::notice_queued("antivirus notice"), 0), "$warnvirussender"},
        {step("queue", "accepted", st::notice_queued("vacation auto-reply"), 0), "RFC 3834"},
        {step("rcpt", "deferred", st::mailbox_full(452, "bob@x")), "quota-status"},
        {step("rcpt", "rejected", st::mailbox_full(552, "bob@x")), "quota-status"},
        {step("queue", "bounced", st::local_mailbox_full("bob")), "mailbox_size_limit"},
        // Exim's and Sendmail's queues.
        {step("queue", "deferred", {0, "4.0.0", "retry time not reached"}), "for the address"},
        {step("queue", "expired", {0, "5.0.0", "retry timeout exceeded: connect to x"}),
         "past the last rule's cutoff"},
        {step("queue", "expired", {0, "4.4.7", "Cannot send message for 5 days"}),
         "Timeout.queuereturn"},
        {step("dns", "rejected", {0, "5.0.0", "Unrouteable address"}), "routes each message"},
        {step("dns", "rejected", {550, "5.1.2", "Host unknown (Name server: x: host not found)"}),
         "EX_NOHOST"},
        // Exim's and Sendmail's receiving side and failed bounces.
        {step("rcpt", "rejected", st::exim_relay_not_permitted()), "relay_to_domains"},
        {step("rcpt", "rejected", st::exim_sender_verify_failed("a@b")), "verify = sender"},
        {step("rcpt", "rejected", st::exim_unrouteable_address()), "verify = recipient"},
        {step("rcpt", "deferred", st::exim_temporary_local_problem()), "acl_temp_details"},
        {step("rcpt", "rejected", st::sendmail_relaying_denied("bob@x")), "Basic_check_rcpt"},
        {step("rcpt", "rejected", st::sendmail_user_unknown("bob@x")), "EX_NOUSER"},
        {step("mail", "rejected", st::sendmail_sender_domain_missing("a@b")), "check_mail"},
        {step("mail", "deferred", st::sendmail_sender_domain_unresolved("a@b")), "check_mail"},
        {step("connect", "deferred", st::refused_to_talk("mx1", st::exim_too_many_connections())),
         "smtp_accept_max"},
        {step("queue", "bounced", st::exim_too_many_received()), "received_headers_max"},
        {step("queue", "bounced", st::sendmail_too_many_hops()), "MaxHopCount"},
        {step("queue", "accepted", st::notice_queued("postmaster notification"), 0),
         "double-bounce@"},
        {step("queue", "frozen", st::remote_said("mx1", st::exim_unrouteable_address())),
         "ignore_bounce_errors_after"},
        {step("queue", "thawed", st::unfrozen()), "Unfrozen by errmsg timer"},
        // Exim's retry hints (model/retry_schedule.cpp).
        {step("queue", "deferred", {0, "4.0.0", "retry time not reached for any host"}),
         "Exim retry rules"},
        {step("queue", "bounced",
              {0, "4.0.0", "retry time not reached for any host after a long failure period"}),
         "delay_after_cutoff"},
    };
    for (const auto& [record, expected] : cases) {
        const std::string rule = rule_behind(record);
        INFO(record.stage << " " << record.action << " " << record.enhanced << " "
                          << record.reason);
        CHECK(rule != experiment::kFallbackRule);
        CHECK(rule.find(expected) != std::string::npos);
    }
}

TEST_CASE("explain: an unknown step gets the fallback sentence", "[explain]") {
    TraceRecord odd;
    odd.stage = "teleport";
    odd.action = "vanished";
    CHECK(rule_behind(odd) == experiment::kFallbackRule);
}
