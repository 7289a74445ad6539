// world_test.cpp - routing, SMTP-time decisions, bounces and the books, end to end.
#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>

#include "model/world.hpp"
#include "scenario_builder.hpp"
#include "sim/random_stream.hpp"

using namespace mxsim;
using namespace mxsim::testing;

namespace {

bool contacted(const World& w, MessageId m, const std::string& host) {
    return std::any_of(w.trace().begin(), w.trace().end(),
                       [&](const TraceRecord& t) { return t.msg == m && t.to == host; });
}

const TraceRecord* first(const World& w, MessageId m, const std::string& action) {
    for (const TraceRecord& t : w.trace())
        if (t.msg == m && t.action == action) return &t;
    return nullptr;
}

}  // namespace

TEST_CASE("RFC 5321 5.1: a soft failure at the primary MX moves on to the backup",
          "[model][routing]") {
    Scenario s = sender_and_dest(true);
    s.duration = sim::kHour;
    s.hosts[1].outages.push_back({{0, 10 * sim::kDay}, OutageMode::Refuse});
    add_message(s, 0, "alice@sender.example", "bob@dest.example", "mx.sender.example");
    World w(s, {1, 0, true});
    w.run();
    const TraceRecord* relayed = first(w, 0, "relayed");
    REQUIRE(relayed != nullptr);
    CHECK(relayed->to == "backup.isp.example");
    CHECK(w.messages()[0].owner == 2);  // the backup MX owns it now
}

TEST_CASE("smtp_trouble.c: a 5xx to RCPT bounces without trying the backup MX",
          "[model][routing]") {
    Scenario s = sender_and_dest(true);
    s.duration = sim::kHour;
    add_message(s, 0, "alice@sender.example", "nobody@dest.example", "mx.sender.example");
    World w(s, {1, 0, true});
    const RunResults r = w.run();
    CHECK(w.messages()[0].fate == Fate::Bounced);
    CHECK_FALSE(contacted(w, 0, "backup.isp.example"));
    const TraceRecord* rcpt = first(w, 0, "rejected");
    REQUIRE(rcpt != nullptr);
    CHECK(rcpt->code == 550);
    CHECK(rcpt->enhanced == "5.1.1");
    CHECK(count(r, Origin::Ndr, Fate::Delivered) == 1);  // back to alice
}

TEST_CASE("relay denied: 454 4.7.1 by default (defer_unauth_destination), 554 5.7.1 when set",
          "[model][policy]") {
    for (const int code : {454, 554}) {
        Scenario s = sender_and_dest(false);
        s.duration = sim::kHour;
        // other.example points its MX at a host that does not handle it.
        add_domain(s, "other.example", {{10, "mx1.dest.example"}}, {"carol"});
        s.hosts[1].mta->defer_unauth_destination = code == 454;
        add_message(s, 0, "alice@sender.example", "carol@other.example", "mx.sender.example");
        World w(s, {1, 0, true});
        w.run();
        const TraceRecord* reply = first(w, 0, code == 454 ? "deferred" : "rejected");
        REQUIRE(reply != nullptr);
        CHECK(reply->code == code);
        CHECK(reply->enhanced == (code == 454 ? "4.7.1" : "5.7.1"));
        CHECK(reply->reason.find("Relay access denied") != std::string::npos);
        CHECK(w.messages()[0].fate == (code == 454 ? Fate::Queued : Fate::Bounced));
    }
}

