// progress_test.cpp - JobProgress, what every progress display shows: jobs weighed by
// simulated duration, rate and ETA over the whole run, bad job indexes refused; and the
// rate and the ETA as text.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <optional>
#include <stdexcept>
#include <vector>

#include "experiment/progress.hpp"

using mxsim::experiment::format_eta;
using mxsim::experiment::format_event_rate;
using mxsim::experiment::JobProgress;
namespace sim = mxsim::sim;

namespace {

sim::ProgressReport at(double sim_seconds, std::uint64_t events) {
    sim::ProgressReport r;
    r.now = static_cast<sim::SimTime>(sim_seconds * sim::kSecond);
    r.events = events;
    return r;
}

}  // namespace

TEST_CASE("event rates take k, M and G", "[progress]") {
    CHECK(format_event_rate(0) == "0 events/s");
    CHECK(format_event_rate(850) == "850 events/s");
    CHECK(format_event_rate(999.4) == "999 events/s");
    CHECK(format_event_rate(999.6) == "1.0 k events/s");
    CHECK(format_event_rate(12'345) == "12.3 k events/s");
    CHECK(format_event_rate(999'960) == "1.0 M events/s");
    CHECK(format_event_rate(3.2e6) == "3.2 M events/s");
    CHECK(format_event_rate(1.5e9) == "1.5 G events/s");
    CHECK(format_event_rate(std::nan("")) == "0 events/s");
    CHECK(format_event_rate(-5) == "0 events/s");
}

TEST_CASE("the ETA reads m:ss, then h:mm:ss", "[progress]") {
    CHECK(format_eta(0.0) == "0:00");
    CHECK(format_eta(41.0) == "0:41");
    CHECK(format_eta(59.6) == "1:00");
    CHECK(format_eta(3599.0) == "59:59");
    CHECK(format_eta(3600.0) == "1:00:00");
    CHECK(format_eta(100'000.0) == "27:46:40");
    CHECK(format_eta(std::nullopt) == "--:--");
    CHECK(format_eta(-1.0) == "--:--");
    CHECK(format_eta(std::numeric_limits<double>::infinity()) == "--:--");
}

TEST_CASE("jobs weigh by simulated duration, rate and ETA cover the whole run", "[progress]") {
    double now = 0;
    JobProgress progress(std::vector<sim::SimTime>{sim::seconds(100), sim::seconds(300)},
                         [&now] { return now; });
    now = 2;
    progress.report(0, at(50, 1000));
    auto s = progress.state();
    CHECK(s.fraction == Approx(0.125));
    CHECK(s.job == 1);
    CHECK(s.jobs == 2);
    CHECK(s.events_per_second == Approx(500));
    CHECK(*s.eta_seconds == Approx(14));
    progress.job_done(1, 3000);
    s = progress.state();
    CHECK(s.fraction == Approx(0.875));
    CHECK(s.job == 2);
    CHECK(s.events_per_second == Approx(2000));
    progress.job_done(0);
    CHECK(progress.state().fraction == 1.0);
    CHECK(*progress.state().eta_seconds == 0.0);
}

TEST_CASE("a bad job index is refused", "[progress]") {
    JobProgress progress(2, sim::seconds(1));
    CHECK_THROWS_AS(progress.hook_for(2), std::out_of_range);
    CHECK_THROWS_AS(progress.report(2, at(0, 0)), std::out_of_range);
    CHECK_THROWS_AS(progress.job_done(7), std::out_of_range);
}
