// progress_bar_test.cpp - the progress line as rendered text (no terminal needed),
// and ProgressBar's rules: silent off a terminal or before 1 s, throttled, thread-safe.
// What it draws (JobProgress, the rate and the ETA): tests/experiment/progress_test.cpp.
#include <catch2/catch.hpp>

#include <algorithm>
#include <optional>
#include <sstream>
#include <thread>
#include <vector>

#include "cli/progress_bar.hpp"
#include "sim/simulator.hpp"

using mxsim::cli::ProgressBar;
using mxsim::cli::ProgressBarOptions;
using mxsim::cli::render_progress_line;
using mxsim::experiment::ProgressState;
namespace sim = mxsim::sim;

namespace {

const std::string kErase = "\x1b[K";

ProgressState state(double fraction, std::size_t job, std::size_t jobs, double eps,
                    std::optional<double> eta) {
    ProgressState s;
    s.fraction = fraction;
    s.job = job;
    s.jobs = jobs;
    s.events_per_second = eps;
    s.eta_seconds = eta;
    return s;
}

// A bar whose wall clock is `now`, which the test moves by hand.
ProgressBarOptions fake_clock(double& now) {
    ProgressBarOptions o;
    o.clock_seconds = [&now] { return now; };
    return o;
}

sim::ProgressReport at(double sim_seconds, std::uint64_t events) {
    sim::ProgressReport r;
    r.now = static_cast<sim::SimTime>(sim_seconds * sim::kSecond);
    r.events = events;
    return r;
}

std::size_t count(const std::string& s, char c) {
    return static_cast<std::size_t>(std::count(s.begin(), s.end(), c));
}

// The line most recently drawn: what follows the last '\r', without the erase.
std::string last_line(const std::string& out) {
    std::string line = out.substr(out.rfind('\r') + 1);
    REQUIRE(line.size() >= kErase.size());
    REQUIRE(line.substr(line.size() - kErase.size()) == kErase);
    return line.substr(0, line.size() - kErase.size());
}

}  // namespace

TEST_CASE("the line shows bar, percent, job, rate and ETA", "[progress]") {
    const auto s = state(0.45, 12, 32, 3.2e6, 41.0);
    CHECK(render_progress_line(s, 65) ==
          "[=========>          ]  45%  job 12/32  3.2 M events/s  ETA 0:41");
}

TEST_CASE("the bar fills the width less one column, at most 40 wide", "[progress]") {
    const auto s = state(0.45, 12, 32, 3.2e6, 41.0);
    const std::string text = "  45%  job 12/32  3.2 M events/s  ETA 0:41";
    const std::string at80 = render_progress_line(s, 80);
    CHECK(at80.size() == 79);
    CHECK(at80 == "[" + std::string(15, '=') + ">" + std::string(19, ' ') + "]" + text);
    const std::string at200 = render_progress_line(s, 200);
    CHECK(at200.size() == 42 + text.size());
    CHECK(at200.substr(0, 20) == "[" + std::string(18, '=') + ">");
}

TEST_CASE("a narrow terminal drops the bar, then cuts the text", "[progress]") {
    const auto s = state(0.45, 12, 32, 3.2e6, 41.0);
    CHECK(render_progress_line(s, 50) == "  45%  job 12/32  3.2 M events/s  ETA 0:41");
    CHECK(render_progress_line(s, 21) == "  45%  job 12/32  3.");
    CHECK(render_progress_line(s, 0).empty());
}

TEST_CASE("the ends of the bar and the percent", "[progress]") {
    CHECK(render_progress_line(state(0, 0, 4, 0, std::nullopt), 50) ==
          "[>                    ]   0%  job 0/4  setting up");
    CHECK(render_progress_line(state(1, 4, 4, 0, 0.0), 49) ==
          "[==========] 100%  job 4/4  0 events/s  ETA 0:00");
    CHECK(render_progress_line(state(0.999, 1, 1, 0, 1.0), 36).find(" 99%") != std::string::npos);
}

TEST_CASE("a single job leaves out the job count", "[progress]") {
    CHECK(render_progress_line(state(0.5, 1, 1, 850, 90.0), 80).find("job") == std::string::npos);
    CHECK(render_progress_line(state(0.5, 1, 1, 850, 90.0), 80)
              .find("  50%  850 events/s  ETA 1:30") != std::string::npos);
}

