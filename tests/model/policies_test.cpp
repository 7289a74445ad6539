// policies_test.cpp - the receiving policies of issue 4 in small worlds: virus scanning
// (reject at DATA, notify, discard), vacation auto-replies (RFC 3834), mailbox quotas,
// reject_multi_recipient_bounce, Exim's smoothed rate limit, and ramp schedules.
#include <catch2/catch.hpp>

#include <cmath>

#include "model/auto_reply.hpp"
#include "model/ramp.hpp"
#include "model/world.hpp"
#include "scenario_builder.hpp"

using namespace mxsim;
using namespace mxsim::testing;
using model::Fate;
using model::Origin;
using sim::kDay;
using sim::kHour;
using sim::kSecond;

namespace {

std::uint64_t fates(const RunResults& r, Origin o, Fate f) {
    return r.fates[static_cast<std::size_t>(o)][static_cast<std::size_t>(f)];
}

std::uint64_t sent(const RunResults& r, Origin o) {
    std::uint64_t n = 0;
    for (const std::uint64_t v : r.fates[static_cast<std::size_t>(o)])
        n += v;
    return n;
}

// A worm whose bots are added to the world, as the scenario loader does.
WormSpec& add_worm(Scenario& s, const std::string& name, double rate_per_hour, int bots) {
    WormSpec w;
    w.name = name;
    w.rate_per_hour = rate_per_hour;
    w.infected_hosts = bots;
    for (int i = 0; i < bots; ++i)
        add_host(s, worm_bot_name(name, i), std::nullopt);
    s.traffic.worms.push_back(w);
    return s.traffic.worms.back();
}

// dest.example (bob) behind mx1 and a backup MX without a recipient list;
// victim.example (carol), whose address the worm forges.
Scenario virus_world(VirusAction action) {
    Scenario s = sender_and_dest(true);
    s.duration = kDay;
    s.hosts[1].mta->virus_scan = action;
    add_host(s, "mx.victim.example", postfix_for({"victim.example"}));
    add_domain(s, "victim.example", {{10, "mx.victim.example"}}, {"carol"});
    WormSpec& w = add_worm(s, "klez", 10, 2);
    w.address_book = {addr("bob@dest.example")};
    w.forged_senders = {addr("carol@victim.example")};
    return s;
}

const model::TraceRecord* step_of(const std::vector<model::TraceRecord>& trace, MessageId m,
                                  const std::string& stage, const std::string& action) {
    for (const model::TraceRecord& t : trace)
        if (t.msg == m && t.stage == stage && t.action == action) return &t;
    return nullptr;
}

}  // namespace

// ---- 1. virus policy ---------------------------------------------------------------------

TEST_CASE("virus scan, reject at DATA: the worm's engine fails, no NDR, no backscatter",
          "[model][virus]") {
    const Scenario scenario = virus_world(VirusAction::Reject);
    model::World w(scenario, {1, 0, true});
    const RunResults r = w.run();
    const std::uint64_t worms = sent(r, Origin::Worm);
    REQUIRE(worms > 300);  // 2 bots x 10/h x 24 h = 480 expected
    CHECK(fates(r, Origin::Worm, Fate::Rejected) == worms);
    CHECK(sent(r, Origin::Ndr) == 0);
    CHECK(r.backscatter_delivered == 0);
    const model::TraceRecord* data = step_of(w.trace(), 0, "data", "rejected");
    REQUIRE(data != nullptr);
    CHECK(data->code == 554);
    CHECK(data->enhanced == "5.7.1");
    CHECK(data->reason.find("VIRUS") != std::string::npos);
    CHECK(step_of(w.trace(), 0, "rcpt", "accepted") != nullptr);  // refused after RCPT
}

