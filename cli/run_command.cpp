// run_command.cpp - `mxsim run`: every variant x sweep point x replication of a
// scenario, on --threads workers, then the comparison and the result files.
#include "cli/run_command.hpp"

#include <chrono>
#include <csignal>
#include <cstdio>
#include <memory>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>

#include "cli/activity_line.hpp"
#include "cli/command_line.hpp"
#include "cli/interrupt.hpp"
#include "cli/progress_bar.hpp"
#include "cli/ticker.hpp"
#include "experiment/comparison.hpp"
#include "experiment/experiment_runner.hpp"
#ifdef MXSIM_MPI
#include "experiment/mpi_farm.hpp"
#endif
#include "experiment/memory_budget.hpp"
#include "experiment/results_writer.hpp"
#include "experiment/run_lock.hpp"
#include "experiment/safe_files.hpp"
#include "experiment/safe_text.hpp"
#include "model/world.hpp"
#include "scenario/experiment_file.hpp"
#include "scenario/work_estimate.hpp"

namespace mxsim::cli {
namespace {

constexpr std::size_t kTraceLinesShown = 60;
// A run this big has its estimate printed before it starts (about half a minute).
constexpr double kEventsWorthSaying = 1e8;
constexpr std::uint64_t kBytesWorthSaying = std::uint64_t{1} << 30;

struct RunArgs {
    std::string scenario;
    std::optional<std::uint64_t> seed;
    std::string out_dir;
    bool trace = false;
    bool quiet = false;
    unsigned threads = 1;
    std::string max_memory;  // SIZE; empty: the machine's limit
    bool ignore_estimate = false;
    std::vector<std::string> sets;  // --set POINTER=VALUE
};

void define_options(CLI::App& app, RunArgs& r) {
    app.add_option("SCENARIO", r.scenario, "the scenario file (docs/scenario-format.md)")
        ->required();
    app.add_option("--seed", r.seed, "master seed (default: the scenario's \"seed\")");
    app.add_option("--out", r.out_dir,
                   "results folder (default: out/<scenario name>); replaced whole")
        ->type_name("DIR");
    app.add_flag("--trace", r.trace, "also write DIR/trace.jsonl (every step of job 0)");
    app.add_option("--threads", r.threads, "worker threads (1 to 256)")
        ->check(CLI::Range(1u, 256u));
    app.add_flag("--quiet", r.quiet, "no progress line");
    app.add_option("--max-memory", r.max_memory,
                   "refuse work estimated beyond SIZE (512M, 2G); default: this machine's limit")
        ->type_name("SIZE")
        ->check(CLI::Validator(
            [](const std::string& v) {
                return experiment::parse_memory_size(v) ? std::string()
                                                        : "expected a size like 512M or 2G, got '" +
                                                              experiment::printable(v) + "'";
            },
            ""));
    app.add_flag("--ignore-estimate", r.ignore_estimate,
                 "run even when the work estimate exceeds the memory limit");
    add_set_option(app, r.sets);
}

// ---- the console report -------------------------------------------------------------

std::string cell(std::uint64_t v, int width) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%*llu", width, static_cast<unsigned long long>(v));
    return buf;
}

void print_fates(const model::RunResults& r, std::ostream& out) {
    out << "Fates by origin\n  " << std::string(18, ' ');
    for (const std::string_view f : model::kFateNames)
        out << std::string(11 - f.size(), ' ') << f;
    out << '\n';
    for (std::size_t o = 0; o < model::kOriginCount; ++o) {
        const std::string_view name = model::kOriginNames[o];
        out << "  " << name << std::string(18 - name.size(), ' ');
        for (std::size_t f = 0; f < model::kFateCount; ++f)
            out << cell(r.fates[o][f], 11);
        out << '\n';
    }
}

void print_mtas(const model::RunResults& r, std::ostream& out) {
    constexpr std::size_t kShown = 20;
    out << "\nMTAs                     received submitted generated delivered  relayed  bounced"
           "  expired  dropped   queued     peak NDRs-sent\n";
    for (std::size_t i = 0; i < r.mtas.size() && i < kShown; ++i) {
        const model::MtaResults& m = r.mtas[i];
        const model::MtaFlows& f = m.flows;
        const std::string host = m.host.substr(0, 24);
        out << "  " << host << std::string(24 - host.size(), ' ') << cell(f.received, 8)
            << cell(f.submitted, 10) << cell(f.generated, 10) << cell(f.delivered, 10)
            << cell(f.relayed, 9) << cell(f.bounced, 9) << cell(f.expired, 9) << cell(f.dropped, 9)
            << cell(f.queued, 9) << cell(f.peak_queued, 9) << cell(m.ndrs_generated, 10) << '\n';
    }
    if (r.mtas.size() > kShown)
        out << "  ... " << r.mtas.size() - kShown << " more in summary.json\n";
}

void print_trace(const std::vector<model::TraceRecord>& trace, const std::string& file,
                 std::ostream& out) {
    if (trace.empty()) return;
    out << "\nTrace (" << trace.size() << " steps; all in " << file << ")\n";
    for (std::size_t i = 0; i < trace.size() && i < kTraceLinesShown; ++i) {
        const model::TraceRecord& t = trace[i];
        char head[96];
        std::snprintf(head, sizeof head, "  %10s  msg %-3u %-6s %-8s %-5s ",
                      sim::format_duration(t.t - t.t % sim::kSecond).c_str(), t.msg,
                      t.stage.c_str(), t.action.c_str(), t.enhanced.c_str());
        out << head << t.from << (t.to.empty() ? "" : " -> " + t.to) << ": " << t.reason << '\n';
    }
    if (trace.size() > kTraceLinesShown) out << "  ...\n";
}

}  // namespace

