// seed_case_test.cpp - the case the project grew from (shared/domain/000_...txt):
// a backup MX accepts mail while the primary is down, the domain is deleted
// while the message waits, and on a later retry the backup MX gets NXDOMAIN
// and must bounce: "You 250 OK the mail, you gotta deliver it or bounce it."
#include <catch2/catch.hpp>

#include "model/world.hpp"
#include "scenario_builder.hpp"

using namespace mxsim;
using namespace mxsim::testing;

namespace {

struct SeedRun {
    std::unique_ptr<World> world;
    RunResults results;
};

// The primary refuses connections throughout; dest.example is deleted at 2 h.
SeedRun run_seed_case(SimTime ttl) {
    Scenario s = sender_and_dest(true);
    s.duration = 2 * sim::kDay;
    s.hosts[1].outages.push_back({{0, 10 * sim::kDay}, OutageMode::Refuse});
    s.domains[1].ttl = ttl;
    s.domains[1].changes.push_back({2 * sim::kHour, {false, false, {}, {}}});
    add_message(s, 0, "alice@sender.example", "bob@dest.example", "mx.sender.example");
    SeedRun r{std::make_unique<World>(s, WorldOptions{1, 0, true}), {}};
    r.results = r.world->run();
    return r;
}

const TraceRecord& bounce_of(const World& w) {
    for (const TraceRecord& t : w.trace())
        if (t.msg == 0 && t.action == "bounced") return t;
    FAIL("the message was never bounced");
    throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("seed case: the backup MX accepts, then bounces with 5.4.4 once it sees NXDOMAIN",
          "[model][seed]") {
    const SeedRun run = run_seed_case(3600 * sim::kSecond);
    const World& w = *run.world;
    CHECK(w.messages()[0].fate == Fate::Bounced);
    const TraceRecord& b = bounce_of(w);
    CHECK(b.from == "backup.isp.example");  // the MTA that said 250 owns the failure
    CHECK(b.enhanced == "5.4.4");
    // Retries at 300, 600, 1200, 2400, 4800 (new MX answer cached until ~8400),
    // 9000: the cache has expired, the domain is gone since 7200 -> NXDOMAIN.
    CHECK(sim::whole_seconds(b.t) == 9000);
    // The NDR travels back to alice and is delivered.
    const auto& f = run.results.fates;
    CHECK(f[size_t(Origin::Ndr)][size_t(Fate::Delivered)] == 1);
    CHECK(run.results.ndrs_delivered == 1);
}

TEST_CASE("seed case: a longer TTL holds the NDR back until the cached MX expires",
          "[model][seed]") {
    // Cached at ~0.1 s for one day: the first retry after 86400 s on the 4200 s
    // grid (13200 + 18 x 4200 = 88800) is the first to ask DNS again.
    const SeedRun run = run_seed_case(sim::kDay);
    CHECK(sim::whole_seconds(bounce_of(*run.world).t) == 88800);
}