TEST_CASE(
    "virus scan, reject at DATA behind an open backup MX: the backup bounces to the "
    "forged sender",
    "[model][virus]") {
    Scenario s = virus_world(VirusAction::Reject);
    s.traffic.worms[0].backup_mx_share = 1;
    model::World w(s, {1, 0, true});
    const RunResults r = w.run();
    const std::uint64_t worms = sent(r, Origin::Worm);
    REQUIRE(worms > 300);
    CHECK(fates(r, Origin::Worm, Fate::Bounced) == worms);
    CHECK(r.mtas[2].ndrs_generated == worms);  // backup.isp.example wrote every NDR
    CHECK(r.backscatter_delivered == worms);
    REQUIRE(r.backscatter_victims.size() == 1);
    CHECK(r.backscatter_victims[0].first == "carol@victim.example");
    // The backup's NDR quotes the end-of-DATA reply (smtp_trouble.c).
    bool quoted = false;
    for (const model::TraceRecord& t : w.trace())
        quoted |= t.action == "bounced" &&
                  t.reason.find("(in reply to end of DATA command)") != std::string::npos;
    CHECK(quoted);
}

TEST_CASE("virus scan, notify: every worm copy becomes an antivirus notice to the forged sender",
          "[model][virus]") {
    const Scenario scenario = virus_world(VirusAction::Notify);
    const RunResults r = model::World(scenario, {1, 0, false}).run();
    const std::uint64_t worms = sent(r, Origin::Worm);
    REQUIRE(worms > 300);
    CHECK(fates(r, Origin::Worm, Fate::Discarded) == worms);
    CHECK(sent(r, Origin::AvNotice) == worms);
    CHECK(fates(r, Origin::AvNotice, Fate::Delivered) == worms);
    CHECK(r.backscatter_delivered == worms);  // classic AV backscatter
    CHECK(sent(r, Origin::Ndr) == 0);
    CHECK(r.mtas[1].flows.discarded == worms);
}

TEST_CASE("virus scan, discard: accepted and dropped, nobody hears of it", "[model][virus]") {
    const Scenario scenario = virus_world(VirusAction::Discard);
    const RunResults r = model::World(scenario, {1, 0, false}).run();
    const std::uint64_t worms = sent(r, Origin::Worm);
    REQUIRE(worms > 300);
    CHECK(fates(r, Origin::Worm, Fate::Discarded) == worms);
    CHECK(sent(r, Origin::AvNotice) == 0);
    CHECK(r.backscatter_delivered == 0);
}

TEST_CASE("virus scan: spam carries no virus unless its spec says so", "[model][virus]") {
    Scenario s = virus_world(VirusAction::Reject);
    s.traffic.worms[0].spam = true;
    RunResults r = model::World(s, {1, 0, false}).run();
    CHECK(fates(r, Origin::Spam, Fate::Delivered) == sent(r, Origin::Spam));
    s.traffic.worms[0].virus = true;
    r = model::World(s, {1, 0, false}).run();
    CHECK(fates(r, Origin::Spam, Fate::Rejected) == sent(r, Origin::Spam));
}

// ---- 2. vacation auto-replies ----------------------------------------------------------------

namespace {

Scenario vacation_world() {
    Scenario s = sender_and_dest(false);
    s.duration = 10 * kDay;
    s.domains[0].mailboxes = {"alice", "dave"};
    s.domains[1].vacation = AutoReplySpec{};
    add_message(s, 0, "alice@sender.example", "bob@dest.example", "mx.sender.example");
    add_message(s, 1 * kHour, "alice@sender.example", "bob@dest.example", "mx.sender.example");
    add_message(s, 2 * kDay, "alice@sender.example", "bob@dest.example", "mx.sender.example");
    add_message(s, 8 * kDay, "alice@sender.example", "bob@dest.example", "mx.sender.example");
    add_message(s, 3 * kHour, "<>", "bob@dest.example", "mx.sender.example");
    StreamSpec news;
    news.name = "news";
    news.from = {addr("dave@sender.example")};
    news.to = {addr("bob@dest.example")};
    news.via = "mx.sender.example";
    news.rate_per_hour = 2;
    news.bulk = true;
    s.traffic.streams.push_back(news);
    return s;
}

}  // namespace