TEST_CASE("backup MX recipient checks: none accepts, a list rejects 550 5.1.1, verify probes",
          "[model][policy]") {
    const auto run_with = [](RecipientCheck check, bool primary_back_for_probe) {
        Scenario s = sender_and_dest(true);
        s.duration = sim::kHour;
        s.hosts[2].mta->relay_domains[0].check = check;
        // The sender's MTA finds the primary silent, gives up after the 30 s
        // connect timeout and turns to the backup; by the time the backup
        // probes, the primary answers again (or it stays down).
        const SimTime back = primary_back_for_probe ? 30'010 * sim::kMillisecond : 10 * sim::kDay;
        s.hosts[1].outages.push_back({{0, back}, OutageMode::Timeout});
        add_message(s, 0, "alice@sender.example", "nobody@dest.example", "mx.sender.example");
        auto w = std::make_unique<World>(s, WorldOptions{1, 0, true});
        w->run();
        return w;
    };
    SECTION("no recipient list: the backup accepts, then must bounce (backscatter source)") {
        auto w = run_with(RecipientCheck::None, true);
        const TraceRecord* relayed = first(*w, 0, "relayed");
        REQUIRE(relayed != nullptr);
        CHECK(relayed->to == "backup.isp.example");
        const TraceRecord* bounced = first(*w, 0, "bounced");
        REQUIRE(bounced != nullptr);
        CHECK(bounced->from == "backup.isp.example");
    }
    SECTION("relay_recipient_maps: 550 5.1.1 User unknown in relay recipient table") {
        auto w = run_with(RecipientCheck::List, false);
        const TraceRecord* r = first(*w, 0, "rejected");
        REQUIRE(r != nullptr);
        CHECK(r->code == 550);
        CHECK(r->reason.find("relay recipient table") != std::string::npos);
    }
    SECTION("reject_unverified_recipient with the primary down: 450 4.1.1, still pending") {
        auto w = run_with(RecipientCheck::Verify, false);
        const TraceRecord* r = nullptr;
        for (const TraceRecord& t : w->trace())
            if (t.stage == "rcpt" && t.to == "backup.isp.example") r = r ? r : &t;
        REQUIRE(r != nullptr);
        CHECK(r->code == 450);
        CHECK(r->enhanced == "4.1.1");
        CHECK(r->reason.find("Address verification in progress") != std::string::npos);
    }
    SECTION("reject_unverified_recipient, primary up, unknown user: 450 by default") {
        auto w = run_with(RecipientCheck::Verify, true);
        const TraceRecord* r = nullptr;
        for (const TraceRecord& t : w->trace())
            if (t.stage == "rcpt" && t.to == "backup.isp.example") r = r ? r : &t;
        REQUIRE(r != nullptr);
        CHECK(r->code == 450);
        CHECK(r->reason.find("550 5.1.1") != std::string::npos);
    }
}

TEST_CASE("a relay that is its own best MX: mail loops back to myself, 5.4.6", "[model][routing]") {
    Scenario s = sender_and_dest(true);
    s.duration = sim::kHour;
    add_domain(s, "loop.example", {{10, "backup.isp.example"}}, {"dave"});
    s.hosts[2].mta->relay_domains.push_back({"loop.example", RecipientCheck::None, std::nullopt});
    add_message(s, 0, "alice@sender.example", "dave@loop.example", "mx.sender.example");
    World w(s, {1, 0, true});
    w.run();
    CHECK(w.messages()[0].fate == Fate::Bounced);
    const TraceRecord* b = first(w, 0, "bounced");
    REQUIRE(b != nullptr);
    CHECK(b->enhanced == "5.4.6");
    CHECK(b->reason == "mail for loop.example loops back to myself");
    CHECK(b->from == "backup.isp.example");
}

TEST_CASE("RFC 7505: a null MX bounces at once with 5.1.0", "[model][dns]") {
    Scenario s = sender_and_dest(false);
    s.duration = sim::kHour;
    add_domain(s, "nomail.example", {}, {}).initial.null_mx = true;
    add_message(s, 0, "alice@sender.example", "x@nomail.example", "mx.sender.example");
    World w(s, {1, 0, true});
    w.run();
    const TraceRecord* b = first(w, 0, "bounced");
    REQUIRE(b != nullptr);
    CHECK(b->enhanced == "5.1.0");
    CHECK(sim::whole_seconds(b->t) == 0);
}

TEST_CASE("an A-only domain is its own implicit MX (RFC 5321 5.1)", "[model][dns]") {
    Scenario s = sender_and_dest(false);
    s.duration = sim::kHour;
    add_domain(s, "aonly.example", {}, {"erin"}).initial.a_host = "mx1.dest.example";
    s.hosts[1].mta->local_domains.push_back("aonly.example");
    add_message(s, 0, "alice@sender.example", "erin@aonly.example", "mx.sender.example");
    World w(s, {1, 0, true});
    w.run();
    CHECK(w.messages()[0].fate == Fate::Delivered);
}

