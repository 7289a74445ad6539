// soft_bounce_test.cpp - Postfix's soft_bounce safety net: the SMTP server answers
// 4xx where it would answer 5xx (smtpd_check.c), and mail that would bounce or
// expire stays queued as deferred (bounce.c bounce_append); no NDR is written.
#include <catch2/catch.hpp>

#include "model/world.hpp"
#include "scenario/scenario_loader.hpp"
#include "tests/model/scenario_builder.hpp"
#include "tests/test_support.hpp"

using namespace mxsim;
using namespace mxsim::testing;

namespace {

std::vector<TraceRecord> steps_of(const World& w, MessageId m) {
    std::vector<TraceRecord> out;
    for (const TraceRecord& t : w.trace())
        if (t.msg == m) out.push_back(t);
    return out;
}

std::uint64_t ndrs(const RunResults& r) {
    std::uint64_t n = 0;
    for (const MtaResults& m : r.mtas)
        n += m.ndrs_generated;
    return n;
}

}  // namespace

TEST_CASE("soft_bounce: the server answers 450 where it would refuse with 550",
          "[model][soft_bounce]") {
    for (const bool soft : {false, true}) {
        Scenario s = sender_and_dest(false);
        s.duration = sim::kDay;
        s.hosts[1].mta->soft_bounce = soft;
        add_message(s, 0, "alice@sender.example", "nobody@dest.example", "mx.sender.example");
        World w(s, WorldOptions{1, 0, true});
        const RunResults r = w.run();
        const std::vector<TraceRecord> steps = steps_of(w, 0);
        const auto refused = std::find_if(steps.begin(), steps.end(), [](const TraceRecord& t) {
            return t.stage == "rcpt" && t.to == "mx1.dest.example";
        });
        REQUIRE(refused != steps.end());
        CHECK(refused->code == (soft ? 450 : 550));
        CHECK(refused->enhanced == (soft ? "4.1.1" : "5.1.1"));
        // The sender's MTA bounces a 550 at once; a 450 it keeps retrying.
        CHECK(count(r, Origin::Legit, Fate::Bounced) == (soft ? 0 : 1));
        CHECK(count(r, Origin::Legit, Fate::Queued) == (soft ? 1 : 0));
    }
}

TEST_CASE("soft_bounce: an accepted message that fails stays queued, no NDR",
          "[model][soft_bounce]") {
    // The seed case: the backup MX took the message, then the domain went away.
    Scenario s = sender_and_dest(true);
    s.duration = 2 * sim::kDay;
    s.hosts[1].outages.push_back({{0, 10 * sim::kDay}, OutageMode::Refuse});
    s.hosts[2].mta->soft_bounce = true;
    s.domains[1].changes.push_back({2 * sim::kHour, {false, false, {}, {}}});
    add_message(s, 0, "alice@sender.example", "bob@dest.example", "mx.sender.example");
    World w(s, WorldOptions{1, 0, true});
    const RunResults r = w.run();
    CHECK(count(r, Origin::Legit, Fate::Queued) == 1);
    CHECK(ndrs(r) == 0);
    // Where it would have bounced with 5.4.4 it defers with 4.4.4, and goes on.
    int soft_deferrals = 0;
    for (const TraceRecord& t : steps_of(w, 0))
        if (t.from == "backup.isp.example" && t.action == "deferred" && t.enhanced == "4.4.4")
            ++soft_deferrals;
    CHECK(soft_deferrals > 3);
}

TEST_CASE("soft_bounce: mail local delivery cannot place, or that expires, is not returned",
          "[model][soft_bounce]") {
    // An unknown local user accepted (no recipient check): local(8) defers it.
    Scenario local = sender_and_dest(false);
    local.duration = sim::kDay;
    local.hosts[1].mta->reject_unlisted_recipient = false;
    local.hosts[1].mta->soft_bounce = true;
    add_message(local, 0, "alice@sender.example", "nobody@dest.example", "mx.sender.example");
    World w(local, WorldOptions{1, 0, true});
    const RunResults r = w.run();
    CHECK(count(r, Origin::Legit, Fate::Queued) == 1);
    CHECK(ndrs(r) == 0);
    // A destination that is down past maximal_queue_lifetime: kept, not expired.
    Scenario down = sender_and_dest(false);
    down.duration = 3 * sim::kDay;
    down.hosts[0].mta->soft_bounce = true;
    down.hosts[0].mta->postfix.maximal_queue_lifetime = sim::kDay;
    down.hosts[1].outages.push_back({{0, 10 * sim::kDay}, OutageMode::Refuse});
    add_message(down, 0, "alice@sender.example", "bob@dest.example", "mx.sender.example");
    const RunResults kept = World(down, WorldOptions{1, 0, false}).run();
    CHECK(count(kept, Origin::Legit, Fate::Queued) == 1);
    CHECK(count(kept, Origin::Legit, Fate::Expired) == 0);
    CHECK(ndrs(kept) == 0);
}

TEST_CASE("soft_bounce is read for Postfix only", "[model][soft_bounce]") {
    const std::string base = R"({"name": "t", "hosts": [{"name": "mx.a.example", "mta": {)";
    const std::string tail = R"(, "local_domains": ["a.example"]}}], "domains": [{"name":
        "a.example", "mailboxes": ["u"], "mx": [{"preference": 10, "host": "mx.a.example"}]}]})";
    CHECK(loader_error(base + R"("soft_bounce": true)" + tail) == "(no error)");
    CHECK_THAT(loader_error(base + R"("flavor": "exim", "soft_bounce": true)" + tail),
               Catch::Contains("/hosts/0/mta/soft_bounce") &&
                   Catch::Contains("soft_bounce is a Postfix parameter"));
}