TEST_CASE("RFC 3834: one auto-reply per sender per 7 days, never to <> or bulk mail",
          "[model][vacation]") {
    const Scenario scenario = vacation_world();
    model::World w(scenario, {1, 0, true});
    const RunResults r = w.run();
    REQUIRE(fates(r, Origin::Legit, Fate::Delivered) > 100);  // the bulk stream arrived
    // alice at 0h (answered), 1h and 2d (within 7 days: not), 8d (answered again).
    CHECK(sent(r, Origin::AutoReply) == 2);
    CHECK(fates(r, Origin::AutoReply, Fate::Delivered) == 2);
    for (const model::Message& m : w.messages())
        if (m.origin == Origin::AutoReply) {
            CHECK(w.address_text(m.recipient) == "alice@sender.example");
            CHECK(m.sender.is_null());  // RFC 3834 section 3.3
        }
    CHECK(r.backscatter_delivered == 0);  // alice did send her mail
}

TEST_CASE("vacation: a shorter period answers more often, vacation(1) replies from the mailbox",
          "[model][vacation]") {
    Scenario s = vacation_world();
    s.domains[1].vacation->period = kDay;
    s.domains[1].vacation->null_sender = false;
    model::World w(s, {1, 0, true});
    const RunResults r = w.run();
    CHECK(sent(r, Origin::AutoReply) == 3);  // 0h, 2d, 8d
    for (const model::Message& m : w.messages())
        if (m.origin == Origin::AutoReply) CHECK(w.address_text(m.sender) == "bob@dest.example");
}

TEST_CASE("vacation: replies to a forged sender are backscatter, mailboxes not listed stay quiet",
          "[model][vacation]") {
    Scenario s = vacation_world();
    s.traffic.messages.clear();
    s.traffic.streams.clear();
    s.domains[1].mailboxes = {"bob", "eve"};
    add_host(s, "mx.victim.example", postfix_for({"victim.example"}));
    add_domain(s, "victim.example", {{10, "mx.victim.example"}}, {"carol"});
    WormSpec& w = add_worm(s, "spammer", 2, 2);
    w.spam = true;
    w.address_book = {addr("bob@dest.example"), addr("eve@dest.example")};
    w.forged_senders = {addr("carol@victim.example")};
    RunResults r = model::World(s, {1, 0, false}).run();
    REQUIRE(fates(r, Origin::Spam, Fate::Delivered) > 500);
    // bob and eve answer carol once each in days 0-7, and again after day 7.
    CHECK(sent(r, Origin::AutoReply) == 4);
    CHECK(r.backscatter_delivered == 4);
    s.domains[1].vacation->mailboxes = {"eve"};
    r = model::World(s, {1, 0, false}).run();
    CHECK(sent(r, Origin::AutoReply) == 2);
    CHECK(model::may_auto_reply(model::Message{}) == false);  // sender <>
}

// ---- 3. quotas -------------------------------------------------------------------------------

namespace {

// Three 4000-byte messages to bob, whose quota holds two.
Scenario quota_world(QuotaCheck check) {
    Scenario s = sender_and_dest(false);
    s.hosts[1].mta->mailbox_quota = MailboxQuota{10000, check, {}};
    for (int i = 1; i <= 3; ++i)
        add_message(s, i * kHour, "alice@sender.example", "bob@dest.example", "mx.sender.example");
    return s;
}

}  // namespace

TEST_CASE("quota without a check at RCPT: local(8) accepts, then bounces 5.2.2", "[model][quota]") {
    const Scenario scenario = quota_world(QuotaCheck::None);
    model::World w(scenario, {1, 0, true});
    const RunResults r = w.run();
    CHECK(fates(r, Origin::Legit, Fate::Delivered) == 2);
    CHECK(fates(r, Origin::Legit, Fate::Bounced) == 1);
    CHECK(r.mtas[1].ndrs_generated == 1);  // the final MTA writes the NDR
    CHECK(r.mtas[0].ndrs_generated == 0);
    const model::TraceRecord* bounce = step_of(w.trace(), 2, "queue", "bounced");
    REQUIRE(bounce != nullptr);
    CHECK(bounce->enhanced == "5.2.2");
    CHECK(bounce->reason ==
          "cannot update mailbox /var/mail/bob for user bob. error writing message: File too "
          "large");
}

