// explain_command.cpp - argument handling and the run behind `mxsim explain`.
#include "cli/explain_command.hpp"

#include <algorithm>
#include <optional>
#include <stdexcept>
#include <string>

#include "cli/arguments.hpp"
#include "experiment/explain.hpp"
#include "experiment/memory_budget.hpp"
#include "experiment/safe_text.hpp"
#include "scenario/experiment_file.hpp"

namespace mxsim::cli {
namespace {

using experiment::ExplainQuery;
using experiment::Story;

constexpr const char* kUsage =
    "usage: mxsim explain SCENARIO.json (--message ID | --address ADDR) [--variant NAME] [--seed "
    "N]\n";

struct ExplainArgs {
    std::string scenario;
    ExplainQuery query;
    std::optional<std::uint64_t> seed;
    std::string variant = "baseline";
};

ExplainArgs parse(const std::vector<std::string_view>& args) {
    ExplainArgs r;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string_view a = args[i];
        const auto value = [&]() -> std::string_view {
            if (i + 1 >= args.size())
                throw std::invalid_argument(std::string(a) + ": missing value");
            return args[++i];
        };
        if (a == "--message")
            r.query.message =
                static_cast<std::uint32_t>(parse_whole_number(a, value(), UINT32_MAX));
        else if (a == "--address")
            r.query.address = std::string(value());
        else if (a == "--seed")
            r.seed = parse_whole_number(a, value());
        else if (a == "--variant")
            r.variant = std::string(value());
        else if (!a.empty() && a[0] == '-')
            throw std::invalid_argument("unknown option '" + std::string(a) + "'");
        else if (r.scenario.empty())
            r.scenario = std::string(a);
        else
            throw std::invalid_argument("more than one scenario file given");
    }
    if (r.scenario.empty()) throw std::invalid_argument("no scenario file given");
    if (!r.query.message && !r.query.address)
        throw std::invalid_argument("say which story: --message ID or --address ADDR");
    return r;
}

}  // namespace

int explain_command(const std::vector<std::string_view>& args, std::ostream& out,
                    std::ostream& err) {
    ExplainArgs a;
    try {
        a = parse(args);
    } catch (const std::invalid_argument& e) {
        err << "mxsim explain: " << e.what() << '\n' << kUsage;
        return 2;
    }
    try {
        const format::LoadOptions load{experiment::machine_memory_budget(), {}};
        const format::Experiment ex = format::load_experiment_file(a.scenario, load);
        format::check_work(format::estimate_work(ex, 1, true), load.budget, a.scenario);
        const auto v = std::find(ex.variants.begin(), ex.variants.end(), a.variant);
        if (v == ex.variants.end()) {
            err << "mxsim explain: no variant '" << a.variant << "' in " << a.scenario << '\n';
            return 2;
        }
        const model::Scenario& scenario =
            ex.at(static_cast<std::size_t>(v - ex.variants.begin()), 0);
        Story story;
        try {
            story = experiment::tell_story(scenario, a.seed.value_or(scenario.seed), a.query);
        } catch (const std::invalid_argument& e) {
            err << "mxsim explain: " << e.what() << '\n';
            return 2;
        }
        out << story.text;
        return 0;
    } catch (const format::ScenarioError& e) {
        err << "mxsim explain: " << experiment::printable(e.what()) << '\n';
        return 1;
    } catch (const std::exception& e) {
        err << "mxsim explain: " << experiment::printable(a.scenario) << ": "
            << experiment::printable(e.what()) << '\n';
        return 1;
    }
}

}  // namespace mxsim::cli