TEST_CASE("SERVFAIL defers with 4.4.3 and the message goes once the zone answers", "[model][dns]") {
    Scenario s = sender_and_dest(false);
    s.duration = 2 * sim::kHour;
    s.domains[1].servfail.push_back({0, 20 * sim::kMinute});
    add_message(s, 0, "alice@sender.example", "bob@dest.example", "mx.sender.example");
    World w(s, {1, 0, true});
    w.run();
    const TraceRecord* d = first(w, 0, "deferred");
    REQUIRE(d != nullptr);
    CHECK(d->enhanced == "4.4.3");
    CHECK(w.messages()[0].fate == Fate::Delivered);
    const TraceRecord* ok = first(w, 0, "delivered");
    REQUIRE(ok != nullptr);
    CHECK(sim::whole_seconds(ok->t) == 1200);  // the first retry after the window
}

// bounce_notify_service.c: with notify_classes containing 2bounce (or bounce)
// a failed bounce goes to 2bounce_notice_recipient; with bounce the postmaster
// also gets a copy of every bounce. Both come from double-bounce@$myhostname.
TEST_CASE("an NDR that fails is never bounced: it is dropped, or reported to the postmaster",
          "[model][bounce]") {
    struct Case {
        bool bounce, twobounce;
        std::uint64_t notices;
    };
    for (const Case c : {Case{false, false, 0}, Case{false, true, 1}, Case{true, false, 2}}) {
        Scenario s = sender_and_dest(false);
        s.duration = sim::kHour;
        s.hosts[0].mta->notify_bounce = c.bounce;
        s.hosts[0].mta->notify_2bounce = c.twobounce;
        // carol's domain does not exist, so the NDR about her bounced mail fails too.
        add_message(s, 0, "carol@nowhere.example", "nobody@dest.example", "mx.sender.example");
        World w(s, {1, 0, true});
        const RunResults r = w.run();
        INFO("bounce " << c.bounce << ", 2bounce " << c.twobounce);
        CHECK(count(r, Origin::Legit, Fate::Bounced) == 1);
        CHECK(count(r, Origin::Ndr, Fate::Dropped) == 1);
        CHECK(r.mtas[0].ndrs_generated == 1);  // no NDR about the NDR
        CHECK(count(r, Origin::PostmasterNotice, Fate::Delivered) == c.notices);
        for (const Message& m : w.messages())
            if (m.origin == Origin::PostmasterNotice)
                CHECK(w.directory().address(m.sender) == "double-bounce@mx.sender.example");
    }
}

TEST_CASE("a postmaster notice that fails is discarded, never reported again", "[model][bounce]") {
    Scenario s = sender_and_dest(false);
    s.duration = sim::kHour;
    s.hosts[0].mta->notify_bounce = true;
    s.hosts[0].mta->postmaster = "pm@nowhere.example";  // a postmaster that cannot be reached
    s.hosts[0].mta->bounce_notice_recipient = "pm@nowhere.example";
    add_message(s, 0, "carol@nowhere.example", "nobody@dest.example", "mx.sender.example");
    World w(s, {1, 0, true});
    const RunResults r = w.run();
    // The copy of carol's bounce and the report of the failed NDR both fail.
    CHECK(count(r, Origin::PostmasterNotice, Fate::Dropped) == 2);
    CHECK(r.fates[size_t(Origin::PostmasterNotice)][size_t(Fate::Delivered)] == 0);
}

// postfix-queue.md: qmgr logs status=expired for an NDR whose
// bounce_queue_lifetime ran out; bounce(8) then has nobody to tell.
TEST_CASE("an NDR that expires is expired, then dropped", "[model][bounce]") {
    Scenario s = sender_and_dest(false);
    s.duration = 3 * sim::kHour;
    s.hosts[0].mta->postfix.bounce_queue_lifetime = sim::kHour;
    // The NDR to alice at dest.example waits behind a dead MX until it expires.
    s.hosts[1].outages.push_back({{0, 30 * sim::kDay}, OutageMode::Refuse});
    add_message(s, 0, "alice@dest.example", "nobody@sender.example", "mx.sender.example");
    World w(s, {1, 0, true});
    const RunResults r = w.run();
    CHECK(count(r, Origin::Ndr, Fate::Expired) == 1);
    CHECK(count(r, Origin::Ndr, Fate::Dropped) == 0);
    std::vector<std::string> last;
    for (const TraceRecord& t : w.trace())
        if (t.msg == 1 && t.stage == "queue") last.push_back(t.action);
    REQUIRE(last.size() >= 2);
    CHECK(last[last.size() - 2] == "expired");
    CHECK(last.back() == "dropped");
}

