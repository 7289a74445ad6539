// estimate_check.cpp - mxsim-estimate-check: the work estimate's memory figure beside
// the peak memory `mxsim run` really takes, for each scenario file given, so that the
// per-item costs in scenario/work_estimate.cpp stay measured. Each file is run by the
// mxsim binary next to this one, as a process of its own (`mxsim run FILE --threads 1
// --quiet --ignore-estimate` into a temporary folder); its peak RSS comes from wait4().
//   mxsim-estimate-check FILE.json...
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "scenario/experiment_file.hpp"
#include "scenario/work_estimate.hpp"

namespace {

namespace fs = std::filesystem;

// Peak RSS in bytes of `mxsim run FILE`, or -1 when it failed.
double measured_peak(const std::string& mxsim, const std::string& file, const fs::path& out) {
    const pid_t child = fork();
    if (child == 0) {
        if (std::freopen("/dev/null", "w", stdout) == nullptr) _exit(127);
        execl(mxsim.c_str(), mxsim.c_str(), "run", file.c_str(), "--threads", "1", "--quiet",
              "--ignore-estimate", "--out", out.c_str(), static_cast<char*>(nullptr));
        _exit(127);
    }
    int status = 0;
    rusage usage{};
    if (child < 0 || wait4(child, &status, 0, &usage) != child || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0)
        return -1;
    return static_cast<double>(usage.ru_maxrss) * 1024.0;  // Linux: KiB
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: mxsim-estimate-check FILE.json...\n");
        return 2;
    }
    const std::string mxsim = (fs::absolute(argv[0]).parent_path() / "mxsim").string();
    const fs::path out =
        fs::temp_directory_path() / ("mxsim-estimate-check-" + std::to_string(::getpid()));
    // Every run first, while this process is small: a child's peak RSS counts the
    // pages it shares with its parent until it execs.
    std::vector<double> peaks;
    for (int i = 1; i < argc; ++i) {
        peaks.push_back(measured_peak(mxsim, argv[i], out));
        std::error_code ec;
        fs::remove_all(out, ec);
    }
    std::printf("%-34s %10s %10s %6s\n", "scenario", "estimate", "peak RSS", "ratio");
    int failures = 0;
    for (int i = 1; i < argc; ++i) {
        try {
            const double peak = peaks[static_cast<std::size_t>(i - 1)];
            if (peak < 0) throw std::runtime_error("mxsim run failed");
            const auto ex = mxsim::format::load_experiment_file(argv[i]);
            const auto estimate = mxsim::format::estimate_work(ex, 1, false);
            std::printf("%-34s %10s %10s %6.2f\n", fs::path(argv[i]).filename().c_str(),
                        mxsim::format::format_bytes(estimate.memory_bytes).c_str(),
                        mxsim::format::format_bytes(static_cast<std::uint64_t>(peak)).c_str(),
                        static_cast<double>(estimate.memory_bytes) / peak);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "%s: %s\n", argv[i], e.what());
            ++failures;
        }
    }
    return failures == 0 ? 0 : 1;
}
