// main.cpp - mxsim, the headless front end.
// Usage: mxsim run SCENARIO.json [--seed N] [--out DIR] [--trace] [--threads N] [--quiet]
//        mxsim explain SCENARIO.json (--message ID | --address ADDR) [--seed N]
//        mxsim demo [--seed N] [--replications N]
#include <cstdint>
#include <exception>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "cli/arguments.hpp"
#include "cli/explain_command.hpp"
#include "cli/kernel_demo.hpp"
#include "cli/run_command.hpp"

namespace {

constexpr const char* kUsage =
    "usage: mxsim run SCENARIO.json [--seed N] [--out DIR] [--trace] [--threads N] [--quiet]\n"
    "       mxsim explain SCENARIO.json (--message ID | --address ADDR) [--variant NAME] [--seed "
    "N]\n"
    "       mxsim demo [--seed N] [--replications N]\n"
    "  run      simulate every variant x sweep point x replication of a scenario; print\n"
    "           the comparison, write DIR/summary.json, timeseries.csv, backscatter.dot\n"
    "           (default DIR: out/<scenario name>) and with --trace DIR/trace.jsonl;\n"
    "           under mpirun -np N the jobs are spread over N processes (docs/cluster.md)\n"
    "  explain  the story of one message (and the NDRs it caused), or of every message\n"
    "           to or from an address, each step with the rule behind it\n"
    "  demo   an M/M/1 queue on the event kernel, two variants with common random\n"
    "         numbers, compared with queueing theory\n";

int demo(const std::vector<std::string_view>& args) {
    mxsim::cli::KernelDemoOptions o;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string_view a = args[i];
        const std::string_view value = i + 1 < args.size() ? args[i + 1] : std::string_view{};
        if (a == "--seed") {
            o.seed = mxsim::cli::parse_whole_number(a, value);
        } else if (a == "--replications") {
            const std::uint64_t n = mxsim::cli::parse_whole_number(a, value);
            if (n < 2 || n > 10'000)
                throw std::invalid_argument("--replications: must be between 2 and 10000");
            o.replications = static_cast<int>(n);
        } else {
            throw std::invalid_argument("unknown option '" + std::string(a) + "'");
        }
        ++i;
    }
    return mxsim::cli::run_kernel_demo(o, std::cout);
}

}  // namespace

int main(int argc, char** argv) {
    const std::vector<std::string_view> args(argv + 1, argv + argc);
    if (args.empty()) {
        std::cerr << kUsage;
        return 2;
    }
    try {
        if (args[0] == "run")
            return mxsim::cli::run_command({args.begin() + 1, args.end()}, std::cout, std::cerr);
        if (args[0] == "explain")
            return mxsim::cli::explain_command({args.begin() + 1, args.end()}, std::cout,
                                               std::cerr);
        if (args[0] == "demo") return demo({args.begin() + 1, args.end()});
        if (args[0] == "--help" || args[0] == "-h") {
            std::cout << kUsage;
            return 0;
        }
        std::cerr << "mxsim: unknown command '" << args[0] << "'\n" << kUsage;
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "mxsim: " << e.what() << "\n";
        return 1;
    }
}