TEST_CASE("RFC 2308: NXDOMAIN is cached for the negative TTL", "[model][dns]") {
    Scenario s = sender_and_dest(false);
    DomainSpec& d = add_domain(s, "late.example", {{10, "mx1.dest.example"}}, {"x"});
    d.initial.exists = false;
    d.changes.push_back({10 * sim::kSecond, {true, false, {{10, "mx1.dest.example"}}, {}}});
    s.dns.parent_negative_ttl = 900 * sim::kSecond;
    NameTable names;
    const DnsAuthority dns(s, names);
    ResolverCache cache;
    DnsLookup cost;
    const SimTime latency = 20 * sim::kMillisecond;
    const NameId late = *names.find("late.example");
    CHECK(cache.mx(dns, late, 0, latency, cost).rcode == Rcode::NxDomain);
    CHECK(cache.mx(dns, late, 899 * sim::kSecond, latency, cost).rcode == Rcode::NxDomain);
    CHECK(cost.queries == 1);  // cached
    CHECK(cache.mx(dns, late, 900 * sim::kSecond, latency, cost).rcode == Rcode::NoError);
    CHECK(cost.queries == 2);
    CHECK(cost.waited == 0);
}

TEST_CASE("a lookup while the same query is on its way waits for that answer", "[model][dns]") {
    Scenario s = sender_and_dest(false);
    NameTable names;
    const DnsAuthority dns(s, names);
    ResolverCache cache;
    const SimTime latency = 20 * sim::kMillisecond;
    const NameId dest = *names.find("dest.example");
    DnsLookup first, second, later;
    cache.mx(dns, dest, 0, latency, first);
    cache.mx(dns, dest, 5 * sim::kMillisecond, latency, second);
    cache.mx(dns, dest, latency, latency, later);
    CHECK(first.duration(latency) == latency);
    CHECK(second.queries == 0);  // one query to the authority, not two
    CHECK(second.duration(latency) == 15 * sim::kMillisecond);
    CHECK(later.duration(latency) == 0);
}

TEST_CASE("a hop-count loop between two caches that disagree ends in 554 5.4.0",
          "[model][routing]") {
    // flip.example's MX moves from relay-b to relay-a at 60 s. relay-a cached
    // the old answer at t=0; relay-b, down until 100 s, looks it up only after
    // the change. So each relays to the other until cleanup's hopcount_limit
    // (50 Received: headers, counting the receiver's own) stops the message.
    Scenario s = sender_and_dest(false);
    s.duration = 2 * sim::kHour;
    MtaSpec relay;
    relay.relay_domains.push_back({"flip.example", RecipientCheck::None, std::nullopt});
    add_host(s, "relay-a.example", relay);
    add_host(s, "relay-b.example", relay)
        .outages.push_back({{0, 100 * sim::kSecond}, OutageMode::Refuse});
    DomainSpec& d = add_domain(s, "flip.example", {{10, "relay-b.example"}}, {"x"});
    d.changes.push_back({sim::kMinute, {true, false, {{10, "relay-a.example"}}, {}}});
    add_message(s, 0, "alice@sender.example", "x@flip.example", "relay-a.example");
    World w(s, {1, 0, true});
    w.run();
    const Message& m = w.messages()[0];
    CHECK(m.fate == Fate::Bounced);
    CHECK(m.hops == 49);
    const TraceRecord* rej = first(w, 0, "rejected");
    REQUIRE(rej != nullptr);
    CHECK(rej->code == 554);
    CHECK(rej->enhanced == "5.4.0");
}

