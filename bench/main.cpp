// main.cpp - mxsim-bench: benchmarks that time mxsim and its peer baseline in one run.
// Usage: mxsim-bench kernel|flood [options] [--json]
#include <iostream>
#include <string_view>
#include <vector>

#include "bench/flood_bench.hpp"
#include "bench/kernel_bench.hpp"

int main(int argc, char** argv) {
    const std::vector<std::string_view> args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "--help" || args[0] == "-h") {
        std::cout << "usage: mxsim-bench kernel [--pending N] [--ops N] [--reps N] [--json]\n"
                     "       mxsim-bench flood [--messages N] [--domains N] [--mtas N] [--days N] "
                     "[--mailboxes N] [--reps N] [--peer] [--json]\n";
        return args.empty() ? 2 : 0;
    }
    if (args[0] == "kernel") return mxsim::bench::run_kernel_bench(std::span(args).subspan(1));
    if (args[0] == "flood") return mxsim::bench::run_flood_bench(std::span(args).subspan(1));
    std::cerr << "mxsim-bench: unknown benchmark '" << args[0] << "' (known: kernel, flood)\n";
    return 2;
}
