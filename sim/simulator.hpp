// simulator.hpp - the discrete-event kernel: a clock, the pending-event set, a run loop.
// Offers scheduling at or after now, O(1) cancellation, runs until a time, until
// no events remain, or until stop(); and a progress hook at negligible cost.
#pragma once

#include <cstdint>

#include "sim/event_queue.hpp"
#include "sim/progress.hpp"

namespace mxsim::sim {

enum class RunEnd {
    Drained,      // no events were left
    ReachedTime,  // the next event lies after the end time; now == end time
    Stopped,      // stop() was called
};

// The kernel knows nothing of what events mean. A run hands each event to a
// handler (any callable taking const Event&, typically a model that switches
// on Event::kind); the handler is a template parameter, so dispatch is a
// direct, inlinable call: no virtual call, std::function or allocation per event.
class Simulator {
  public:
    SimTime now() const { return now_; }

    // Schedules an event at `at` >= now(); earlier times throw std::invalid_argument.
    EventId schedule_at(SimTime at, std::uint32_t kind, std::uint32_t target);
    EventId schedule_in(SimTime delay, std::uint32_t kind, std::uint32_t target);
    bool cancel(EventId id) { return queue_.cancel(id); }

    std::size_t pending() const { return queue_.size(); }
    std::uint64_t dispatched() const { return dispatched_; }

    // Ends the current run after the event being handled.
    void stop() { stop_requested_ = true; }

    // Calls hook about every `interval_wall_seconds` of wall time during runs.
    void set_progress_hook(ProgressHook hook, double interval_wall_seconds = 1.0);

    template <class Handler>
    RunEnd run(Handler&& handler) {
        return run_loop(kTimeMax, handler);
    }

    // Runs every event at or before `end` (which must be >= now()); unless
    // stopped, the clock then reads `end`.
    template <class Handler>
    RunEnd run_until(SimTime end, Handler&& handler) {
        check_not_past(end, "run_until");
        return run_loop(end, handler);
    }

  private:
    // Events between wall-clock looks; a look costs ~20 ns, so this keeps the
    // hook's cost per event far below a nanosecond.
    static constexpr std::uint32_t kEventsPerClockCheck = 4096;

    template <class Handler>
    RunEnd run_loop(SimTime end, Handler& handler) {
        begin_run(end);
        Event e;
        while (!stop_requested_ && queue_.pop_until(end, e)) {
            now_ = e.time;
            ++dispatched_;
            handler(static_cast<const Event&>(e));
            if (--until_clock_check_ == 0) check_progress();
        }
        return finish_run(end);
    }

    void check_not_past(SimTime at, const char* what) const;
    void begin_run(SimTime end);
    void check_progress();
    RunEnd finish_run(SimTime end);
    ProgressReport make_report(double wall_seconds) const;

    EventQueue queue_;
    SimTime now_ = 0;
    std::uint64_t dispatched_ = 0;
    bool stop_requested_ = false;

    ProgressHook progress_hook_;
    double progress_interval_ = 1.0;
    std::uint32_t until_clock_check_ = kEventsPerClockCheck;
    struct RunStart {
        std::int64_t wall_ns = 0;
        std::uint64_t dispatched = 0;
        SimTime sim = 0;
        SimTime end = kTimeMax;
        double last_report_wall = 0;
    } run_start_;
};

}  // namespace mxsim::sim