TEST_CASE("the books balance in randomized worlds", "[model][books]") {
    for (std::uint64_t seed = 1; seed <= 25; ++seed) {
        sim::RandomStream rng(seed, "test.books", 0);
        Scenario s;
        s.name = "random";
        s.duration = 2 * sim::kDay;
        const int hosts = 3 + static_cast<int>(rng.uniform_int(0, 4));
        const int domains = 2 + static_cast<int>(rng.uniform_int(0, 4));
        const auto host = [](int i) { return "h" + std::to_string(i) + ".example"; };
        const auto domain = [](int i) { return "d" + std::to_string(i) + ".example"; };
        for (int h = 0; h < hosts; ++h) {
            MtaSpec m;
            if (rng.bernoulli(0.3)) m.flavor = MtaFlavor::Sendmail;
            m.notify_bounce = rng.bernoulli(0.3);
            m.reject_unlisted_recipient = rng.bernoulli(0.6);
            m.defer_unauth_destination = rng.bernoulli(0.5);
            m.postfix.maximal_queue_lifetime = rng.bernoulli(0.5) ? sim::kDay : 5 * sim::kDay;
            m.postfix.bounce_queue_lifetime = rng.bernoulli(0.5) ? sim::kHour : sim::kDay;
            m.sendmail.queuereturn = sim::kDay;
            m.inbound_session_limit = 1 + static_cast<int>(rng.uniform_int(0, 3));
            HostSpec& hs = add_host(s, host(h), m);
            if (rng.bernoulli(0.4)) {
                const SimTime from = static_cast<SimTime>(rng.uniform_int(0, sim::kDay));
                hs.outages.push_back(
                    {{from, from + static_cast<SimTime>(rng.uniform_int(1, sim::kDay))},
                     rng.bernoulli(0.5) ? OutageMode::Refuse : OutageMode::Timeout});
            }
        }
        for (int d = 0; d < domains; ++d) {
            const int home = static_cast<int>(rng.uniform_int(0, hosts - 1));
            std::vector<MxRecord> mx{{10, host(home)}};
            s.hosts[home].mta->local_domains.push_back(domain(d));
            const int backup = static_cast<int>(rng.uniform_int(0, hosts - 1));
            if (backup != home && rng.bernoulli(0.6)) {
                mx.push_back({20, host(backup)});
                s.hosts[backup].mta->relay_domains.push_back(
                    {domain(d), static_cast<RecipientCheck>(rng.uniform_int(0, 2)), std::nullopt});
            }
            DomainSpec& ds = add_domain(s, domain(d), mx, {"u0", "u1", "u2"});
            if (rng.bernoulli(0.3))
                ds.changes.push_back(
                    {static_cast<SimTime>(rng.uniform_int(1, sim::kDay)), {false, false, {}, {}}});
            if (rng.bernoulli(0.2)) ds.servfail.push_back({sim::kHour, 3 * sim::kHour});
        }
        for (int st = 0; st < 3; ++st) {
            StreamSpec stream;
            stream.name = "s" + std::to_string(st);
            for (int i = 0; i < 4; ++i) {
                const auto pick_domain =
                    rng.uniform_int(0, domains);  // == domains: a nonexistent one
                stream.from.push_back({"u" + std::to_string(rng.uniform_int(0, 3)),
                                       domain(static_cast<int>(pick_domain))});
                stream.to.push_back({"u" + std::to_string(rng.uniform_int(0, 3)),
                                     domain(static_cast<int>(rng.uniform_int(0, domains)))});
            }
            stream.via = host(static_cast<int>(rng.uniform_int(0, hosts - 1)));
            stream.direct = rng.bernoulli(0.3);
            stream.rate_per_hour = 20;
            s.traffic.streams.push_back(stream);
        }
        INFO("seed " << seed);
        World w(s, {seed, 0, false});
        RunResults r;
        REQUIRE_NOTHROW(r = w.run());  // run() checks the books itself
        std::uint64_t total = 0, queued = 0;
        for (const auto& row : r.fates)
            for (std::size_t f = 0; f < kFateCount; ++f)
                total += row[f];
        for (const MtaResults& m : r.mtas)
            queued += m.flows.queued;
        CHECK(total == w.messages_created());
        CHECK_THROWS_AS(w.messages(), std::logic_error);  // settled messages' slots were reused
        // A traced world keeps every message (and recounts every fate): same results.
        World kept(s, {seed, 0, true});
        RunResults k;
        REQUIRE_NOTHROW(k = kept.run());
        CHECK(kept.messages().size() == total);
        CHECK(k.fates == r.fates);
        CHECK(k.events == r.events);
        CHECK(k.backscatter_delivered == r.backscatter_delivered);
        CHECK(k.ndrs_generated_per_bin == r.ndrs_generated_per_bin);
        std::uint64_t unsettled = 0;
        for (const auto& row : r.fates)
            unsettled += row[static_cast<std::size_t>(Fate::Queued)];
        CHECK(unsettled >= queued);  // the rest: direct clients mid-session at the end
    }
}

