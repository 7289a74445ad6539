// explain_command.cpp - argument handling and the run behind `mxsim explain`.
#include "cli/explain_command.hpp"

#include <algorithm>
#include <optional>
#include <stdexcept>
#include <string>

#include "cli/arguments.hpp"
#include "cli/experiment.hpp"
#include "cli/explain.hpp"
#include "model/world.hpp"

namespace mxsim::cli {
namespace {

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

Story tell_story(const model::Scenario& scenario, std::uint64_t seed, const ExplainQuery& query) {
    model::Scenario traced = scenario;
    for (model::MessageSpec& m : traced.traffic.messages)
        m.trace = false;  // trace everything
    model::World world(traced, {seed, 0, true});
    world.run();
    const AddressText address_of = [&world](model::AddressRef r) { return world.address_text(r); };
    Story story;
    story.selected = select_messages(world.messages(), address_of, query);
    for (const model::TraceRecord& t : world.trace())
        if (std::binary_search(story.selected.begin(), story.selected.end(), t.msg))
            story.steps.push_back(t);
    story.text = explain_story(world.trace(), story.selected, world.messages(), address_of);
    return story;
}

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
        const Experiment ex = load_experiment_file(a.scenario);
        const auto v = std::find(ex.variants.begin(), ex.variants.end(), a.variant);
        if (v == ex.variants.end()) {
            err << "mxsim explain: no variant '" << a.variant << "' in " << a.scenario << '\n';
            return 2;
        }
        const model::Scenario& scenario =
            ex.at(static_cast<std::size_t>(v - ex.variants.begin()), 0);
        Story story;
        try {
            story = tell_story(scenario, a.seed.value_or(scenario.seed), a.query);
        } catch (const std::invalid_argument& e) {
            err << "mxsim explain: " << e.what() << '\n';
            return 2;
        }
        out << story.text;
        return 0;
    } catch (const ScenarioError& e) {
        err << "mxsim explain: " << e.what() << '\n';
        return 1;
    } catch (const std::exception& e) {
        err << "mxsim explain: " << a.scenario << ": " << e.what() << '\n';
        return 1;
    }
}

}  // namespace mxsim::cli