TEST_CASE("quota checked at RCPT: 552 makes the sender's MTA bounce, 452 makes it retry",
          "[model][quota]") {
    SECTION("552 5.2.2") {
        const Scenario scenario = quota_world(QuotaCheck::Reject);
        model::World w(scenario, {1, 0, true});
        const RunResults r = w.run();
        CHECK(fates(r, Origin::Legit, Fate::Delivered) == 2);
        CHECK(fates(r, Origin::Legit, Fate::Bounced) == 1);
        CHECK(r.mtas[0].ndrs_generated == 1);  // mx.sender.example, not the full mailbox's MTA
        CHECK(r.mtas[1].ndrs_generated == 0);
        const model::TraceRecord* rcpt = step_of(w.trace(), 2, "rcpt", "rejected");
        REQUIRE(rcpt != nullptr);
        CHECK(rcpt->code == 552);
        CHECK(rcpt->reason == "<bob@dest.example>: Recipient address rejected: Mailbox is full");
    }
    SECTION("452 4.2.2") {
        const Scenario scenario = quota_world(QuotaCheck::Defer);
        model::World w(scenario, {1, 0, true});
        const RunResults r = w.run();
        CHECK(fates(r, Origin::Legit, Fate::Delivered) == 2);
        CHECK(fates(r, Origin::Legit, Fate::Expired) == 1);  // nothing drains the mailbox
        const model::TraceRecord* end = step_of(w.trace(), 2, "queue", "expired");
        REQUIRE(end != nullptr);
        CHECK(end->enhanced == "4.2.2");
        // Postfix's maximal_queue_lifetime (5d) after its arrival at 3h.
        CHECK(end->t >= 3 * kHour + 5 * kDay);
        CHECK(end->t < 3 * kHour + 5 * kDay + 4000 * kSecond);
    }
}

TEST_CASE("quota: a mailbox listed full bounces from the first message", "[model][quota]") {
    Scenario s = quota_world(QuotaCheck::None);
    s.hosts[1].mta->mailbox_quota->full = {"bob@dest.example"};
    const RunResults r = model::World(s, {1, 0, false}).run();
    CHECK(fates(r, Origin::Legit, Fate::Bounced) == 3);
}

// ---- 4. reject_multi_recipient_bounce
// ------------------------------------------------------------

namespace {

Scenario fake_bounce_world(bool restriction, int recipients, double null_share) {
    Scenario s = sender_and_dest(false);
    s.duration = kDay;
    s.hosts[1].mta->reject_multi_recipient_bounce = restriction;
    WormSpec& w = add_worm(s, "spammer", 10, 2);
    w.spam = true;
    w.address_book = {addr("bob@dest.example")};
    w.forged_senders = {addr("alice@sender.example")};
    w.recipients_per_message = recipients;
    w.null_sender_share = null_share;
    return s;
}

}  // namespace

TEST_CASE("reject_multi_recipient_bounce: <> with several recipients is refused at DATA",
          "[model][multi-recipient]") {
    const Scenario scenario = fake_bounce_world(true, 3, 1.0);
    model::World w(scenario, {1, 0, true});
    const RunResults r = w.run();
    const std::uint64_t spam = sent(r, Origin::Spam);
    REQUIRE(spam > 300);
    CHECK(fates(r, Origin::Spam, Fate::Rejected) == spam);
    const model::TraceRecord* data = step_of(w.trace(), 0, "data", "rejected");
    REQUIRE(data != nullptr);
    CHECK(data->code == 550);
    CHECK(data->enhanced == "5.5.3");
    CHECK(data->reason == "<DATA>: Data command rejected: Multi-recipient bounce");

    // Three recipients a message: the messages (transactions) are a third.
    const std::uint64_t messages = r.messages[static_cast<std::size_t>(Origin::Spam)];
    CHECK(spam == 3 * messages);

    const Scenario no_restriction = fake_bounce_world(false, 3, 1.0);
    RunResults off = model::World(no_restriction, {1, 0, false}).run();
    CHECK(fates(off, Origin::Spam, Fate::Delivered) == spam);  // same flood, no restriction
    const Scenario one_recipient = fake_bounce_world(true, 1, 1.0);
    RunResults single = model::World(one_recipient, {1, 0, false}).run();
    // One recipient: a bounce, let through; the same transactions, a recipient each.
    CHECK(fates(single, Origin::Spam, Fate::Delivered) == messages);
}