TEST_CASE("a server at its session limit answers 421 4.3.2, the client defers and retries",
          "[model][policy]") {
    Scenario s = sender_and_dest(false);
    s.duration = sim::kHour;
    s.hosts[1].mta->inbound_session_limit = 1;
    add_message(s, 0, "alice@sender.example", "bob@dest.example", "mx.sender.example");
    add_message(s, 0, "alice@sender.example", "bob@dest.example", "mx.sender.example");
    World w(s, {1, 0, true});
    w.run();
    const TraceRecord* busy = first(w, 1, "deferred");
    REQUIRE(busy != nullptr);
    CHECK(busy->code == 421);
    CHECK(busy->enhanced == "4.3.2");
    CHECK(w.messages()[0].fate == Fate::Delivered);
    CHECK(w.messages()[1].fate == Fate::Delivered);
    const TraceRecord* later = first(w, 1, "delivered");
    REQUIRE(later != nullptr);
    CHECK(sim::whole_seconds(later->t) == 300);
}

TEST_CASE("equal-preference MX hosts are shuffled from a seeded stream (smtp_randomize_addresses)",
          "[model][routing]") {
    const auto share_of_first = [](std::uint64_t seed) {
        Scenario s = sender_and_dest(false);
        s.duration = sim::kHour;
        add_host(s, "mx2.dest.example", postfix_for({"dest.example"}));
        s.domains[1].initial.mx = {{10, "mx1.dest.example"}, {10, "mx2.dest.example"}};
        for (int i = 0; i < 200; ++i)
            add_message(s, i * sim::kSecond, "alice@sender.example", "bob@dest.example",
                        "mx.sender.example");
        World w(s, {seed, 0, true});
        w.run();
        int to_mx1 = 0;
        for (const TraceRecord& t : w.trace())
            if (t.action == "relayed" && t.to == "mx1.dest.example") ++to_mx1;
        return to_mx1;
    };
    const int a = share_of_first(1);
    CHECK(a > 60);
    CHECK(a < 140);
    CHECK(share_of_first(1) == a);  // the same seed, the same choices
}

