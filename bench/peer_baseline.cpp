// peer_baseline.cpp - the flood world run by `mxsim run` and by the SimPy peer
// (bench/peer/flood_peer.py), each as a whole process timed from fork to exit;
// their counts compared over the repetitions, and the ratio of wall times.
#include "bench/peer_baseline.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <stdexcept>

#ifndef MXSIM_SOURCE_DIR
#error "MXSIM_SOURCE_DIR must name the source tree (bench/CMakeLists.txt defines it)"
#endif

namespace mxsim::bench {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// A directory under $TMPDIR for the scenario file and mxsim's results, removed at the end.
class TempDir {
  public:
    TempDir() {
        std::string pattern = (fs::temp_directory_path() / "mxsim-peer-XXXXXX").string();
        if (!mkdtemp(pattern.data())) throw std::runtime_error("cannot make a temporary directory");
        path_ = pattern;
    }
    ~TempDir() {
        std::error_code ignored;
        fs::remove_all(path_, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const fs::path& path() const { return path_; }

  private:
    fs::path path_;
};

struct ProcessRun {
    std::string out;  // its standard output, when captured
    double wall_seconds = 0;
};

std::string describe_status(int status) {
    if (WIFEXITED(status)) return "exit status " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status)) return "signal " + std::to_string(WTERMSIG(status));
    return "status " + std::to_string(status);
}

// Runs argv (argv[0] looked up in PATH), stdout captured or sent to /dev/null,
// stderr shared; the wall time runs from fork to exit. Throws unless it exits 0.
ProcessRun run_process(const std::vector<std::string>& argv, bool capture) {
    std::vector<char*> args;
    for (const std::string& a : argv)
        args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    int fds[2];
    if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
    const auto start = std::chrono::steady_clock::now();
    const pid_t pid = fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        const int out = capture ? fds[1] : open("/dev/null", O_WRONLY);
        if (out < 0 || dup2(out, STDOUT_FILENO) < 0) _exit(127);
        close(fds[0]);
        close(fds[1]);
        execvp(args[0], args.data());
        _exit(127);
    }
    close(fds[1]);
    ProcessRun r;
    char buffer[4096];
    for (;;) {
        const ssize_t n = read(fds[0], buffer, sizeof buffer);
        if (n > 0) r.out.append(buffer, static_cast<std::size_t>(n));
        if (n == 0 || (n < 0 && errno != EINTR)) break;
    }
    close(fds[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    r.wall_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        throw std::runtime_error(argv[0] + " failed: " + describe_status(status));
    return r;
}

// Debian's interpreter, which has python3-simpy, unless MXSIM_PEER_PYTHON names another.
std::string peer_python() {
    if (const char* p = std::getenv("MXSIM_PEER_PYTHON")) return p;
    if (access("/usr/bin/python3", X_OK) == 0) return "/usr/bin/python3";
    return "python3";
}

json read_json_file(const fs::path& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read " + path.string());
    return json::parse(in);
}

double sum_of(const json& row) {
    double s = 0;
    for (const auto& [key, n] : row.items())
        s += n.get<double>();
    return s;
}

struct Moments {
    double mean = 0;
    double standard_error = 0;
};

// Mean and its standard error; from one run, a Poisson count's sqrt(mean).
Moments moments(const std::vector<double>& v) {
    Moments m;
    for (const double x : v)
        m.mean += x / static_cast<double>(v.size());
    if (v.size() < 2) {
        m.standard_error = std::sqrt(std::max(m.mean, 0.0));
        return m;
    }
    double squares = 0;
    for (const double x : v)
        squares += (x - m.mean) * (x - m.mean);
    const double n = static_cast<double>(v.size());
    m.standard_error = std::sqrt(squares / (n - 1) / n);
    return m;
}

double slack(double a, double b) {
    return std::max(10.0, 0.005 * std::max(std::abs(a), std::abs(b)));
}

double tolerance(const Moments& a, const Moments& b) {
    return 3 * std::hypot(a.standard_error, b.standard_error) + slack(a.mean, b.mean);
}

struct Repetition {
    Counts mxsim;
    Counts peer;
    double mxsim_wall = 0;
    double peer_wall = 0;
    double peer_own_wall = 0;  // what the peer measured itself, inside the interpreter
};

std::vector<std::string> peer_command(const FloodSize& size, std::uint64_t seed) {
    return {peer_python(), std::string(MXSIM_SOURCE_DIR) + "/bench/peer/flood_peer.py",
            "--messages",  std::to_string(size.messages),
            "--domains",   std::to_string(size.domains),
            "--mtas",      std::to_string(size.mtas),
            "--days",      std::to_string(size.days),
            "--mailboxes", std::to_string(size.mailboxes),
            "--seed",      std::to_string(seed),
            "--json"};
}

// One repetition: the scenario with this seed, then mxsim, then the peer.
Repetition run_repetition(const FloodSize& size, std::uint64_t seed, const TempDir& dir) {
    json scenario = flood_scenario(size);
    scenario["seed"] = seed;
    scenario["replications"] = 1;
    const fs::path file = dir.path() / "flood-bench.json";
    const fs::path out = dir.path() / "out";
    std::ofstream(file) << scenario.dump();
    if (!fs::exists(file)) throw std::runtime_error("cannot write " + file.string());
    fs::remove_all(out);

    Repetition r;
    // mxsim sits beside mxsim-bench in the build directory.
    const fs::path mxsim = fs::read_symlink("/proc/self/exe").parent_path() / "mxsim";
    const ProcessRun m = run_process(
        {mxsim.string(), "run", file.string(), "--out", out.string(), "--threads", "1", "--quiet"},
        false);
    r.mxsim_wall = m.wall_seconds;
    r.mxsim = mxsim_counts(read_json_file(out / "summary.json"));

    const ProcessRun p = run_process(peer_command(size, seed), true);
    const json peer = json::parse(p.out);
    r.peer = peer_counts(peer);
    r.peer_wall = p.wall_seconds;
    r.peer_own_wall = peer.at("wall_seconds").get<double>();
    return r;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

struct Row {
    std::string name;
    Moments mxsim;
    Moments peer;
    bool agree = false;
};

// Count by count over the repetitions; the two sides must name the same counts.
std::vector<Row> compare(const std::vector<Repetition>& reps) {
    std::vector<Row> rows;
    for (std::size_t i = 0; i < reps.front().mxsim.size(); ++i) {
        std::vector<double> ours, theirs;
        for (const Repetition& r : reps) {
            if (r.mxsim[i].first != r.peer[i].first)
                throw std::logic_error("counts out of step: " + r.mxsim[i].first);
            ours.push_back(r.mxsim[i].second);
            theirs.push_back(r.peer[i].second);
        }
        rows.push_back({reps.front().mxsim[i].first, moments(ours), moments(theirs),
                        counts_agree(ours, theirs)});
    }
    return rows;
}

struct Walls {
    double mxsim = 0;
    double peer = 0;
    double peer_own = 0;
};

Walls median_walls(const std::vector<Repetition>& reps) {
    std::vector<double> m, p, own;
    for (const Repetition& r : reps) {
        m.push_back(r.mxsim_wall);
        p.push_back(r.peer_wall);
        own.push_back(r.peer_own_wall);
    }
    return {median(m), median(p), median(own)};
}

void print_json(const FloodSize& size, int reps, const std::vector<Row>& rows, const Walls& w,
                bool agree) {
    nlohmann::ordered_json counts = nlohmann::ordered_json::object();
    for (const Row& r : rows)
        counts[r.name] = {{"mxsim", r.mxsim.mean},
                          {"peer", r.peer.mean},
                          {"tolerance", tolerance(r.mxsim, r.peer)},
                          {"agree", r.agree}};
    const nlohmann::ordered_json out = {{"peer", true},
                                        {"messages", size.messages},
                                        {"domains", size.domains},
                                        {"mtas", size.mtas},
                                        {"days", size.days},
                                        {"mailboxes", size.mailboxes},
                                        {"reps", reps},
                                        {"counts", counts},
                                        {"counts_agree", agree},
                                        {"mxsim_wall_seconds", w.mxsim},
                                        {"peer_wall_seconds", w.peer},
                                        {"peer_own_wall_seconds", w.peer_own},
                                        {"peer_over_mxsim", w.peer / w.mxsim}};
    std::cout << out.dump() << std::endl;
}

void print_table(const FloodSize& size, int reps, const std::vector<Row>& rows, const Walls& w,
                 bool agree) {
    std::cout << "flood --peer: " << size.messages << " worm messages, " << size.domains
              << " domains, " << size.mtas << " MTAs, " << size.days << " simulated days; " << reps
              << " repetitions (seeds 1.." << reps << ")\n"
              << std::fixed << std::setprecision(1) << "  " << std::left << std::setw(16) << "count"
              << std::right << std::setw(14) << "mxsim mean" << std::setw(14) << "peer mean"
              << std::setw(12) << "tolerance"
              << "  agree\n";
    for (const Row& r : rows)
        std::cout << "  " << std::left << std::setw(16) << r.name << std::right << std::setw(14)
                  << r.mxsim.mean << std::setw(14) << r.peer.mean << std::setw(12)
                  << tolerance(r.mxsim, r.peer) << "  " << (r.agree ? "yes" : "NO") << "\n";
    std::cout << std::setprecision(2) << "  counts " << (agree ? "agree" : "DISAGREE")
              << " (means within 3 combined standard errors + max(10, 0.5%))\n"
              << "  wall time, whole process, median: mxsim " << w.mxsim << " s, peer " << w.peer
              << " s (" << w.peer_own << " s inside the interpreter)\n"
              << "  peer/mxsim " << w.peer / w.mxsim << "x\n";
}

}  // namespace

Counts mxsim_counts(const json& summary) {
    const json& fates = summary.at("fates");
    double all = 0;
    for (const auto& [origin, row] : fates.items())
        all += sum_of(row);
    const auto fate = [&](const char* origin, const char* f) {
        return fates.at(origin).at(f).get<double>();
    };
    double dns = 0;
    for (const json& mta : summary.at("mtas"))
        dns += mta.at("dns_queries").get<double>();
    return {{"messages", all},
            {"worm.created", sum_of(fates.at("worm"))},
            {"worm.delivered", fate("worm", "delivered")},
            {"worm.rejected", fate("worm", "rejected")},
            {"worm.bounced", fate("worm", "bounced")},
            {"ndr.created", sum_of(fates.at("ndr"))},
            {"ndr.delivered", fate("ndr", "delivered")},
            // An NDR whose bounce_queue_lifetime runs out is expired, then dropped
            // (the peer counts it dropped).
            {"ndr.dropped", fate("ndr", "expired") + fate("ndr", "dropped")},
            {"ndr.queued", fate("ndr", "queued")},
            {"backscatter", summary.at("backscatter_delivered").get<double>()},
            {"smtp_sessions", summary.at("smtp_sessions").get<double>()},
            {"dns_queries", dns}};
}

Counts peer_counts(const json& peer) {
    const auto get = [&](const char* group, const char* key) {
        return peer.at(group).at(key).get<double>();
    };
    return {{"messages", peer.at("messages").get<double>()},
            {"worm.created", get("worm", "created")},
            {"worm.delivered", get("worm", "delivered")},
            {"worm.rejected", get("worm", "rejected")},
            {"worm.bounced", get("worm", "bounced")},
            {"ndr.created", get("ndr", "created")},
            {"ndr.delivered", get("ndr", "delivered")},
            {"ndr.dropped", get("ndr", "dropped")},
            {"ndr.queued", get("ndr", "queued")},
            {"backscatter", peer.at("backscatter").get<double>()},
            {"smtp_sessions", peer.at("smtp_sessions").get<double>()},
            {"dns_queries", peer.at("dns_queries").get<double>()}};
}

bool counts_agree(const std::vector<double>& a, const std::vector<double>& b) {
    const Moments ma = moments(a), mb = moments(b);
    return std::abs(ma.mean - mb.mean) <= tolerance(ma, mb);
}

int run_peer_comparison(const FloodSize& size, int reps, bool json) {
    std::vector<Repetition> runs;
    try {
        const TempDir dir;
        for (int r = 0; r < reps; ++r)
            runs.push_back(run_repetition(size, static_cast<std::uint64_t>(r) + 1, dir));
    } catch (const std::exception& e) {
        std::cerr << "mxsim-bench flood --peer: " << e.what() << "\n";
        return 1;
    }
    const std::vector<Row> rows = compare(runs);
    const bool agree = std::all_of(rows.begin(), rows.end(), [](const Row& r) { return r.agree; });
    const Walls walls = median_walls(runs);
    if (json)
        print_json(size, reps, rows, walls, agree);
    else
        print_table(size, reps, rows, walls, agree);
    return agree ? 0 : 1;
}

}  // namespace mxsim::bench
