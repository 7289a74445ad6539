// estimate_check.cpp - mxsim-estimate-check: the work estimate's memory figure beside
// the peak memory a run really takes, for each scenario file given, so the per-item
// costs in scenario/work_estimate.cpp stay measured. Each file runs in a child process
// (load, build and run every job on one thread, as `mxsim run --threads 1` would, but
// without writing results), and the child's peak RSS is read from wait4().
//   mxsim-estimate-check FILE.json...
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <exception>

#include "experiment/job_runner.hpp"
#include "scenario/experiment_file.hpp"
#include "scenario/work_estimate.hpp"

namespace {

int run_all(const char* path) {
    try {
        const mxsim::format::Experiment ex = mxsim::format::load_experiment_file(path);
        (void)mxsim::experiment::run_jobs(ex, {}, 1);
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s: %s\n", path, e.what());
        return 1;
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: mxsim-estimate-check FILE.json...\n");
        return 2;
    }
    std::printf("%-40s %12s %12s %7s\n", "scenario", "estimate", "peak RSS", "ratio");
    int failures = 0;
    for (int i = 1; i < argc; ++i) {
        const auto ex = mxsim::format::load_experiment_file(argv[i]);
        const auto estimate = mxsim::format::estimate_work(ex, 1, false);
        const pid_t child = fork();
        if (child == 0) _exit(run_all(argv[i]));
        int status = 0;
        rusage usage{};
        if (child < 0 || wait4(child, &status, 0, &usage) != child || status != 0) {
            ++failures;
            continue;
        }
        const double peak = static_cast<double>(usage.ru_maxrss) * 1024.0;
        std::printf("%-40s %12s %12s %7.2f\n", argv[i],
                    mxsim::format::format_bytes(estimate.memory_bytes).c_str(),
                    mxsim::format::format_bytes(static_cast<std::uint64_t>(peak)).c_str(),
                    static_cast<double>(estimate.memory_bytes) / peak);
    }
    return failures == 0 ? 0 : 1;
}
