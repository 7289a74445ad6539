// simulator.cpp - scheduling checks, run bookkeeping and progress reports.
#include "sim/simulator.hpp"

#include <chrono>
#include <stdexcept>
#include <string>
#include <utility>

namespace mxsim::sim {
namespace {

std::int64_t wall_clock_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

}  // namespace

void Simulator::check_not_past(SimTime at, const char* what) const {
    if (at < now_)
        throw std::invalid_argument(std::string(what) + ": time " + format_duration(at) +
                                    " is before now (" + format_duration(now_) + ")");
}

EventId Simulator::schedule_at(SimTime at, std::uint32_t kind, std::uint32_t target) {
    check_not_past(at, "schedule_at");
    return queue_.push(at, kind, target);
}

EventId Simulator::schedule_in(SimTime delay, std::uint32_t kind, std::uint32_t target) {
    if (delay < 0 || delay > kTimeMax - now_)
        throw std::invalid_argument("schedule_in: delay " + format_duration(delay) +
                                    " is negative or overflows the clock");
    return queue_.push(now_ + delay, kind, target);
}

void Simulator::set_progress_hook(ProgressHook hook, double interval_wall_seconds) {
    if (!(interval_wall_seconds > 0))
        throw std::invalid_argument("progress interval must be positive");
    progress_hook_ = std::move(hook);
    progress_interval_ = interval_wall_seconds;
}

void Simulator::begin_run(SimTime end) {
    stop_requested_ = false;
    until_clock_check_ = kEventsPerClockCheck;
    run_start_ = {wall_clock_ns(), dispatched_, now_, end, 0};
}

RunEnd Simulator::finish_run(SimTime end) {
    if (stop_requested_) return RunEnd::Stopped;
    if (end == kTimeMax) return RunEnd::Drained;
    now_ = end;
    return RunEnd::ReachedTime;
}

void Simulator::check_progress() {
    until_clock_check_ = kEventsPerClockCheck;
    if (!progress_hook_) return;
    const double wall = static_cast<double>(wall_clock_ns() - run_start_.wall_ns) * 1e-9;
    if (wall - run_start_.last_report_wall < progress_interval_) return;
    run_start_.last_report_wall = wall;
    progress_hook_(make_report(wall));
}

ProgressReport Simulator::make_report(double wall_seconds) const {
    ProgressReport r;
    r.events = dispatched_ - run_start_.dispatched;
    r.wall_seconds = wall_seconds;
    r.now = now_;
    r.pending = queue_.size();
    if (wall_seconds <= 0) return r;
    r.events_per_second = static_cast<double>(r.events) / wall_seconds;
    const double sim_elapsed = to_seconds(now_ - run_start_.sim);
    r.sim_seconds_per_wall_second = sim_elapsed / wall_seconds;
    if (run_start_.end != kTimeMax && r.sim_seconds_per_wall_second > 0)
        r.eta_wall_seconds = to_seconds(run_start_.end - now_) / r.sim_seconds_per_wall_second;
    return r;
}

}  // namespace mxsim::sim
