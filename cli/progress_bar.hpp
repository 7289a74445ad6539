// progress_bar.hpp - a one-line progress display on stderr for long headless runs.
// Offers render_progress_line() (pure formatting, testable without a terminal) and
// ProgressBar, a thread-safe collector of sim::ProgressReport from many jobs that redraws.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "sim/progress.hpp"
#include "sim/sim_time.hpp"

namespace mxsim::cli {

// What one line shows; everything render_progress_line() needs.
struct ProgressState {
    double fraction = 0;                // of the whole run, 0..1
    std::size_t job = 0;                // jobs started so far (the one shown as current)
    std::size_t jobs = 0;               // in the whole run; "job k/n" is left out when <= 1
    double events_per_second = 0;       // over all jobs and threads
    std::optional<double> eta_seconds;  // unknown until some progress is made
};

// "[=========>          ]  45%  job 12/32  3.2 M events/s  ETA 0:41", fitted to
// `width` columns minus one (writing the last column would wrap on some terminals).
// The bar takes what the text leaves, at most 40 columns; it is dropped below 10.
std::string render_progress_line(const ProgressState& state, int width);
// "850 events/s", "12.3 k events/s", "3.2 M events/s", "1.5 G events/s".
std::string format_event_rate(double events_per_second);
// "0:41", "59:59", "1:00:00", "27:46:40"; "--:--" for unknown, negative or not finite.
std::string format_eta(std::optional<double> seconds);

struct ProgressBarOptions {
    int width = 80;                         // columns; see terminal_width()
    double show_after_seconds = 1.0;        // nothing is drawn before this
    double redraw_interval_seconds = 0.2;   // at most 5 redraws a second
    std::function<double()> clock_seconds;  // seconds, called under the bar's mutex; empty =
                                            // std::chrono::steady_clock (tests inject one)
};

// Collects progress of a run made of jobs 0..n-1 (variants x sweep points x
// replications), each simulating from time 0 to its own duration, possibly on
// several threads. Every member is thread-safe; the mutex is held briefly, and a
// redraw (a short write) happens at most every redraw_interval_seconds.
// The whole run's fraction weighs each job by its simulated duration (equally
// when a duration is unknown, i.e. <= 0; such a job counts only once done).
class ProgressBar {
  public:
    // `draw`: whether to write at all; pass isatty(2) && !quiet (see stderr_wants_progress()).
    ProgressBar(std::ostream& out, bool draw, std::size_t jobs, sim::SimTime job_duration,
                ProgressBarOptions options = {});
    ProgressBar(std::ostream& out, bool draw, std::vector<sim::SimTime> job_durations,
                ProgressBarOptions options = {});
    ~ProgressBar();  // finish()
    ProgressBar(const ProgressBar&) = delete;
    ProgressBar& operator=(const ProgressBar&) = delete;

    // A hook for job k's Simulator; it refers to this bar, which must outlive its use.
    sim::ProgressHook hook_for(std::size_t job);
    void report(std::size_t job, const sim::ProgressReport& report);
    // Marks job k complete; `events` (e.g. Simulator::dispatched()) refines the rate.
    void job_done(std::size_t job, std::uint64_t events = 0);
    // Clears the line if anything was drawn; later reports draw nothing. Idempotent.
    void finish();

    ProgressState state() const;

  private:
    struct Job {
        sim::SimTime duration = 0;
        double weight = 1;
        double fraction = 0;
        std::uint64_t events = 0;
        bool started = false;
        bool done = false;
    };

    static std::vector<Job> make_jobs(const std::vector<sim::SimTime>& durations);
    double clock() const;
    Job& job_at(std::size_t job);
    void update(std::size_t job, double fraction, std::uint64_t events, bool done);
    ProgressState state_locked(double elapsed) const;
    void maybe_redraw();

    std::ostream& out_;
    const bool draw_;
    const ProgressBarOptions options_;
    const double start_;
    mutable std::mutex mutex_;
    std::vector<Job> jobs_;
    std::optional<double> last_draw_;
    bool finished_ = false;
};

// Columns of the terminal on `fd`, or `fallback` when it is not one.
int terminal_width(int fd, int fallback = 80);
// isatty(2) && !quiet: the `draw` argument for a bar on std::cerr.
bool stderr_wants_progress(bool quiet);

}  // namespace mxsim::cli
