// flood_bench.cpp - a Klez-style flood at scale through the whole model: world
// set-up, worm traffic, SMTP dialogues, bounces, queues and five days of retries.
// Each repetition runs in a child process so its peak RSS is its own. Reports
// events/s end to end (set-up included), wall time, peak RSS and the memory the
// run added per message alive at the peak; the peer baseline is the bare
// kernel (the hold model of `mxsim-bench kernel`) at the same event count, or
// with --peer the SimPy model of the same world (peer_baseline.hpp).
#include "bench/flood_bench.hpp"

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench/flood_scenario.hpp"
#include "bench/peer_baseline.hpp"
#include "cli/command_line.hpp"
#include "model/world.hpp"
#include "scenario/experiment_file.hpp"
#include "sim/random_stream.hpp"
#include "sim/simulator.hpp"

namespace mxsim::bench {
namespace {

constexpr double kTargetEventsPerSecond = 5e6;

struct Options {
    FloodSize size;
    int reps = 3;
    bool json = false;
    bool peer = false;           // whole-process runs of mxsim and the SimPy peer instead
    std::string write_scenario;  // only write the scenario file, for `mxsim run`
};

struct Sample {
    double wall_seconds = 0;
    double events = 0;
    double peak_rss_bytes = 0;
    double rss_after_setup = 0;
    double peak_live_messages = 0;
    double messages = 0;
    double kernel_seconds = 0;  // the bare kernel, same number of events
    double load_seconds = 0;    // scenario text to validated Scenario
    double setup_seconds = 0;   // the World built from it
};

double seconds_since(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

double current_rss_bytes() {
    std::ifstream statm("/proc/self/statm");
    double pages = 0, resident = 0;
    statm >> pages >> resident;
    return resident * static_cast<double>(sysconf(_SC_PAGESIZE));
}

// The hold model on the bare kernel: `events` events with `pending` in flight.
double kernel_seconds(double events, std::size_t pending) {
    struct Hold {
        sim::Simulator* s;
        std::uint64_t left;
        sim::RandomStream rng{1, "bench.flood.kernel", 0};
        void operator()(const sim::Event& e) {
            s->schedule_in(rng.exponential_time(sim::kSecond), e.kind, e.target);
            if (--left == 0) s->stop();
        }
    };
    sim::Simulator s;
    Hold h{&s, static_cast<std::uint64_t>(std::max(1.0, events))};
    for (std::size_t i = 0; i < pending; ++i)
        s.schedule_in(h.rng.exponential_time(sim::kSecond), 0, static_cast<std::uint32_t>(i));
    const auto start = std::chrono::steady_clock::now();
    s.run(h);
    return seconds_since(start);
}

// Load (parse the scenario text, validate, expand), build the world, run it.
Sample run_once(const std::string& text) {
    Sample s;
    const auto start = std::chrono::steady_clock::now();
    const format::Experiment ex = format::parse_experiment(text, "flood-bench");
    s.load_seconds = seconds_since(start);
    const auto built = std::chrono::steady_clock::now();
    model::World world(ex.scenarios.front(), {1, 0, false});
    s.setup_seconds = seconds_since(built);
    s.rss_after_setup = current_rss_bytes();
    const model::RunResults r = world.run();
    s.wall_seconds = seconds_since(start);
    s.events = static_cast<double>(r.events);
    s.peak_live_messages = static_cast<double>(world.peak_live_messages());
    s.messages = static_cast<double>(world.messages_created());
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    s.peak_rss_bytes = static_cast<double>(usage.ru_maxrss) * 1024.0;
    s.kernel_seconds = kernel_seconds(s.events, 100'000);
    return s;
}

// One repetition in a child process: a fresh address space, so peak RSS is its own.
Sample run_in_child(const std::string& text) {
    int fds[2];
    if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
    const pid_t pid = fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        close(fds[0]);
        int code = 0;
        try {
            const Sample s = run_once(text);
            code = write(fds[1], &s, sizeof s) == static_cast<ssize_t>(sizeof s) ? 0 : 1;
        } catch (const std::exception& e) {
            std::cerr << "mxsim-bench flood: " << e.what() << "\n";
            code = 1;
        }
        _exit(code);
    }
    close(fds[1]);
    Sample s;
    const ssize_t got = read(fds[0], &s, sizeof s);
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    if (got != static_cast<ssize_t>(sizeof s) || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        throw std::runtime_error("a benchmark run failed");
    return s;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

}  // namespace

int run_flood_bench(std::span<const std::string_view> args) {
    Options o;
    CLI::App app(
        "The Klez-style flood of issue 10, timed as a whole process; --peer runs the SimPy "
        "peer model of the same world in the same run and prints the ratio.",
        "mxsim-bench flood");
    app.add_option("--messages", o.size.messages, "worm messages")
        ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1'000'000'000}));
    app.add_option("--domains", o.size.domains, "domains")->check(CLI::Range(1, 1'000'000));
    app.add_option("--mtas", o.size.mtas, "MTAs (at most --domains)")
        ->check(CLI::Range(1, 100'000));
    app.add_option("--days", o.size.days, "simulated days")->check(CLI::Range(1, 365));
    app.add_option("--mailboxes", o.size.mailboxes, "mailboxes per domain")
        ->check(CLI::Range(1, 100'000));
    app.add_option("--reps", o.reps, "runs (the median is printed)")->check(CLI::Range(1, 100));
    app.add_flag("--json", o.json, "one JSON object");
    app.add_flag("--peer", o.peer,
                 "run `mxsim run` and bench/peer/flood_peer.py (SimPy 2) as whole processes, "
                 "compare their counts and wall times (MXSIM_PEER_PYTHON names the interpreter)");
    app.add_option("--write-scenario", o.write_scenario,
                   "only write the flood as a scenario file, for `mxsim run`")
        ->type_name("FILE");
    const std::vector<std::string_view> words(args.begin(), args.end());
    if (const auto done = cli::parse_command(app, words, std::cout, std::cerr)) return *done;
    std::string text;  // the scenario as a user would write it
    try {
        if (o.size.domains < o.size.mtas)
            throw std::invalid_argument("--domains: at least as many as --mtas");
        if (o.peer) return run_peer_comparison(o.size, o.reps, o.json);
        if (!o.write_scenario.empty()) {
            std::ofstream out(o.write_scenario);
            out << flood_scenario(o.size).dump() << "\n";
            if (!out.flush()) throw std::runtime_error("cannot write " + o.write_scenario);
            return 0;
        }
        text = flood_scenario(o.size).dump();
    } catch (const std::exception& e) {
        std::cerr << "mxsim-bench flood: " << e.what()
                  << "\nrun 'mxsim-bench flood --help' for the usage\n";
        return 2;
    }
    std::vector<Sample> samples;
    try {
        for (int r = 0; r < o.reps; ++r)
            samples.push_back(run_in_child(text));
    } catch (const std::exception& e) {
        std::cerr << "mxsim-bench flood: " << e.what() << "\n";
        return 1;
    }
    const auto med = [&](auto field) {
        std::vector<double> v;
        for (const Sample& s : samples)
            v.push_back(field(s));
        return median(v);
    };
    const double wall = med([](const Sample& s) { return s.wall_seconds; });
    const double eps = med([](const Sample& s) { return s.events / s.wall_seconds; });
    const double kernel_eps = med([](const Sample& s) { return s.events / s.kernel_seconds; });
    const double load = med([](const Sample& s) { return s.load_seconds; });
    const double setup = med([](const Sample& s) { return s.setup_seconds; });
    const double rss = med([](const Sample& s) { return s.peak_rss_bytes; });
    const double per_message = med([](const Sample& s) {
        return (s.peak_rss_bytes - s.rss_after_setup) / std::max(1.0, s.peak_live_messages);
    });
    const Sample& first = samples.front();
    // A queued message's own state: its Message slot, its envelope number
    // (MessageStore) and its entry in a queue index.
    const std::size_t hot =
        sizeof(model::Message) + sizeof(model::Envelope) + sizeof(model::MessageId);
    if (o.json) {
        std::cout << std::fixed << std::setprecision(1) << "{\"events_per_second\": " << eps
                  << ", \"wall_seconds\": " << std::setprecision(3) << wall
                  << ", \"load_seconds\": " << std::setprecision(4) << load
                  << ", \"setup_seconds\": " << setup << std::setprecision(3)
                  << ", \"peak_rss_bytes\": " << std::setprecision(0) << rss
                  << ", \"bytes_per_queued_message\": " << std::setprecision(1) << per_message
                  << ", \"hot_bytes_per_queued_message\": " << hot
                  << ", \"messages\": " << std::setprecision(0) << first.messages
                  << ", \"events\": " << first.events
                  << ", \"peak_queued_messages\": " << first.peak_live_messages
                  << ", \"kernel_events_per_second\": " << kernel_eps << ", \"reps\": " << o.reps
                  << "}" << std::endl;
        return 0;
    }
    std::cout << std::fixed << std::setprecision(2) << "flood: " << o.size.messages
              << " worm messages, " << o.size.domains << " domains, " << o.size.mtas << " MTAs, "
              << o.size.days << " simulated days; median of " << o.reps << " runs\n"
              << "  messages (all origins)   " << std::setprecision(0) << first.messages << "\n"
              << "  events                   " << first.events << "\n"
              << "  wall time                " << std::setprecision(2) << wall
              << " s  (load, set-up and run; results are not written)\n"
              << "  load + build the world   " << std::setprecision(1) << (load + setup) * 1e3
              << " ms  (" << load * 1e3 << " + " << setup * 1e3 << "; target <= 50 ms)\n"
              << "  events/s end to end      " << eps / 1e6
              << " M  (target 5 M: " << eps / kTargetEventsPerSecond << "x)\n"
              << "  bare kernel, same events " << kernel_eps / 1e6 << " M  (model/kernel "
              << eps / kernel_eps << "x)\n"
              << "  peak RSS                 " << rss / (1 << 20) << " MiB\n"
              << "  peak queued messages     " << std::setprecision(0) << first.peak_live_messages
              << "\n"
              << "  bytes per queued message " << std::setprecision(1) << per_message
              << "  (run-time growth of RSS / peak queued)\n"
              << "  hot bytes per queued msg " << hot
              << "  (target <= 64: its Message slot, envelope number and queue-index entry)\n";
    return 0;
}

}  // namespace mxsim::bench
