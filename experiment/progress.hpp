// progress.hpp - how far an experiment's jobs have got, for whatever shows it (the
// progress line of `mxsim run`, the status bar of mxsim-gui). Offers JobProgress, a
// thread-safe collector of sim::ProgressReport from many jobs, its ProgressState, and
// format_event_rate() and format_eta() for the rate and the ETA as text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "sim/progress.hpp"
#include "sim/sim_time.hpp"

namespace mxsim::experiment {

// The whole run at one moment; what a progress display shows.
struct ProgressState {
    double fraction = 0;                // of the whole run, 0..1
    std::size_t job = 0;                // jobs started so far (the one shown as current)
    std::size_t jobs = 0;               // in the whole run; "job k/n" is left out when <= 1
    double events_per_second = 0;       // over all jobs and threads
    std::optional<double> eta_seconds;  // unknown until some progress is made
};

// "850 events/s", "12.3 k events/s", "3.2 M events/s", "1.5 G events/s".
std::string format_event_rate(double events_per_second);
// "0:41", "59:59", "1:00:00", "27:46:40"; "--:--" for unknown, negative or not finite.
std::string format_eta(std::optional<double> seconds);

// Collects progress of a run made of jobs 0..n-1 (variants x sweep points x
// replications), each simulating from time 0 to its own duration, possibly on
// several threads. Every member is thread-safe; the mutex is held briefly.
// The whole run's fraction weighs each job by its simulated duration (equally
// when a duration is unknown, i.e. <= 0; such a job counts only once done).
// A display derives from it and draws from updated() (cli/progress_bar), or
// polls state() (mxsim-gui).
class JobProgress {
  public:
    // `clock_seconds`: wall seconds, called under the mutex; empty =
    // std::chrono::steady_clock (tests inject one).
    JobProgress(std::size_t jobs, sim::SimTime job_duration,
                std::function<double()> clock_seconds = {});
    explicit JobProgress(std::vector<sim::SimTime> job_durations,
                         std::function<double()> clock_seconds = {});
    virtual ~JobProgress() = default;
    JobProgress(const JobProgress&) = delete;
    JobProgress& operator=(const JobProgress&) = delete;

    // A hook for job k's Simulator; it refers to this object, which must outlive its use.
    sim::ProgressHook hook_for(std::size_t job);
    void report(std::size_t job, const sim::ProgressReport& report);
    // Marks job k complete; `events` (e.g. Simulator::dispatched()) refines the rate.
    void job_done(std::size_t job, std::uint64_t events = 0);

    ProgressState state() const;

  protected:
    // Called after every report and job_done(), with the mutex held; does nothing here.
    virtual void updated() {}
    // Wall seconds since construction (calls the clock).
    double elapsed_seconds() const;
    // The state at `elapsed` seconds; the mutex must be held (as in updated()).
    ProgressState state_locked(double elapsed) const;
    std::mutex& mutex() const { return mutex_; }

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

    const std::function<double()> clock_seconds_;
    const double start_;
    mutable std::mutex mutex_;
    std::vector<Job> jobs_;
};

}  // namespace mxsim::experiment
