// progress_bar.hpp - a one-line progress display on stderr for long headless runs.
// Offers render_progress_line() (pure formatting, testable without a terminal) and
// ProgressBar, experiment::JobProgress (reports from many jobs) that redraws the line.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "experiment/progress.hpp"
#include "sim/sim_time.hpp"

namespace mxsim::cli {

// "[=========>          ]  45%  job 12/32  3.2 M events/s  ETA 0:41", fitted to
// `width` columns minus one (writing the last column would wrap on some terminals).
// The bar takes what the text leaves, at most 40 columns; it is dropped below 10.
std::string render_progress_line(const experiment::ProgressState& state, int width);

struct ProgressBarOptions {
    int width = 80;                         // columns; see terminal_width()
    double show_after_seconds = 1.0;        // nothing is drawn before this
    double redraw_interval_seconds = 0.2;   // at most 5 redraws a second
    std::function<double()> clock_seconds;  // seconds, called under the bar's mutex; empty =
                                            // std::chrono::steady_clock (tests inject one)
};

// The progress of a run's jobs (experiment::JobProgress: thread-safe, jobs weighed by
// simulated duration) drawn as one line: a redraw (a short write, under the mutex)
// happens at most every redraw_interval_seconds.
class ProgressBar : public experiment::JobProgress {
  public:
    // `draw`: whether to write at all; pass isatty(2) && !quiet (see stderr_wants_progress()).
    ProgressBar(std::ostream& out, bool draw, std::size_t jobs, sim::SimTime job_duration,
                ProgressBarOptions options = {});
    ProgressBar(std::ostream& out, bool draw, std::vector<sim::SimTime> job_durations,
                ProgressBarOptions options = {});
    ~ProgressBar() override;  // finish()

    // Clears the line if anything was drawn; later reports draw nothing. Idempotent.
    void finish();
    // Redraws when it is time, without a report: a Ticker calls it so that the line
    // appears while a job's world is still being built.
    void tick();

  private:
    void updated() override;  // redraws when it is time

    std::ostream& out_;
    const bool draw_;
    const ProgressBarOptions options_;
    std::optional<double> last_draw_;
    bool finished_ = false;
};

// Columns of the terminal on `fd`, or `fallback` when it is not one.
int terminal_width(int fd, int fallback = 80);
// isatty(2) && !quiet: the `draw` argument for a bar on std::cerr.
bool stderr_wants_progress(bool quiet);

}  // namespace mxsim::cli
