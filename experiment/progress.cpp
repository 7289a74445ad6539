// progress.cpp - the progress of many jobs gathered into one state, and the rate and
// ETA as a display writes them.
#include "experiment/progress.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace mxsim::experiment {

namespace {

template <class... Args>
std::string printf_string(const char* format, Args... args) {
    char buf[64];
    std::snprintf(buf, sizeof buf, format, args...);
    return buf;
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

JobProgress::JobProgress(std::size_t jobs, sim::SimTime job_duration,
                         std::function<double()> clock_seconds)
    : JobProgress(std::vector<sim::SimTime>(jobs, job_duration), std::move(clock_seconds)) {}

JobProgress::JobProgress(std::vector<sim::SimTime> job_durations,
                         std::function<double()> clock_seconds)
    : clock_seconds_(std::move(clock_seconds)), start_(clock()), jobs_(make_jobs(job_durations)) {}

std::vector<JobProgress::Job> JobProgress::make_jobs(const std::vector<sim::SimTime>& durations) {
    const bool all_known =
        std::all_of(durations.begin(), durations.end(), [](sim::SimTime d) { return d > 0; });
    std::vector<Job> jobs(durations.size());
    for (std::size_t k = 0; k < durations.size(); ++k) {
        jobs[k].duration = durations[k];
        jobs[k].weight = all_known ? sim::to_seconds(durations[k]) : 1.0;
    }
    return jobs;
}

double JobProgress::clock() const {
    return clock_seconds_ ? clock_seconds_() : steady_seconds();
}

double JobProgress::elapsed_seconds() const {
    return clock() - start_;
}

JobProgress::Job& JobProgress::job_at(std::size_t job) {
    if (job >= jobs_.size())
        throw std::out_of_range("progress: job " + std::to_string(job) + " of " +
                                std::to_string(jobs_.size()));
    return jobs_[job];
}

sim::ProgressHook JobProgress::hook_for(std::size_t job) {
    job_at(job);  // refuse a bad index now rather than on the simulation thread
    return [this, job](const sim::ProgressReport& r) { report(job, r); };
}

void JobProgress::report(std::size_t job, const sim::ProgressReport& r) {
    const sim::SimTime duration = job_at(job).duration;  // const after construction
    const double fraction = duration > 0 ? sim::to_seconds(r.now) / sim::to_seconds(duration) : 0;
    update(job, std::clamp(fraction, 0.0, 1.0), r.events, false);
}

void JobProgress::job_done(std::size_t job, std::uint64_t events) {
    update(job, 1.0, events, true);
}

void JobProgress::update(std::size_t job, double fraction, std::uint64_t events, bool done) {
    std::lock_guard lock(mutex_);
    Job& j = job_at(job);
    j.started = true;
    j.done = j.done || done;
    j.fraction = std::max(j.fraction, fraction);
    j.events = std::max(j.events, events);
    updated();
}

ProgressState JobProgress::state() const {
    std::lock_guard lock(mutex_);
    return state_locked(elapsed_seconds());
}

ProgressState JobProgress::state_locked(double elapsed) const {
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

}  // namespace mxsim::experiment
