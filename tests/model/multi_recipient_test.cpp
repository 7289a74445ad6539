// multi_recipient_test.cpp - several recipients per message (issue 11 point 9): a
// spammer's transaction carries several RCPTs, each answered on its own, over one
// connection; the recipients an MTA accepts and then fails are reported in one NDR per
// message (RFC 3464, Postfix's bounce_flush() as the message leaves the active queue);
// messages and recipients are counted apart.
#include <catch2/catch.hpp>

#include "model/world.hpp"
#include "tests/model/scenario_builder.hpp"

using namespace mxsim::testing;

namespace {

constexpr std::size_t kSpam = static_cast<std::size_t>(Origin::Spam);

// dest.example (a, b, c) behind mx.dest, which takes unknown recipients and bounces
// them unless `reject_unknown`; the forged sender joe@forged.example gets the NDRs.
// A spammer on 3 bots sends `recipients` RCPTs per transaction, made-up ones by
// `made_up_share`.
Scenario spam_world(int recipients, double made_up_share, bool reject_unknown) {
    Scenario s;
    s.name = "multi";
    s.duration = mxsim::sim::kDay;
    MtaSpec dest = postfix_for({"dest.example"});
    dest.reject_unlisted_recipient = reject_unknown;
    add_host(s, "mx.dest.example", dest);
    add_host(s, "mx.forged.example", postfix_for({"forged.example"}));
    add_domain(s, "dest.example", {{10, "mx.dest.example"}}, {"a", "b", "c"});
    add_domain(s, "forged.example", {{10, "mx.forged.example"}}, {"joe"});
    WormSpec w;
    w.name = "spammer";
    w.spam = true;
    w.infected_hosts = 3;
    w.rate_per_hour = 4;
    w.stop = 12 * mxsim::sim::kHour;
    w.address_book = {addr("a@dest.example")};
    w.forged_senders = {addr("joe@forged.example")};
    w.recipients_per_message = recipients;
    w.random_recipient_share = made_up_share;
    for (int i = 0; i < w.infected_hosts; ++i)
        add_host(s, worm_bot_name(w.name, i), std::nullopt);
    s.traffic.worms.push_back(w);
    return s;
}

// SMTP connections the bots opened: all minus those the MTAs opened.
std::uint64_t bot_sessions(const RunResults& r) {
    std::uint64_t mtas = 0;
    for (const MtaResults& m : r.mtas)
        mtas += m.smtp_sessions;
    return r.smtp_sessions - mtas;
}

std::uint64_t ndrs_of(const RunResults& r, const std::string& host) {
    for (const MtaResults& m : r.mtas)
        if (m.host == host) return m.ndrs_generated;
    return 0;
}

}  // namespace

TEST_CASE("a spammer's transaction: several RCPTs over one connection, counted apart",
          "[model][multi-recipient]") {
    const Scenario s = spam_world(4, 0.0, false);
    const RunResults r = World(s, {1, 0, false}).run();
    const std::uint64_t messages = r.messages[kSpam];
    REQUIRE(messages > 50);
    // Four recipients each, all real mailboxes: all delivered, nothing bounced.
    CHECK(count(r, Origin::Spam, Fate::Delivered) == 4 * messages);
    CHECK(bot_sessions(r) == messages);
    CHECK(ndrs_of(r, "mx.dest.example") == 0);
    CHECK(r.ndr_recipients == 0);
    // The MX took in the messages and their recipients; DATA carried each message once.
    const MtaResults& dest = r.mtas[0];
    REQUIRE(dest.host == "mx.dest.example");
    CHECK(dest.messages_received == messages);
    CHECK(dest.flows.received == 4 * messages);
    CHECK(r.smtp_bytes == messages * 30000);  // a worm message's default size
}

TEST_CASE("the failed recipients of one message are reported in one NDR",
          "[model][multi-recipient]") {
    // Every recipient made up: each transaction's four recipients all bounce.
    const RunResults four = World(spam_world(4, 1.0, false), {1, 0, false}).run();
    const std::uint64_t messages = four.messages[kSpam];
    REQUIRE(messages > 50);
    CHECK(count(four, Origin::Spam, Fate::Bounced) == 4 * messages);
    CHECK(ndrs_of(four, "mx.dest.example") == messages);  // not 4 x messages
    CHECK(four.ndr_recipients == 4 * messages);
    CHECK(four.messages[static_cast<std::size_t>(Origin::Ndr)] == messages);
    CHECK(four.backscatter_delivered == messages);

    // One recipient a transaction: an NDR each. (The worm's stream draws the
    // further recipients too, so the arrivals differ a little from the run above.)
    const RunResults one = World(spam_world(1, 1.0, false), {1, 0, false}).run();
    CHECK(ndrs_of(one, "mx.dest.example") == one.messages[kSpam]);
    CHECK(one.ndr_recipients == one.messages[kSpam]);
}

