// explain_command.cpp - argument handling and the run behind `mxsim explain`.
#include "cli/explain_command.hpp"

#include <algorithm>
#include <optional>
#include <stdexcept>
#include <string>

#include "cli/command_line.hpp"
#include "experiment/explain.hpp"
#include "experiment/memory_budget.hpp"
#include "experiment/safe_text.hpp"
#include "scenario/experiment_file.hpp"

namespace mxsim::cli {
namespace {

using experiment::ExplainQuery;
using experiment::Story;

struct ExplainArgs {
    std::string scenario;
    std::optional<std::uint32_t> message;
    std::string address;
    std::optional<std::uint64_t> seed;
    std::string variant = "baseline";
    std::vector<std::string> sets;
};

void define_options(CLI::App& app, ExplainArgs& r) {
    app.add_option("SCENARIO", r.scenario, "the scenario file")->required();
    auto* message = app.add_option("--message", r.message, "the story of message ID (and its NDRs)")
                        ->type_name("ID");
    auto* address =
        app.add_option("--address", r.address, "the story of every message to or from ADDR")
            ->type_name("ADDR");
    message->excludes(address);
    app.add_option("--variant", r.variant, "the variant to simulate (default: baseline)");
    app.add_option("--seed", r.seed, "master seed (default: the scenario's)");
    add_set_option(app, r.sets);
}

}  // namespace

int explain_command(const std::vector<std::string_view>& args, std::ostream& out,
                    std::ostream& err) {
    ExplainArgs a;
    CLI::App app(
        "The story of one message (and the NDRs it caused), or of every message to or from "
        "an address, each step with the rule behind it. Exit 0, 1 (failed), 2 (bad input: "
        "an unknown message or address too).",
        "mxsim explain");
    define_options(app, a);
    if (const auto done = parse_command(app, args, out, err)) return *done;
    if (!a.message && a.address.empty()) {
        err << "mxsim explain: say which story: --message ID or --address ADDR\n";
        return kExitBadInput;
    }
    ExplainQuery query;
    query.message = a.message;
    if (!a.address.empty()) query.address = a.address;
    try {
        const format::LoadOptions load{experiment::machine_memory_budget(), {}, a.sets};
        const format::Experiment ex = format::load_experiment_file(a.scenario, load);
        format::check_work(format::estimate_work(ex, 1, true), load.budget, a.scenario);
        const auto v = std::find(ex.variants.begin(), ex.variants.end(), a.variant);
        if (v == ex.variants.end()) {
            err << "mxsim explain: no variant '" << a.variant << "' in " << a.scenario << '\n';
            return kExitBadInput;
        }
        const model::Scenario& scenario =
            ex.at(static_cast<std::size_t>(v - ex.variants.begin()), 0);
        Story story;
        try {
            story = experiment::tell_story(scenario, a.seed.value_or(scenario.seed), query);
        } catch (const std::invalid_argument& e) {
            err << "mxsim explain: " << e.what() << '\n';
            return kExitBadInput;
        }
        out << story.text;
        return 0;
    } catch (const format::ScenarioError& e) {
        err << "mxsim explain: " << experiment::printable(e.what()) << '\n';
        return kExitBadInput;
    } catch (const std::exception& e) {
        err << "mxsim explain: " << experiment::printable(a.scenario) << ": "
            << experiment::printable(e.what()) << '\n';
        return kExitFailed;
    }
}

}  // namespace mxsim::cli