int run_command(const std::vector<std::string_view>& args, std::ostream& out, std::ostream& err) {
    RunArgs a;
    CLI::App app(
        "Simulate every variant x sweep point x replication of a scenario; print the "
        "comparison; write DIR/summary.json, timeseries.csv, backscatter.dot (and with "
        "--trace trace.jsonl), replacing DIR whole. Exit 0, 1 (the run failed), 2 (bad "
        "input or usage), 130 (interrupted).",
        "mxsim run");
    define_options(app, a);
    if (const auto done = parse_command(app, args, out, err)) return *done;
#ifdef MXSIM_MPI
    // Under mpirun/srun: rank 0 goes on below, farming the jobs out; the others work.
    const std::unique_ptr<experiment::MpiFarm> farm = experiment::MpiFarm::join_if_launched();
    if (farm && !farm->leads())
        return farm->work(a.scenario, a.sets, a.seed, a.trace, a.threads, err);
#endif
    const InterruptFlag interrupt;
    const auto cancelled = [&interrupt] { return interrupt.raised().load(); };
    const bool draw = stderr_wants_progress(a.quiet);
    std::string dir;
    try {
        format::LoadOptions load;
        load.sets = a.sets;
        if (!a.ignore_estimate)
            load.budget = a.max_memory.empty()
                              ? experiment::machine_memory_budget()
                              : format::MemoryBudget{*experiment::parse_memory_size(a.max_memory),
                                                     "--max-memory " + a.max_memory};
        format::Experiment ex;
        {
            ActivityLine line(err, draw, "reading " + experiment::printable(a.scenario));
            load.progress = [&](std::size_t done, std::size_t total) {
                line.set("reading " + experiment::printable(a.scenario) + ": scenario " +
                         std::to_string(done) + " of " + std::to_string(total));
            };
            ex = format::load_experiment_file(a.scenario, load);
        }
        if (cancelled()) throw experiment::RunCancelled();
        const model::Scenario& s = ex.baseline();
        for (const std::string& w : ex.warnings)
            err << "mxsim run: warning: " << experiment::printable(w) << '\n';
        const format::WorkEstimate work = format::estimate_work(ex, a.threads, a.trace);
        format::check_work(work, load.budget, a.scenario);
        if (!a.quiet && (work.events > kEventsWorthSaying || work.memory_bytes > kBytesWorthSaying))
            err << "mxsim run: " << format::describe_work(work) << '\n';
        const std::uint64_t seed = a.seed.value_or(s.seed);
        // The scenario's name picks the folder only as one sanitised component.
        dir = a.out_dir.empty() ? "out/" + experiment::path_component(s.name) : a.out_dir;
        // Refused now rather than after the run: a folder that cannot take the
        // results, or one another run is writing to.
        experiment::check_result_folder(dir, {});
        const experiment::RunLock lock(dir);
        const std::size_t jobs = experiment::job_count(ex);

        const auto start = std::chrono::steady_clock::now();
        experiment::ExperimentRuns result;
        {
            ProgressBarOptions look;
            look.width = terminal_width(2);
            ProgressBar bar(err, draw, jobs, s.duration, look);
            // Redraws while a world is being built, before its first report.
            const std::unique_ptr<Ticker> ticker =
                draw ? std::make_unique<Ticker>(std::chrono::milliseconds(250),
                                                [&bar] { bar.tick(); })
                     : nullptr;
            experiment::RunnerHooks hooks;
            hooks.progress_for = [&bar](std::size_t job) { return bar.hook_for(job); };
            hooks.job_done = [&bar](std::size_t job, std::uint64_t n) { bar.job_done(job, n); };
            hooks.cancel = &interrupt.raised();
#ifdef MXSIM_MPI
            if (farm)
                result = farm->lead(ex, {seed, a.trace}, a.threads, hooks);
            else
#endif
                result = experiment::run_experiment(ex, {seed, a.threads, a.trace}, hooks);
            bar.finish();
        }
        const double wall =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        std::uint64_t events = 0;
        for (const model::RunResults& r : result.runs)
            events += r.events;
        const experiment::RunTiming timing{wall, wall > 0 ? static_cast<double>(events) / wall : 0};

        const experiment::Comparison comparison = experiment::compare(ex, result.runs);
        const experiment::RunMetadata meta{s.name,   a.scenario,  ex.content_hash, seed,
                                           kVersion, ex.warnings, a.sets};
        const nlohmann::ordered_json summary =
            experiment::experiment_summary_json(meta, ex, result.runs, comparison, timing);
        std::vector<std::pair<std::string, std::string>> files{
            {"summary.json", summary.dump(2) + "\n"},
            {"timeseries.csv", experiment::timeseries_csv(ex, result.runs)},
            {"backscatter.dot", experiment::backscatter_dot(result.runs.front())}};
        if (a.trace) files.emplace_back("trace.jsonl", experiment::trace_jsonl(result.trace));
        experiment::write_result_set(dir, files, cancelled);

        out << "mxsim run: " << experiment::printable(s.name) << " (seed " << seed << "), "
            << sim::format_duration(s.duration) << " simulated";
        if (jobs > 1)
            out << ", " << ex.variants.size() << " variant(s) x " << ex.sweep_points.size()
                << " sweep point(s) x " << ex.replications << " replication(s)";
        out << ", " << events << " events\n";
        if (!s.question.empty()) out << "Question: " << experiment::printable(s.question) << "\n";
        if (jobs > 1) {
            experiment::print_comparison(ex, comparison, out);
            out << "\nThe baseline's first replication in detail:\n";
        }
        out << '\n';
        print_fates(result.runs.front(), out);
        print_mtas(result.runs.front(), out);
        if (a.trace) print_trace(result.trace, dir + "/trace.jsonl", out);
        out << "\nResults: " << dir << "/summary.json, timeseries.csv, backscatter.dot"
            << (a.trace ? ", trace.jsonl" : "") << '\n';
        return 0;
    } catch (const experiment::RunCancelled&) {
        err << "mxsim run: interrupted by "
            << (interrupt.signal() == SIGTERM ? "SIGTERM" : "SIGINT")
            << ": stopped, nothing written"
            << (dir.empty() ? "" : "; " + experiment::printable(dir) + " is as it was") << '\n';
        return kExitInterrupted;
    } catch (const format::ScenarioError& e) {
        err << "mxsim run: " << experiment::printable(e.what()) << '\n';
        return kExitBadInput;
    } catch (const std::bad_alloc&) {
        err << "mxsim run: " << experiment::printable(a.scenario)
            << ": out of memory; the run needs more than this process may use (see the "
               "estimate with --max-memory, docs/scenario-format.md \"How big a run may be\")\n";
        return kExitFailed;
    } catch (const std::exception& e) {
        err << "mxsim run: " << experiment::printable(a.scenario) << ": "
            << experiment::printable(e.what()) << '\n';
        return kExitFailed;
    }
}

}  // namespace mxsim::cli
