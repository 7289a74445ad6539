// validate_command.cpp - `mxsim validate`: the loader and the work estimate, no run.
#include "cli/validate_command.hpp"

#include <string>

#include "cli/command_line.hpp"
#include "experiment/csv_results.hpp"
#include "experiment/memory_budget.hpp"
#include "experiment/safe_text.hpp"
#include "scenario/experiment_file.hpp"
#include "scenario/work_estimate.hpp"

namespace mxsim::cli {

int validate_command(const std::vector<std::string_view>& args, std::ostream& out,
                     std::ostream& err) {
    std::vector<std::string> files;
    std::vector<std::string> sets;
    unsigned threads = 1;
    CLI::App app(
        "Check scenario files as `mxsim run` reads them (templates, variants, sweeps, every "
        "scenario, the work estimate), without running them. Exit 0 when every file is "
        "usable, 2 otherwise.",
        "mxsim validate");
    app.add_option("SCENARIO", files, "scenario files")->required();
    app.add_option("--threads", threads, "the threads the run would use (for the estimate)")
        ->check(CLI::Range(1u, 256u));
    add_set_option(app, sets);
    if (const auto done = parse_command(app, args, out, err)) return *done;
    int rc = kExitOk;
    for (const std::string& file : files) {
        try {
            format::LoadOptions load;
            load.budget = experiment::machine_memory_budget();
            load.sets = sets;
            const format::Experiment ex = format::load_experiment_file(file, load);
            experiment::check_run_columns(ex);
            const format::WorkEstimate work = format::estimate_work(ex, threads, false);
            format::check_work(work, load.budget, file);
            out << experiment::printable(file) << ": ok, " << format::describe_work(work) << '\n';
            for (const std::string& w : ex.warnings)
                err << "mxsim validate: warning: " << experiment::printable(w) << '\n';
        } catch (const std::exception& e) {
            err << "mxsim validate: " << experiment::printable(e.what()) << '\n';
            rc = kExitBadInput;
        }
    }
    return rc;
}

}  // namespace mxsim::cli