TEST_CASE("a mixed transaction: one NDR for the recipients that failed, none if none did",
          "[model][multi-recipient]") {
    const Scenario s = spam_world(5, 0.3, false);
    World w(s, {1, 0, true});
    const RunResults r = w.run();
    const std::uint64_t messages = r.messages[kSpam];
    const std::uint64_t bounced = count(r, Origin::Spam, Fate::Bounced);
    CHECK(bounced + count(r, Origin::Spam, Fate::Delivered) == 5 * messages);
    CHECK(r.ndr_recipients == bounced);
    // The NDRs, counted from the trace: a notice's first step is "queue accepted",
    // naming the message it reports on.
    std::uint64_t ndrs = 0;
    for (const TraceRecord& t : w.trace())
        ndrs += t.action == "accepted" && t.stage == "queue" && t.parent != kNoMessage;
    CHECK(ndrs_of(r, "mx.dest.example") == ndrs);
    CHECK(ndrs < bounced);  // several failed recipients share an NDR
    CHECK(ndrs > 0);
}

TEST_CASE("refused at RCPT: each recipient gets its own answer in one session",
          "[model][multi-recipient]") {
    const RunResults r = World(spam_world(4, 0.5, true), {1, 0, false}).run();
    const std::uint64_t messages = r.messages[kSpam];
    const std::uint64_t rejected = count(r, Origin::Spam, Fate::Rejected);
    const std::uint64_t delivered = count(r, Origin::Spam, Fate::Delivered);
    CHECK(rejected + delivered == 4 * messages);
    CHECK(rejected > 0);
    CHECK(delivered > 0);
    CHECK(bot_sessions(r) == messages);
    CHECK(ndrs_of(r, "mx.dest.example") == 0);  // refused in SMTP: no bounce at all
}

namespace {

// The spammer aims at dest.example's backup MX, a relay of `flavor` without a
// recipient list, which passes each message on to the primary.
Scenario relayed_spam_world(MtaFlavor flavor, int recipients, double made_up_share,
                            std::optional<int> limit) {
    Scenario s = spam_world(recipients, made_up_share, true);
    MtaSpec relay;
    relay.flavor = flavor;
    relay.recipient_limit = limit;
    relay.relay_domains.push_back({"dest.example", RecipientCheck::None, std::nullopt});
    add_host(s, "relay.isp.example", relay);
    s.domains[0].initial.mx.push_back({20, "relay.isp.example"});
    s.traffic.worms[0].backup_mx_share = 1.0;
    return s;
}

std::uint64_t sessions_of(const RunResults& r, const std::string& host) {
    for (const MtaResults& m : r.mtas)
        if (m.host == host) return m.smtp_sessions;
    return 0;
}

}  // namespace

TEST_CASE("a relay delivers a message's recipients for one destination together",
          "[model][multi-recipient]") {
    for (const MtaFlavor flavor : {MtaFlavor::Postfix, MtaFlavor::Exim, MtaFlavor::Sendmail}) {
        INFO("flavor " << static_cast<int>(flavor));
        const RunResults r =
            World(relayed_spam_world(flavor, 4, 0.0, std::nullopt), {1, 0, false}).run();
        const std::uint64_t messages = r.messages[kSpam];
        REQUIRE(messages > 50);
        CHECK(count(r, Origin::Spam, Fate::Delivered) == 4 * messages);
        // One transaction of four RCPTs from the relay to the primary per message.
        CHECK(sessions_of(r, "relay.isp.example") == messages);
        CHECK(r.mtas[0].messages_received == messages);  // the primary
        CHECK(r.mtas[2].messages_received == messages);  // the relay
    }
    // Postfix splits a message's recipients at default_destination_recipient_limit.
    const RunResults split =
        World(relayed_spam_world(MtaFlavor::Postfix, 4, 0.0, 2), {1, 0, false}).run();
    CHECK(sessions_of(split, "relay.isp.example") == 2 * split.messages[kSpam]);
    CHECK(count(split, Origin::Spam, Fate::Delivered) == 4 * split.messages[kSpam]);
    // So does Exim at its transport's max_rcpt (4 = 3 + 1).
    const RunResults exim =
        World(relayed_spam_world(MtaFlavor::Exim, 4, 0.0, 3), {1, 0, false}).run();
    CHECK(sessions_of(exim, "relay.isp.example") == 2 * exim.messages[kSpam]);
}

TEST_CASE("the recipient limit's defaults follow each flavor's source",
          "[model][multi-recipient]") {
    MtaSpec m;
    CHECK(recipient_limit(m) == 50);  // Postfix default_destination_recipient_limit
    m.flavor = MtaFlavor::Exim;
    CHECK(recipient_limit(m) == 100);  // smtp transport max_rcpt
    m.flavor = MtaFlavor::Sendmail;
    CHECK(recipient_limit(m) == 100);  // conf.h DEFAULT_MAX_RCPT
    m.recipient_limit = 7;
    CHECK(recipient_limit(m) == 7);
}

TEST_CASE("a relay that the primary refuses bounces a message's recipients in one NDR",
          "[model][multi-recipient]") {
    // Every recipient made up: the primary refuses each at RCPT (550 5.1.1), the
    // relay holds the message, so it bounces them: one NDR per message.
    const RunResults r =
        World(relayed_spam_world(MtaFlavor::Postfix, 3, 1.0, std::nullopt), {1, 0, false}).run();
    const std::uint64_t messages = r.messages[kSpam];
    REQUIRE(messages > 50);
    CHECK(count(r, Origin::Spam, Fate::Bounced) == 3 * messages);
    CHECK(ndrs_of(r, "relay.isp.example") == messages);
    CHECK(r.ndr_recipients == 3 * messages);
    CHECK(sessions_of(r, "relay.isp.example") >= messages);  // and the NDRs' own
}
