// progress_bar.cpp - the progress line: pure formatting, then a thin, thread-safe
// layer that gathers reports from many jobs and redraws with '\r' on a terminal.
#include "cli/progress_bar.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace mxsim::cli {

namespace {

constexpr int kMaxBarColumns = 40;
constexpr int kMinBarColumns = 10;
constexpr const char* kEraseToLineEnd = "\x1b[K";

template <class... Args>
std::string printf_string(const char* format, Args... args) {
    char buf[64];
    std::snprintf(buf, sizeof buf, format, args...);
    return buf;
}

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
    std::string text = printf_string(" %3d%%", whole_percent(s.fraction));
    if (s.jobs > 1) text += "  job " + std::to_string(s.job) + "/" + std::to_string(s.jobs);
    text += "  " + format_event_rate(s.events_per_second);
    text += "  ETA " + format_eta(s.eta_seconds);
    return text;
}

double steady_seconds() {
    const auto t = std::chrono::steady_clock::now().time_since_epoch();
    return std::chrono::duration<double>(t).count();
}

}  // namespace

std::string format_event_rate(double eps) {
    if (!(eps >= 0) || !std::isfinite(eps)) eps = 0;
    if (eps < 999.5) return printf_string("%.0f events/s", eps);
    static constexpr char kPrefixes[] = {'k', 'M', 'G', 'T'};
    double scaled = eps / 1000;
    std::size_t i = 0;
    for (; scaled >= 999.95 && i + 1 < sizeof kPrefixes; ++i)
        scaled /= 1000;
    return printf_string("%.1f %c events/s", scaled, kPrefixes[i]);
}

std::string format_eta(std::optional<double> seconds) {
    if (!seconds || !std::isfinite(*seconds) || *seconds < 0) return "--:--";
    const double total = std::round(*seconds);
    const double h = std::floor(total / 3600);
    const double m = std::floor((total - h * 3600) / 60);
    const double s = total - h * 3600 - m * 60;
    if (h == 0) return printf_string("%.0f:%02.0f", m, s);
    return printf_string("%.0f:%02.0f:%02.0f", h, m, s);
}

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
    : out_(out),
      draw_(draw),
      options_(std::move(options)),
      start_(clock()),
      jobs_(make_jobs(job_durations)) {}

ProgressBar::~ProgressBar() {
    try {
        finish();
    } catch (...) {  // a destructor must not throw; the line is cosmetic
    }
}

std::vector<ProgressBar::Job> ProgressBar::make_jobs(const std::vector<sim::SimTime>& durations) {
    const bool all_known =
        std::all_of(durations.begin(), durations.end(), [](sim::SimTime d) { return d > 0; });
    std::vector<Job> jobs(durations.size());
    for (std::size_t k = 0; k < durations.size(); ++k) {
        jobs[k].duration = durations[k];
        jobs[k].weight = all_known ? sim::to_seconds(durations[k]) : 1.0;
    }
    return jobs;
}

double ProgressBar::clock() const {
    return options_.clock_seconds ? options_.clock_seconds() : steady_seconds();
}

ProgressBar::Job& ProgressBar::job_at(std::size_t job) {
    if (job >= jobs_.size())
        throw std::out_of_range("progress bar: job " + std::to_string(job) + " of " +
                                std::to_string(jobs_.size()));
    return jobs_[job];
}

sim::ProgressHook ProgressBar::hook_for(std::size_t job) {
    job_at(job);  // refuse a bad index now rather than on the simulation thread
    return [this, job](const sim::ProgressReport& r) { report(job, r); };
}

void ProgressBar::report(std::size_t job, const sim::ProgressReport& r) {
    const sim::SimTime duration = job_at(job).duration;  // const after construction
    const double fraction = duration > 0 ? sim::to_seconds(r.now) / sim::to_seconds(duration) : 0;
    update(job, std::clamp(fraction, 0.0, 1.0), r.events, false);
}

void ProgressBar::job_done(std::size_t job, std::uint64_t events) {
    update(job, 1.0, events, true);
}

void ProgressBar::update(std::size_t job, double fraction, std::uint64_t events, bool done) {
    std::lock_guard lock(mutex_);
    Job& j = job_at(job);
    j.started = true;
    j.done = j.done || done;
    j.fraction = std::max(j.fraction, fraction);
    j.events = std::max(j.events, events);
    maybe_redraw();
}

void ProgressBar::finish() {
    std::lock_guard lock(mutex_);
    if (finished_) return;
    finished_ = true;
    if (last_draw_) out_ << '\r' << kEraseToLineEnd << std::flush;
}

ProgressState ProgressBar::state() const {
    std::lock_guard lock(mutex_);
    return state_locked(clock() - start_);
}

ProgressState ProgressBar::state_locked(double elapsed) const {
    ProgressState s;
    s.jobs = jobs_.size();
    double total = 0, done = 0;
    std::uint64_t events = 0;
    bool all_done = true;
    for (const Job& j : jobs_) {
        total += j.weight;
        done += j.weight * (j.done ? 1.0 : j.fraction);
        events += j.events;
        s.job += j.started ? 1 : 0;
        all_done = all_done && j.done;
    }
    s.fraction = all_done ? 1.0 : total > 0 ? std::min(1.0, done / total) : 0.0;
    if (elapsed > 0) s.events_per_second = static_cast<double>(events) / elapsed;
    if (s.fraction >= 1)
        s.eta_seconds = 0.0;
    else if (s.fraction > 0 && elapsed > 0)
        s.eta_seconds = elapsed * (1 - s.fraction) / s.fraction;
    return s;
}

void ProgressBar::maybe_redraw() {
    if (!draw_ || finished_) return;
    const double elapsed = clock() - start_;
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