TEST_CASE("null_sender_share: only the messages sent from <> are refused",
          "[model][multi-recipient]") {
    const Scenario scenario = fake_bounce_world(true, 2, 0.5);
    model::World w(scenario, {1, 0, true});
    const RunResults r = w.run();
    const std::uint64_t spam = sent(r, Origin::Spam);
    const std::uint64_t refused = fates(r, Origin::Spam, Fate::Rejected);
    CHECK(refused + fates(r, Origin::Spam, Fate::Delivered) == spam);
    // Two recipients a message, both refused or neither: Binomial(messages, 0.5)
    // refused messages, within 4 standard deviations.
    const double messages = static_cast<double>(r.messages[static_cast<std::size_t>(Origin::Spam)]);
    CHECK(static_cast<double>(spam) == 2 * messages);
    CHECK(refused % 2 == 0);
    CHECK(std::abs(static_cast<double>(refused) / 2 - messages / 2) < 4 * std::sqrt(messages / 4));
    for (const model::Message& m : w.messages())
        if (m.origin == Origin::Spam) CHECK((m.fate == Fate::Rejected) == m.sender.is_null());
}

// ---- 5. Exim's smoothed rate limit
// ---------------------------------------------------------------

namespace {

// Five messages straight from a client to bob at 0, 1200, 1201, 1202 and 2500 s;
// over the limit is 550, so each message is either delivered or rejected.
std::vector<Fate> rate_limited(const MailboxRateLimit& limit) {
    Scenario s = sender_and_dest(false);
    s.duration = kDay;
    s.hosts[1].mta->mailbox_rate_limit = limit;
    add_host(s, "client.example", std::nullopt);
    for (const int at : {0, 1200, 1201, 1202, 2500})
        add_message(s, at * kSecond, "alice@sender.example", "bob@dest.example", "client.example")
            .direct = true;
    model::World w(s, {1, 0, true});
    w.run();
    std::vector<Fate> out;
    for (const model::Message& m : w.messages())
        out.push_back(m.fate);
    return out;
}

}  // namespace

TEST_CASE("mailbox rate limit: Exim's smoothed rate, worked by hand, against the token bucket",
          "[model][rate-limit]") {
    const Fate P = Fate::Delivered;
    const Fate O = Fate::Rejected;
    MailboxRateLimit limit;
    limit.burst = 3;
    limit.per_hour = 3;
    limit.over_limit = OverLimitAction::Reject;
    // Token bucket, 3 tokens, 3/h: 3 left after 0 s (full again by 1200 s), so
    // 1200..1202 take the last 3; by 2500 s 1.08 tokens have come back.
    CHECK(rate_limited(limit) == std::vector<Fate>{P, P, P, P, P});
    // Exim, m = 3 per p = 1h, RCPT about 0.1 s after each send: rate 1 (new
    // key); at 1200 s, x = i/p = 1/3, a = e^-x = 0.7165: (1-a)/x + a*1 = 1.567;
    // 1201 s: 2.566; 1202 s: 3.566 >= 3, over (leaky: record kept at 1201 s);
    // 2500 s: x = 0.3608, a = 0.6971: 0.8393 + 0.6971*2.566 = 2.63 < 3, passes.
    limit.algorithm = RateAlgorithm::EximSmoothed;
    CHECK(rate_limited(limit) == std::vector<Fate>{P, P, P, O, P});
    // strict: the refused 1202 s attempt is recorded (3.566), so at 2500 s
    // 0.8393 + 0.6973*3.566 = 3.33 stays over.
    limit.strict = true;
    CHECK(rate_limited(limit) == std::vector<Fate>{P, P, P, O, O});
}

// ---- 6. ramp schedules -----------------------------------------------------------------------

