// legit_delay_test.cpp - the delay of legitimate mail counts what is still queued
// at the end, at its wait so far (censored at the run's end), so that a policy
// that delivers less does not look faster; and the time until a failure is told.
#include <catch2/catch.hpp>

#include <cmath>

#include "model/world.hpp"
#include "tests/model/scenario_builder.hpp"

using namespace mxsim;
using namespace mxsim::testing;

TEST_CASE("legitimate mail still queued counts in the delay at its wait so far", "[model][delay]") {
    Scenario s = sender_and_dest(false);
    s.duration = sim::kDay;
    s.hosts[1].outages.push_back({{0, 10 * sim::kDay}, OutageMode::Refuse});  // never up
    add_message(s, 0, "alice@sender.example", "bob@dest.example", "mx.sender.example");
    const RunResults r = World(s, WorldOptions{1, 0, false}).run();
    REQUIRE(count(r, Origin::Legit, Fate::Queued) == 1);
    // Delivered nothing, yet a delay: the whole run (before: NaN, nothing delivered).
    CHECK(r.legit_delay_p50_s == Approx(sim::to_seconds(sim::kDay)));
    CHECK(std::isnan(r.legit_bounce_delay_mean_s));
}

TEST_CASE("the time to bounce is from the message's creation to its failure", "[model][delay]") {
    Scenario s = sender_and_dest(false);
    s.duration = sim::kDay;
    add_message(s, sim::kHour, "alice@sender.example", "nobody@dest.example", "mx.sender.example");
    const RunResults r = World(s, WorldOptions{1, 0, false}).run();
    REQUIRE(count(r, Origin::Legit, Fate::Bounced) == 1);
    // Refused at RCPT (550 5.1.1) on the first attempt: bounced within a second.
    CHECK(r.legit_bounce_delay_mean_s > 0);
    CHECK(r.legit_bounce_delay_mean_s < 1);
}
