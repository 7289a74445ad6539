// progress_bar.cpp - the progress line: pure formatting, then the redraw with '\r' on a
// terminal of what experiment::JobProgress gathers from many jobs.
#include "cli/progress_bar.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <mutex>

namespace mxsim::cli {

namespace {

using experiment::ProgressState;

constexpr int kMaxBarColumns = 40;
constexpr int kMinBarColumns = 10;
constexpr const char* kEraseToLineEnd = "\x1b[K";

std::string bar(double fraction, int columns) {
    const int filled = std::clamp(static_cast<int>(fraction * columns), 0, columns);
    std::string s(static_cast<std::size_t>(filled), '=');
    if (filled < columns) s += '>';
    s.resize(static_cast<std::size_t>(columns), ' ');
    return "[" + s + "]";
}

int whole_percent(double fraction) {
    return std::clamp(static_cast<int>(std::floor(fraction * 100)), 0, 100);
}

std::string text_part(const ProgressState& s) {
    char percent[16];
    std::snprintf(percent, sizeof percent, " %3d%%", whole_percent(s.fraction));
    std::string text = percent;
    if (s.jobs > 1) text += "  job " + std::to_string(s.job) + "/" + std::to_string(s.jobs);
    // Nothing simulated yet: the first world is still being built.
    if (s.fraction == 0 && s.events_per_second == 0) return text + "  setting up";
    text += "  " + experiment::format_event_rate(s.events_per_second);
    text += "  ETA " + experiment::format_eta(s.eta_seconds);
    return text;
}

}  // namespace

std::string render_progress_line(const ProgressState& state, int width) {
    const int usable = std::max(0, width - 1);
    const std::string text = text_part(state);
    const int room = usable - static_cast<int>(text.size()) - 2;
    std::string line =
        room >= kMinBarColumns ? bar(state.fraction, std::min(room, kMaxBarColumns)) + text : text;
    if (static_cast<int>(line.size()) > usable) line.resize(static_cast<std::size_t>(usable));
    return line;
}

ProgressBar::ProgressBar(std::ostream& out, bool draw, std::size_t jobs, sim::SimTime job_duration,
                         ProgressBarOptions options)
    : ProgressBar(out, draw, std::vector<sim::SimTime>(jobs, job_duration), std::move(options)) {}

ProgressBar::ProgressBar(std::ostream& out, bool draw, std::vector<sim::SimTime> job_durations,
                         ProgressBarOptions options)
    : JobProgress(std::move(job_durations), options.clock_seconds),
      out_(out),
      draw_(draw),
      options_(std::move(options)) {}

ProgressBar::~ProgressBar() {
    try {
        finish();
    } catch (...) {  // a destructor must not throw; the line is cosmetic
    }
}

void ProgressBar::finish() {
    std::lock_guard lock(mutex());
    if (finished_) return;
    finished_ = true;
    if (last_draw_) out_ << '\r' << kEraseToLineEnd << std::flush;
}

void ProgressBar::tick() {
    std::lock_guard lock(mutex());
    updated();
}

void ProgressBar::updated() {
    if (!draw_ || finished_) return;
    const double elapsed = elapsed_seconds();
    if (elapsed < options_.show_after_seconds) return;
    if (last_draw_ && elapsed - *last_draw_ < options_.redraw_interval_seconds) return;
    last_draw_ = elapsed;
    out_ << '\r' << render_progress_line(state_locked(elapsed), options_.width) << kEraseToLineEnd
         << std::flush;
}

int terminal_width(int fd, int fallback) {
    winsize ws{};
    if (::isatty(fd) && ::ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
    return fallback;
}

bool stderr_wants_progress(bool quiet) {
    return !quiet && ::isatty(STDERR_FILENO);
}

}  // namespace mxsim::cli