TEST_CASE("ramp_rate: zero before the first point, linear between, flat after", "[model][ramp]") {
    const std::vector<RampPoint> ramp{{1 * kHour, 10}, {3 * kHour, 30}, {4 * kHour, 0}};
    CHECK(model::ramp_rate(ramp, 0) == 0);
    CHECK(model::ramp_rate(ramp, 1 * kHour) == 10);
    CHECK(model::ramp_rate(ramp, 2 * kHour) == Approx(20));
    CHECK(model::ramp_rate(ramp, 3 * kHour + 30 * sim::kMinute) == Approx(15));
    CHECK(model::ramp_rate(ramp, 9 * kHour) == 0);
}

// Issue 12: thinning across a silence at a high peak rate would draw about
// peak x length candidates (here 2.4 x 10^12); the silence is skipped.
TEST_CASE("a ramp's silent stretches are skipped, and a silence for good ends the source",
          "[model][ramp]") {
    sim::RandomStream rng(1, "ramp-silence", 0);
    const std::vector<RampPoint> late{{0, 0}, {99 * sim::kDay, 0}, {100 * sim::kDay, 1e9}};
    const auto first = model::next_ramp_arrival(late, 1.0, 0, 101 * sim::kDay, rng);
    REQUIRE(first);
    CHECK(*first > 99 * sim::kDay);
    CHECK(*first < 100 * sim::kDay);
    const std::vector<RampPoint> ends{{0, 5}, {sim::kDay, 0}};
    CHECK_FALSE(model::next_ramp_arrival(ends, 1.0, 2 * sim::kDay, 30 * sim::kDay, rng));
    CHECK_FALSE(model::next_ramp_arrival(late, 1.0, 0, 98 * sim::kDay, rng));
}

namespace {

Scenario ramp_world() {
    Scenario s = sender_and_dest(false);
    s.duration = 10 * kHour;
    StreamSpec ramped;
    ramped.name = "ramped";
    ramped.from = {addr("alice@sender.example")};
    ramped.to = {addr("bob@dest.example")};
    ramped.via = "mx1.dest.example";  // local delivery at once: one delivery per arrival
    ramped.ramp = {{0, 0}, {10 * kHour, 1000}};
    s.traffic.streams.push_back(ramped);
    return s;
}

}  // namespace

TEST_CASE("a ramped stream's hourly counts follow the ramp (Poisson, 4 sigma)", "[model][ramp]") {
    const Scenario scenario = ramp_world();
    const RunResults r = model::World(scenario, {1, 0, false}).run();
    REQUIRE(r.delivered_per_bin.size() == 10);
    double total = 0;
    for (std::size_t k = 0; k < 10; ++k) {
        // The integral of 100 t per hour over [k, k+1) h.
        const double mean = 100.0 * static_cast<double>(k) + 50.0;
        INFO("hour " << k);
        CHECK(std::abs(r.delivered_per_bin[k] - mean) < 4 * std::sqrt(mean));
        total += r.delivered_per_bin[k];
    }
    CHECK(std::abs(total - 5000) < 4 * std::sqrt(5000.0));
}

TEST_CASE("a ramped worm scales with its bots, a ramp keeps its own random stream",
          "[model][ramp]") {
    Scenario s = ramp_world();
    WormSpec& w = add_worm(s, "klez", 1, 4);
    w.address_book = {addr("bob@dest.example")};
    w.ramp = {{5 * kHour, 100}};  // 4 bots x 100/h from 5h on: 2000 expected
    model::World with_worm(s, {1, 0, true});
    const RunResults r = with_worm.run();
    const double worms = static_cast<double>(sent(r, Origin::Worm));
    CHECK(std::abs(worms - 2000) < 4 * std::sqrt(2000.0));
    for (const model::Message& m : with_worm.messages())
        if (m.origin == Origin::Worm) CHECK(m.created >= 5 * kHour);
    // Common random numbers: the stream's arrivals do not move when a worm is added.
    const Scenario alone_scenario = ramp_world();
    model::World alone(alone_scenario, {1, 0, true});
    alone.run();
    std::vector<sim::SimTime> a, b;
    for (const model::Message& m : alone.messages())
        if (m.origin == Origin::Legit) a.push_back(m.created);
    for (const model::Message& m : with_worm.messages())
        if (m.origin == Origin::Legit) b.push_back(m.created);
    CHECK(a.size() > 4000);
    CHECK(a == b);
}