TEST_CASE("address verification results are cached: a later RCPT needs no probe",
          "[model][policy]") {
    // Postfix address_verify_positive_expire_time = 31d. The first message
    // reaches the backup while the primary is briefly silent; the probe finds
    // bob deliverable. An hour later the primary is silent again for two
    // minutes: a new probe would stay pending (450), the cached answer accepts.
    Scenario s = sender_and_dest(true);
    s.duration = 2 * sim::kHour;
    s.hosts[2].mta->relay_domains[0].check = RecipientCheck::Verify;
    s.hosts[1].outages.push_back({{0, 30'010 * sim::kMillisecond}, OutageMode::Timeout});
    s.hosts[1].outages.push_back(
        {{sim::kHour, sim::kHour + 2 * sim::kMinute}, OutageMode::Timeout});
    add_message(s, 0, "alice@sender.example", "bob@dest.example", "mx.sender.example");
    add_message(s, sim::kHour, "alice@sender.example", "bob@dest.example", "mx.sender.example");
    World w(s, {1, 0, true});
    w.run();
    for (const MessageId m : {0u, 1u}) {
        const TraceRecord* relayed = first(w, m, "relayed");
        REQUIRE(relayed != nullptr);
        CHECK(relayed->to == "backup.isp.example");
    }
    const bool refused_at_rcpt =
        std::any_of(w.trace().begin(), w.trace().end(), [](const TraceRecord& t) {
            return t.msg == 1 && t.stage == "rcpt" && t.action != "accepted";
        });
    CHECK_FALSE(refused_at_rcpt);  // accepted at once from the cache
}

// Issue 11 point 2: a message deferred during a scan (here "delivery temporarily
// suspended") must not push the MTA's next scan past entries due earlier.
// A (t=0) fails at 0, 300, 600, 1200 and 2400 s (age-based backoff); B (t=2200)
// fails at 2200 and throttles the destination until 2500, so its next scan is
// 2700. At the 2400 scan A is suspended and deferred to 4800: B must still be
// taken at 2700 (before the fix it waited until 4800). A window of 1 makes
// one failure a whole failed cohort (qmgr_queue_throttle), so B's throttles.
TEST_CASE("no queue scan lost: a deferral during a scan keeps earlier entries' scans",
          "[model][postfix]") {
    Scenario s = sender_and_dest(false);
    s.duration = 2 * sim::kHour;
    s.hosts[0].mta->concurrency.initial = 1;
    s.hosts[1].outages.push_back({{0, 10 * sim::kDay}, OutageMode::Refuse});
    add_message(s, 0, "alice@sender.example", "bob@dest.example", "mx.sender.example");
    add_message(s, 2200 * sim::kSecond, "alice@sender.example", "bob@dest.example",
                "mx.sender.example");
    World w(s, {1, 0, true});
    w.run();
    std::vector<double> b_connects;  // when B connected (seconds)
    for (const TraceRecord& t : w.trace())
        if (t.msg == 1 && t.stage == "connect") b_connects.push_back(sim::to_seconds(t.t));
    REQUIRE(b_connects.size() >= 2);
    CHECK(b_connects[0] == Approx(2200).margin(1));
    CHECK(b_connects[1] == Approx(2700).margin(1));
    // The premise: at the 2400 scan A was suspended, without a connection.
    bool a_suspended = false;
    for (const TraceRecord& t : w.trace())
        a_suspended |= t.msg == 0 && sim::whole_seconds(t.t) == 2400 &&
                       t.reason.rfind("delivery temporarily suspended", 0) == 0;
    CHECK(a_suspended);
}

// smtp_addr.c, smtp_addr_list() and smtp_domain_addr(): MX hosts without an
// address are passed over while one has an address; when none has, the last
// lookup's 5.4.4 bounces the mail, or defers it (4.4.4) with
// smtp_defer_if_no_mx_address_found = yes.
TEST_CASE("an MX host without an address: skipped, or 5.4.4 when no MX host has one",
          "[model][routing]") {
    struct Run {
        std::unique_ptr<Scenario> scenario;  // the World keeps a reference to it
        std::unique_ptr<World> world;
        RunResults results;
        const World* operator->() const { return world.get(); }
    };
    const auto run = [](std::vector<MxRecord> mx, bool defer) {
        Run r{std::make_unique<Scenario>(sender_and_dest(false)), nullptr, {}};
        Scenario& s = *r.scenario;
        s.duration = sim::kHour;
        s.domains[1].initial.mx = std::move(mx);  // dest.example
        s.domains[1].spf_hard_fail = true;        // its policy lists only hosts with addresses
        s.hosts[0].mta->smtp_defer_if_no_mx_address_found = defer;
        add_message(s, 0, "alice@sender.example", "bob@dest.example", "mx.sender.example");
        r.world = std::make_unique<World>(s, WorldOptions{1, 0, true});
        r.results = r.world->run();
        return r;
    };
    const MxRecord retired{10, "old-mx.dest.example", false};
    const Run none = run({retired}, false);
    CHECK(none.results.mtas[0].dns_queries == 1);  // the MX query, charged once
    const TraceRecord* bounced = first(*none.world, 0, "rejected");
    REQUIRE(bounced != nullptr);
    CHECK(bounced->stage == "dns");
    CHECK(bounced->enhanced == "5.4.4");
    CHECK(bounced->reason ==
          "Host or domain name not found. Name service error for name=old-mx.dest.example "
          "type=A: Host not found");
    CHECK(none->messages()[0].fate == Fate::Bounced);

    const Run deferred = run({retired}, true);
    const TraceRecord* d = first(*deferred.world, 0, "deferred");
    REQUIRE(d != nullptr);
    CHECK(d->enhanced == "4.4.4");
    CHECK(deferred->messages()[0].fate == Fate::Queued);

    const Run skipped = run({retired, {20, "mx1.dest.example", true}}, false);
    CHECK(skipped->messages()[0].fate == Fate::Delivered);
}

TEST_CASE("Postfix names a peer host[address]: given in the scenario or assigned in order",
          "[model][routing]") {
    Scenario s = sender_and_dest(true);  // mx.sender, mx1.dest, backup.isp
    s.hosts[0].address = "10.0.0.2";
    s.hosts[1].outages.push_back({{0, 30 * sim::kDay}, OutageMode::Refuse});
    s.duration = sim::kMinute;
    add_message(s, 0, "alice@sender.example", "bob@dest.example", "mx.sender.example");
    World w(s, {1, 0, true});
    w.run();
    CHECK(w.directory().host_label(0) == "mx.sender.example[10.0.0.2]");
    CHECK(w.directory().host_label(1) == "mx1.dest.example[10.0.0.1]");
    CHECK(w.directory().host_label(2) == "backup.isp.example[10.0.0.3]");  // 10.0.0.2 is taken
    bool refused = false;
    for (const TraceRecord& t : w.trace())
        refused |= t.reason == "connect to mx1.dest.example[10.0.0.1]:25: Connection refused";
    CHECK(refused);  // smtp_connect.c: "connect to %s[%s]:%d: %m"
}
