// fuzz_checks.hpp - what every fuzz target asserts of one input, shared by the
// harnesses and by the test that replays tests/hostile/ (tests/scenario/
// hostile_inputs_test.cpp). Offers load_checked() (the whole expansion under a memory
// budget: a scenario, or a ScenarioError that names the origin) and
// simulate_bounded() (every job's world built and run for at most an event cap).
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string_view>

#include <nlohmann/json.hpp>

#include "model/world.hpp"
#include "scenario/experiment_file.hpp"
#include "scenario/work_estimate.hpp"

namespace mxsim::fuzz {

// The expansion (templates, variants, sweeps, each scenario validated) and the work
// estimate, within `budget` bytes. nullopt: refused with a proper message; anything
// else (another exception, a message not naming "fuzz.json", invalid UTF-8) traps.
inline std::optional<format::Experiment> load_checked(std::string_view text, std::uint64_t budget) {
    try {
        const format::MemoryBudget limit{budget, "the fuzzer's budget"};
        format::Experiment ex = format::parse_experiment(text, "fuzz.json", {limit, {}, {}});
        format::check_work(format::estimate_work(ex, 1, false), limit, "fuzz.json");
        return ex;
    } catch (const format::ScenarioError& e) {
        // "fuzz.json: /..." or, in a variant, "fuzz.json (variant v, s=1): /...".
        const std::string_view what = e.what();
        if (what.substr(0, 9) != "fuzz.json" || what.find(": ") == std::string_view::npos)
            __builtin_trap();
        (void)nlohmann::json(e.what()).dump();  // throws (and so fails) on invalid UTF-8
        return std::nullopt;
    }
}

// Builds each job's world (replication 0 of every variant x sweep point) and runs it
// until at least `max_events` have been dispatched (the cap is looked at every 4096
// events, sim::Simulator's clock check); the books are checked by World::run()
// when a run ends by itself. Returns the events dispatched over all jobs.
inline std::uint64_t simulate_bounded(const format::Experiment& ex, std::uint64_t max_events) {
    struct EventCap {};
    std::uint64_t total = 0;
    for (const model::Scenario& s : ex.scenarios) {
        model::World world(s, {1, 0, false});
        world.set_progress_hook(
            [max_events](const sim::ProgressReport& r) {
                if (r.events >= max_events) throw EventCap{};
            },
            1e-9);  // every clock check (4096 events): the cap is the only limit
        try {
            total += world.run().events;
        } catch (const EventCap&) {
            total += max_events;
        }
    }
    return total;
}

}  // namespace mxsim::fuzz
