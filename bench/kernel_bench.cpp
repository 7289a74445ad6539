// kernel_bench.cpp - the hold model on three pending-event sets, timed in one run.
// Each step pops the earliest event and pushes it back at its time plus an
// exponential increment (mean 1 s), so the number pending stays N. Contenders:
// mxsim's EventQueue, std::priority_queue of the same 24-byte events, and
// std::priority_queue of {double, seq, std::function} (the textbook design);
// and, for the cost of the run loop itself, mxsim's Simulator with a progress hook.
#include "bench/kernel_bench.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <iomanip>
#include <iostream>
#include <optional>
#include <queue>
#include <stdexcept>
#include <string>
#include <vector>

#include "cli/command_line.hpp"
#include "sim/event_queue.hpp"
#include "sim/random_stream.hpp"
#include "sim/simulator.hpp"

namespace mxsim::bench {
namespace {

using sim::Event;
using sim::SimTime;

struct Options {
    std::vector<std::size_t> sizes{1'000, 10'000, 100'000, 1'000'000, 10'000'000};
    std::size_t ops = 2'000'000;  // hold steps timed per repetition
    int reps = 3;                 // repetitions; the median is reported
    bool json = false;
};

// Increments are drawn once, so every contender sees the same times and no
// random-number cost is mixed into the queue timings.
class Increments {
  public:
    Increments() : values_(std::size_t{1} << 20) {
        sim::RandomStream rng(1, "bench.kernel.increments", 0);
        for (SimTime& v : values_)
            v = rng.exponential_time(sim::kSecond);
    }
    SimTime operator[](std::size_t i) const { return values_[i & (values_.size() - 1)]; }

  private:
    std::vector<SimTime> values_;
};

struct Timed {
    double seconds;
    double checksum;  // sum of popped times: equal across contenders, or one is wrong
};

double elapsed_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

Timed hold_mxsim(std::size_t n, std::size_t ops, const Increments& inc) {
    sim::EventQueue q;
    for (std::size_t i = 0; i < n; ++i)
        q.push(inc[i], 0, static_cast<std::uint32_t>(i));
    double checksum = 0;
    Event e;
    auto start = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < 2 * ops; ++i) {
        if (i == ops) start = std::chrono::steady_clock::now(), checksum = 0;
        q.pop(e);
        checksum += static_cast<double>(e.time);
        q.push(e.time + inc[n + i], e.kind, e.target);
    }
    return {elapsed_since(start), checksum};
}

// The same hold model driven through Simulator::run, with a progress hook
// installed: the cost of dispatch and progress reporting on top of the queue.
Timed hold_simulator(std::size_t n, std::size_t ops, const Increments& inc) {
    sim::Simulator s;
    for (std::size_t i = 0; i < n; ++i)
        s.schedule_at(inc[i], 0, static_cast<std::uint32_t>(i));
    std::uint64_t reports = 0;
    s.set_progress_hook([&reports](const sim::ProgressReport&) { ++reports; }, 0.5);
    struct Hold {
        sim::Simulator& s;
        const Increments& inc;
        std::size_t next;
        std::size_t left;
        double checksum = 0;
        void operator()(const Event& e) {
            checksum += static_cast<double>(e.time);
            s.schedule_at(e.time + inc[next++], e.kind, e.target);
            if (--left == 0) s.stop();
        }
    } hold{s, inc, n, ops};
    s.run(hold);  // warm-up
    hold.checksum = 0;
    hold.left = ops;
    const auto start = std::chrono::steady_clock::now();
    s.run(hold);
    return {elapsed_since(start), hold.checksum};
}

struct Later {
    bool operator()(const Event& a, const Event& b) const { return sim::runs_before(b, a); }
};

Timed hold_heap(std::size_t n, std::size_t ops, const Increments& inc) {
    std::priority_queue<Event, std::vector<Event>, Later> q;
    std::uint64_t seq = 0;
    for (std::size_t i = 0; i < n; ++i)
        q.push({inc[i], seq++, 0, static_cast<std::uint32_t>(i)});
    double checksum = 0;
    auto start = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < 2 * ops; ++i) {
        if (i == ops) start = std::chrono::steady_clock::now(), checksum = 0;
        const Event e = q.top();
        q.pop();
        checksum += static_cast<double>(e.time);
        q.push({e.time + inc[n + i], seq++, e.kind, e.target});
    }
    return {elapsed_since(start), checksum};
}

struct FunctionEvent {
    double time;
    std::uint64_t seq;
    std::function<void()> action;
};

struct FunctionLater {
    bool operator()(const FunctionEvent& a, const FunctionEvent& b) const {
        return b.time < a.time || (b.time == a.time && b.seq < a.seq);
    }
};

Timed hold_function(std::size_t n, std::size_t ops, const Increments& inc) {
    std::priority_queue<FunctionEvent, std::vector<FunctionEvent>, FunctionLater> q;
    std::uint64_t seq = 0;
    std::uint64_t fired = 0;
    const auto action = [&fired] { ++fired; };
    for (std::size_t i = 0; i < n; ++i)
        q.push({static_cast<double>(inc[i]), seq++, action});
    double checksum = 0;
    auto start = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < 2 * ops; ++i) {
        if (i == ops) start = std::chrono::steady_clock::now(), checksum = 0;
        const FunctionEvent e = q.top();
        q.pop();
        e.action();
        checksum += e.time;
        q.push({e.time + static_cast<double>(inc[n + i]), seq++, action});
    }
    const double seconds = elapsed_since(start);
    if (fired != 2 * ops) throw std::logic_error("function queue lost events");
    return {seconds, checksum};
}

