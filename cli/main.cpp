// main.cpp - mxsim, the headless front end: picks the command; each command reads
// its own options (cli/command_line.hpp) and says its usage with --help.
//   mxsim run | validate | explain | demo ... ; mxsim --help ; mxsim --version
#include <exception>
#include <iostream>
#include <string_view>
#include <vector>

#include "cli/command_line.hpp"
#include "cli/explain_command.hpp"
#include "cli/import_command.hpp"
#include "cli/kernel_demo.hpp"
#include "cli/replay_command.hpp"
#include "cli/run_command.hpp"
#include "cli/validate_command.hpp"

namespace {

constexpr const char* kUsage =
    "usage: mxsim COMMAND [OPTIONS]   (mxsim COMMAND --help for its options)\n"
    "  run       simulate every variant x sweep point x replication of a scenario; print\n"
    "            the comparison, write DIR/summary.json, timeseries.csv, backscatter.dot\n"
    "            (default DIR: out/<scenario name>) and with --trace DIR/trace.jsonl;\n"
    "            under mpirun -np N the jobs are spread over N processes (docs/cluster.md)\n"
    "  validate  check scenario files without running them\n"
    "  explain   the story of one message (and the NDRs it caused), or of every message\n"
    "            to or from an address, each step with the rule behind it\n"
    "  import    a Postfix main.cf as an mxsim host, or a zone file as domains and\n"
    "            hosts, with what mxsim does not model (mxsim import postfix|zone FILE)\n"
    "  replay    a Postfix maillog's traffic through a scenario: the logged and the\n"
    "            simulated delivery attempts side by side (mxsim replay LOG --scenario S)\n"
    "  demo      an M/M/1 queue on the event kernel, two variants with common random\n"
    "            numbers, compared with queueing theory\n"
    "  --version the version\n"
    "exit codes: 0 done, 1 the run failed, 2 bad input or usage, 130 interrupted\n";

int demo(const std::vector<std::string_view>& args) {
    mxsim::cli::KernelDemoOptions o;
    int replications = o.replications;
    CLI::App app("An M/M/1 queue on the event kernel, checked against queueing theory.",
                 "mxsim demo");
    app.add_option("--seed", o.seed, "master seed");
    app.add_option("--replications", replications, "replications (2 to 10000)")
        ->check(CLI::Range(2, 10'000));
    if (const auto done = mxsim::cli::parse_command(app, args, std::cout, std::cerr)) return *done;
    o.replications = replications;
    return mxsim::cli::run_kernel_demo(o, std::cout);
}

}  // namespace

int main(int argc, char** argv) {
    using namespace mxsim::cli;
    const std::vector<std::string_view> args(argv + 1, argv + argc);
    if (args.empty()) {
        std::cerr << kUsage;
        return kExitBadInput;
    }
    const std::string_view command = args[0];
    const std::vector<std::string_view> rest(args.begin() + 1, args.end());
    try {
        if (command == "run") return run_command(rest, std::cout, std::cerr);
        if (command == "validate") return validate_command(rest, std::cout, std::cerr);
        if (command == "explain") return explain_command(rest, std::cout, std::cerr);
        if (command == "import") return import_command(rest, std::cin, std::cout, std::cerr);
        if (command == "replay") return replay_command(rest, std::cout, std::cerr);
        if (command == "demo") return demo(rest);
        if (command == "--help" || command == "-h" || command == "help") {
            std::cout << kUsage;
            return kExitOk;
        }
        if (command == "--version" || command == "-V") {
            std::cout << "mxsim " << kVersion << '\n';
            return kExitOk;
        }
        std::cerr << "mxsim: unknown command '" << command << "'\n" << kUsage;
        return kExitBadInput;
    } catch (const std::exception& e) {
        std::cerr << "mxsim: " << e.what() << "\n";
        return kExitFailed;
    }
}
