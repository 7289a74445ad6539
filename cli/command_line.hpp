// command_line.hpp - how every mxsim command reads its arguments (CLI11, Debian's
// libcli11-dev): `--help` prints the usage on stdout and exits 0; a usage error is
// said on stderr with a pointer to --help, exit 2; `--opt=value` and `--opt value`
// alike. Offers the exit codes, parse_command() and add_set_option().
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

namespace mxsim::cli {

// Documented in mxsim --help and README.md.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;         // the run failed (an I/O error, a failed job)
inline constexpr int kExitBadInput = 2;       // a usage error or a scenario that cannot be used
inline constexpr int kExitInterrupted = 130;  // SIGINT or SIGTERM (128 + SIGINT)

inline constexpr const char* kVersion = MXSIM_VERSION;  // the project()'s, CMakeLists.txt

// Parses `args` (the words after the command's name) into `app`. Returns the exit
// code when the command is done (--help: 0; a usage error: 2), nullopt to go on.
inline std::optional<int> parse_command(CLI::App& app, const std::vector<std::string_view>& args,
                                        std::ostream& out, std::ostream& err) {
    std::vector<std::string> words(args.rbegin(), args.rend());  // CLI11 wants them reversed
    try {
        app.parse(words);
    } catch (const CLI::CallForHelp&) {
        out << app.help();
        return kExitOk;
    } catch (const CLI::ParseError& e) {
        err << app.get_name() << ": " << e.what() << "\n"
            << "run '" << app.get_name() << " --help' for the usage\n";
        return kExitBadInput;
    }
    return std::nullopt;
}

// --set POINTER=VALUE, repeatable: a change to the scenario for this run.
inline void add_set_option(CLI::App& app, std::vector<std::string>& sets) {
    app.add_option("--set", sets,
                   "POINTER=VALUE: change a scenario value for this run (repeatable), as a "
                   "variant's \"set\" does: a JSON pointer into the template-expanded scenario "
                   "(* matches every element), the value read as JSON when it parses, else as "
                   "a string")
        ->type_name("POINTER=VALUE")
        // One value each time, so that it never takes the scenario's name.
        ->expected(1)
        ->allow_extra_args(false)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
}

}  // namespace mxsim::cli