// Median over reps of a contender's rate in millions of events per second;
// also checks that every repetition popped the same times as `expected`.
double median_meps(Timed (*hold)(std::size_t, std::size_t, const Increments&), std::size_t n,
                   const Options& o, const Increments& inc, std::optional<double>& expected) {
    std::vector<double> rates;
    for (int r = 0; r < o.reps; ++r) {
        const Timed t = hold(n, o.ops, inc);
        if (expected && t.checksum != *expected)
            throw std::logic_error("contenders popped different events at pending=" +
                                   std::to_string(n));
        expected = t.checksum;
        rates.push_back(static_cast<double>(o.ops) / t.seconds / 1e6);
    }
    std::sort(rates.begin(), rates.end());
    return rates[rates.size() / 2];
}

}  // namespace

int run_kernel_bench(std::span<const std::string_view> args) {
    Options o;
    std::optional<std::size_t> pending;
    CLI::App app("The pending-event set against std::priority_queue (hold model), in the same run.",
                 "mxsim-bench kernel");
    app.add_option("--pending", pending, "one pending-set size instead of the default sizes")
        ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 30));
    app.add_option("--ops", o.ops, "steps per run")->check(CLI::Range(std::size_t{1}, SIZE_MAX));
    app.add_option("--reps", o.reps, "runs (the median is printed)")->check(CLI::Range(1, 1000));
    app.add_flag("--json", o.json, "one JSON object per size");
    const std::vector<std::string_view> words(args.begin(), args.end());
    if (const auto done = cli::parse_command(app, words, std::cout, std::cerr)) return *done;
    if (pending) o.sizes = {*pending};
    const Increments inc;
    if (!o.json)
        std::cout << "hold model, " << o.ops << " steps, median of " << o.reps
                  << " runs (millions of events per second)\n"
                  << std::setw(10) << "pending" << std::setw(10) << "mxsim" << std::setw(10)
                  << "heap" << std::setw(10) << "function" << std::setw(11) << "simulator"
                  << std::setw(13) << "mxsim/heap\n";
    for (const std::size_t n : o.sizes) {
        std::optional<double> expected;
        const double mx = median_meps(hold_mxsim, n, o, inc, expected);
        const double heap = median_meps(hold_heap, n, o, inc, expected);
        const double fn = median_meps(hold_function, n, o, inc, expected);
        const double kernel = median_meps(hold_simulator, n, o, inc, expected);
        if (o.json) {
            std::cout << std::fixed << std::setprecision(3) << "{\"pending\": " << n
                      << ", \"ops\": " << o.ops << ", \"reps\": " << o.reps
                      << ", \"mxsim_meps\": " << mx << ", \"heap_meps\": " << heap
                      << ", \"function_meps\": " << fn << ", \"simulator_meps\": " << kernel
                      << ", \"mxsim_over_heap\": " << mx / heap << "}" << std::endl;
        } else {
            std::cout << std::fixed << std::setprecision(2) << std::setw(10) << n << std::setw(10)
                      << mx << std::setw(10) << heap << std::setw(10) << fn << std::setw(11)
                      << kernel << std::setw(12) << mx / heap << "x" << std::endl;
        }
    }
    return 0;
}

}  // namespace mxsim::bench