TEST_CASE("nothing is written when stderr is not a terminal or --quiet", "[progress]") {
    double now = 0;
    std::ostringstream out;
    {
        ProgressBar bar(out, /*draw=*/false, 2, sim::seconds(100), fake_clock(now));
        now = 5;
        bar.report(0, at(50, 1000));
        bar.job_done(1);
        CHECK(bar.state().fraction == Approx(0.75));  // still tracked
        bar.finish();
    }
    CHECK(out.str().empty());
    CHECK_FALSE(mxsim::cli::stderr_wants_progress(/*quiet=*/true));
}

TEST_CASE("nothing is drawn before the run has lasted a second", "[progress]") {
    double now = 0;
    std::ostringstream out;
    ProgressBar bar(out, true, 1, sim::seconds(100), fake_clock(now));
    now = 0.9;
    bar.report(0, at(10, 1000));
    CHECK(out.str().empty());
    now = 1.0;
    bar.report(0, at(20, 2000));
    const std::string bar40 = "[" + std::string(8, '=') + ">" + std::string(31, ' ') + "]";
    CHECK(out.str() == "\r" + bar40 + "  20%  2.0 k events/s  ETA 0:04" + kErase);
}

TEST_CASE("redraws come at most every 0.2 s", "[progress]") {
    double now = 1;
    std::ostringstream out;
    ProgressBar bar(out, true, 1, sim::seconds(100), fake_clock(now));
    now = 2.0;
    bar.report(0, at(10, 1));
    now = 2.1;
    bar.report(0, at(20, 2));
    CHECK(count(out.str(), '\r') == 1);
    now = 2.25;
    bar.report(0, at(30, 3));
    CHECK(count(out.str(), '\r') == 2);
    CHECK(last_line(out.str()).find(" 30%") != std::string::npos);
}

TEST_CASE("finish clears a drawn line, once, and silences the bar", "[progress]") {
    double now = 0;
    std::ostringstream out;
    ProgressBar bar(out, true, 1, sim::seconds(100), fake_clock(now));
    now = 1.5;
    bar.report(0, at(50, 10));
    bar.finish();
    const std::string after_finish = out.str();
    CHECK(after_finish.substr(after_finish.size() - 4) == "\r" + kErase);
    now = 3;
    bar.report(0, at(60, 20));
    bar.finish();
    CHECK(out.str() == after_finish);

    std::ostringstream quiet_out;
    ProgressBar short_run(quiet_out, true, 1, sim::seconds(100), fake_clock(now));
    short_run.job_done(0);  // under a second: never drawn, so nothing to clear
    short_run.finish();
    CHECK(quiet_out.str().empty());
}

TEST_CASE("a kernel run feeds the bar through hook_for", "[progress]") {
    std::ostringstream out;
    ProgressBar bar(out, false, 1, sim::seconds(100));
    sim::Simulator simulator;
    simulator.set_progress_hook(bar.hook_for(0), 1e-9);  // at every clock check
    simulator.schedule_at(0, 0, 0);
    simulator.run_until(sim::seconds(100),
                        [&](const sim::Event&) { simulator.schedule_in(sim::kMillisecond, 0, 0); });
    const double reported = bar.state().fraction;
    CHECK(reported > 0.9);
    CHECK(reported < 1.0);
    bar.job_done(0, simulator.dispatched());
    CHECK(bar.state().fraction == 1.0);
}

TEST_CASE("reports from 4 threads at once end at 100%", "[progress]") {
    constexpr std::size_t kJobs = 32, kThreads = 4, kSteps = 100;
    double now = 0;
    ProgressBarOptions options;
    options.clock_seconds = [&now] { return now += 0.3; };  // called under the bar's mutex
    options.show_after_seconds = 0;                         // so every update draws
    std::ostringstream out;
    ProgressBar bar(out, true, kJobs, sim::seconds(1000), options);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < kThreads; ++t) {
        threads.emplace_back([&bar, t] {
            for (std::size_t job = t; job < kJobs; job += kThreads) {
                const auto hook = bar.hook_for(job);
                for (std::size_t i = 1; i <= kSteps; ++i)
                    hook(at(10.0 * i, 1000 * i));
                bar.job_done(job, 1000 * kSteps);
            }
        });
    }
    for (auto& th : threads)
        th.join();
    const ProgressState s = bar.state();
    CHECK(s.fraction == 1.0);
    CHECK(s.job == kJobs);
    const std::string line = last_line(out.str());
    CHECK(line.find("] 100%  job 32/32  ") != std::string::npos);
    CHECK(count(out.str(), '\r') == kJobs * (kSteps + 1));
    bar.finish();
}
