// run_command.cpp - `mxsim run`: every variant x sweep point x replication of a
// scenario, on --threads workers, then the comparison and the result files.
#include "cli/run_command.hpp"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <map>
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
#include "experiment/backscatter_graph.hpp"
#include "experiment/comparison.hpp"
#include "experiment/console_table.hpp"
#include "experiment/csv_results.hpp"
#include "experiment/experiment_runner.hpp"
#ifdef MXSIM_MPI
#include "experiment/mpi_farm.hpp"
#endif
#include "experiment/memory_budget.hpp"
#include "experiment/result_owner.hpp"
#include "experiment/results_database.hpp"
#include "experiment/results_writer.hpp"
#include "experiment/run_lock.hpp"
#include "experiment/safe_files.hpp"
#include "experiment/safe_text.hpp"
#include "model/series_names.hpp"
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
    bool list_jobs = false;
    std::optional<std::size_t> job;  // --job N: this job only
    bool force = false;
    std::vector<std::string> series;  // --series: instead of the scenario's "series"
    std::string db;                   // --db FILE
};

void define_options(CLI::App& app, RunArgs& r) {
    app.add_option("SCENARIO", r.scenario, "the scenario file (docs/scenario-format.md)")
        ->required();
    app.add_option("--seed", r.seed, "master seed (default: the scenario's \"seed\")");
    app.add_option("--out", r.out_dir,
                   "results folder (default: out/<scenario name>, with --job "
                   "out/<scenario name>.job-N); replaced whole")
        ->type_name("DIR");
    app.add_flag("--trace", r.trace,
                 "also write DIR/trace.jsonl (every step of job 0, or of the --job)");
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
    app.add_flag("--list-jobs", r.list_jobs,
                 "print every job (variant x sweep point x replication) with its number, and "
                 "stop");
    app.add_option("--job", r.job, "run job N only (see --list-jobs); no comparison")
        ->type_name("N");
    app.add_flag("--force", r.force,
                 "replace DIR even when it holds another scenario's or seed's results");
    app.add_option("--series", r.series,
                   "NAME,...: the series timeseries.csv holds (names, or prefixes ending in *; "
                   "instead of the scenario's \"series\"; docs/results-format.md)")
        ->type_name("NAME,...")
        ->delimiter(',')
        ->check(CLI::Validator(
            [](const std::string& v) {
                return model::series_pattern_ok(v)
                           ? std::string()
                           : "no series is called '" + experiment::printable(v) +
                                 "' (docs/results-format.md, timeseries.csv)";
            },
            ""));
    app.add_option("--db", r.db,
                   "also store every job in this SQLite database as it ends; jobs stored "
                   "there already are not run again (stop and resume a sweep)")
        ->type_name("FILE");
}

void print_job_list(const format::Experiment& ex, std::ostream& out) {
    const std::vector<std::size_t> jobs = experiment::every_job(ex);
    std::size_t variant = 7, point = 11;
    for (const std::string& v : ex.variants)
        variant = std::max(variant, v.size());
    for (const std::string& p : ex.sweep_points)
        point = std::max(point, p.size());
    const auto row = [&](const std::string& j, const std::string& v, const std::string& p,
                         const std::string& r) {
        out << std::string(5 - std::min<std::size_t>(5, j.size()), ' ') << j << "  " << v
            << std::string(variant - v.size(), ' ') << "  " << p
            << std::string(point - p.size(), ' ') << "  " << r << '\n';
    };
    row("job", "variant", "sweep point", "replication");
    for (const std::size_t j : jobs) {
        const experiment::JobPlace at = experiment::place_of(ex, j);
        row(std::to_string(j), experiment::printable(ex.variants[at.variant]),
            experiment::printable(ex.sweep_points[at.point]), std::to_string(at.replication));
    }
}

// The jobs a run's results hold (every job, or the --job), the ones it runs,
// and those it takes from the results database instead.
struct JobPlan {
    std::vector<std::size_t> present;
    std::vector<std::size_t> todo;
    std::map<std::size_t, model::RunResults> stored;
};

JobPlan plan_jobs(const format::Experiment& ex, const RunArgs& a,
                  const experiment::ResultsDatabase* db, std::vector<std::string>& warnings) {
    JobPlan plan;
    plan.present = a.job ? std::vector<std::size_t>{*a.job} : experiment::every_job(ex);
    std::map<std::size_t, model::RunResults> stored;
    if (db) stored = db->stored(warnings);
    // The traced job (the first) always runs, and first: the database keeps no traces.
    for (const std::size_t j : plan.present) {
        const auto it = stored.find(j);
        if (it == stored.end() || (a.trace && j == plan.present.front()))
            plan.todo.push_back(j);
        else
            plan.stored.insert(stored.extract(it));
    }
    return plan;
}

// ---- the console report -------------------------------------------------------------

// Origins with no recipients left out, with a note saying how many.
void print_fates(const model::RunResults& r, std::ostream& out) {
    std::vector<experiment::ConsoleTable::Column> columns{{"", experiment::Align::Left}};
    for (const std::string_view f : model::kFateNames)
        columns.push_back({std::string(f), experiment::Align::Right});
    experiment::ConsoleTable table(std::move(columns));
    std::size_t empty = 0;
    for (std::size_t o = 0; o < model::kOriginCount; ++o) {
        std::uint64_t all = 0;
        for (const std::uint64_t n : r.fates[o])
            all += n;
        if (all == 0) {
            ++empty;
            continue;
        }
        std::vector<std::string> row{std::string(model::kOriginNames[o])};
        for (const std::uint64_t n : r.fates[o])
            row.push_back(experiment::count_text(n));
        table.add_row(std::move(row));
    }
    out << "Fates by origin (recipients)\n" << table.render();
    if (empty > 0) out << "  (" << empty << " origin(s) with no mail left out)\n";
}

void print_mtas(const model::RunResults& r, std::ostream& out) {
    constexpr std::size_t kShown = 20;
    experiment::ConsoleTable table({{"MTA", experiment::Align::Left},
                                    {"received"},
                                    {"submitted"},
                                    {"generated"},
                                    {"delivered"},
                                    {"relayed"},
                                    {"bounced"},
                                    {"expired"},
                                    {"dropped"},
                                    {"queued"},
                                    {"peak"},
                                    {"NDRs sent"}});
    for (std::size_t i = 0; i < r.mtas.size() && i < kShown; ++i) {
        const model::MtaResults& m = r.mtas[i];
        const model::MtaFlows& f = m.flows;
        std::vector<std::string> row{experiment::printable(m.host)};
        for (const std::uint64_t n :
             {f.received, f.submitted, f.generated, f.delivered, f.relayed, f.bounced, f.expired,
              f.dropped, f.queued, f.peak_queued, m.ndrs_generated})
            row.push_back(experiment::count_text(n));
        table.add_row(std::move(row));
    }
    out << '\n' << table.render();
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

// The backscatter graphs into `files`, each also as SVG when Graphviz can draw
// it; returns how many were drawn.
std::size_t add_backscatter_graphs(const format::Experiment& ex,
                                   const std::vector<model::RunResults>& runs,
                                   const std::vector<std::size_t>& jobs,
                                   std::vector<std::pair<std::string, std::string>>& files) {
    std::size_t drawn = 0;
    for (auto& [name, dot] : experiment::backscatter_graphs(ex, runs, jobs)) {
        std::optional<std::string> svg = experiment::render_svg(dot);
        files.emplace_back(name, std::move(dot));
        if (svg) {
            files.emplace_back(name.substr(0, name.size() - 4) + ".svg", std::move(*svg));
            ++drawn;
        }
    }
    return drawn;
}

// What one run computed, ready to be written and reported.
struct RunOutcome {
    experiment::ExperimentRuns result;
    JobPlan plan;
    std::uint64_t events = 0;  // of the jobs run here
    double wall_seconds = 0;
};

RunOutcome run_jobs(const format::Experiment& ex, const RunArgs& a, std::uint64_t seed,
                    JobPlan plan, experiment::ResultsDatabase* db, const InterruptFlag& interrupt,
                    bool draw, std::ostream& err
#ifdef MXSIM_MPI
                    ,
                    experiment::MpiFarm* farm
#endif
) {
    RunOutcome o;
    const auto start = std::chrono::steady_clock::now();
    {
        ProgressBarOptions look;
        look.width = terminal_width(2);
        // The bar counts the jobs run here; bar slot k is plan.todo[k].
        std::vector<std::size_t> slot(experiment::job_count(ex), 0);
        for (std::size_t k = 0; k < plan.todo.size(); ++k)
            slot[plan.todo[k]] = k;
        ProgressBar bar(err, draw, std::max<std::size_t>(1, plan.todo.size()),
                        ex.baseline().duration, look);
        // Redraws while a world is being built, before its first report.
        const std::unique_ptr<Ticker> ticker =
            draw ? std::make_unique<Ticker>(std::chrono::milliseconds(250), [&bar] { bar.tick(); })
                 : nullptr;
        experiment::RunnerHooks hooks;
        hooks.progress_for = [&](std::size_t job) { return bar.hook_for(slot[job]); };
        hooks.job_done = [&](std::size_t job, std::uint64_t n) { bar.job_done(slot[job], n); };
        if (db)
            hooks.job_result = [db](std::size_t job, const model::RunResults& r) {
                db->store(job, r);
            };
        hooks.cancel = &interrupt.raised();
        experiment::JobSettings settings;
        settings.seed = seed;
        settings.trace = a.trace;
        settings.only = plan.todo;
#ifdef MXSIM_MPI
        if (farm)
            o.result = farm->lead(ex, settings, a.threads, hooks);
        else
#endif
            o.result =
                experiment::run_experiment(ex, {seed, a.threads, a.trace, 0.2, plan.todo}, hooks);
        bar.finish();
    }
    o.wall_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    for (const std::size_t j : plan.todo)
        o.events += o.result.runs[j].events;
    for (auto& [j, run] : plan.stored)
        o.result.runs.at(j) = std::move(run);
    o.plan = std::move(plan);
    return o;
}

}  // namespace

int run_command(const std::vector<std::string_view>& args, std::ostream& out, std::ostream& err) {
    RunArgs a;
    CLI::App app(
        "Simulate every variant x sweep point x replication of a scenario; print the "
        "comparison; write DIR/summary.json, runs.csv, timeseries.csv, backscatter.dot (and "
        "with --trace trace.jsonl), replacing DIR whole. Exit 0, 1 (the run failed), 2 (bad "
        "input or usage), 130 (interrupted).",
        "mxsim run");
    define_options(app, a);
    if (const auto done = parse_command(app, args, out, err)) return *done;
#ifdef MXSIM_MPI
    // Under mpirun/srun: rank 0 goes on below, farming the jobs out; the others work.
    const std::unique_ptr<experiment::MpiFarm> farm = experiment::MpiFarm::join_if_launched();
    if (farm && a.list_jobs) farm->dismiss();  // rank 0 prints the list alone
    if (farm && !farm->leads())
        return a.list_jobs ? kExitOk
                           : farm->work(a.scenario, a.sets, a.seed, a.trace, a.job, a.threads, err);
#endif
    const InterruptFlag interrupt;
    const auto cancelled = [&interrupt] { return interrupt.raised().load(); };
    const bool draw = stderr_wants_progress(a.quiet);
    std::string dir;
    std::unique_ptr<experiment::ResultsDatabase> db;
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
        experiment::check_run_columns(ex);
        if (a.list_jobs) {
            print_job_list(ex, out);
            return kExitOk;
        }
        const std::size_t jobs = experiment::job_count(ex);
        if (a.job && *a.job >= jobs)
            throw format::ScenarioError("--job " + std::to_string(*a.job) + ": " +
                                        experiment::printable(a.scenario) + " has " +
                                        std::to_string(jobs) + " job(s), 0 to " +
                                        std::to_string(jobs - 1) + " (see --list-jobs)");
        if (!a.series.empty()) ex.series = a.series;
        const model::Scenario& s = ex.baseline();
        for (const std::string& w : ex.warnings)
            err << "mxsim run: warning: " << experiment::printable(w) << '\n';
        const format::WorkEstimate work = format::estimate_work(ex, a.threads, a.trace);
        format::check_work(work, load.budget, a.scenario);
        if (!a.quiet && (work.events > kEventsWorthSaying || work.memory_bytes > kBytesWorthSaying))
            err << "mxsim run: " << format::describe_work(work) << '\n';
        const std::uint64_t seed = a.seed.value_or(s.seed);
        const experiment::RunMetadata meta{s.name,   a.scenario,  ex.content_hash, seed,
                                           kVersion, ex.warnings, a.sets};
        // The scenario's name picks the folder only as one sanitised component.
        const std::string name = experiment::path_component(s.name);
        dir = !a.out_dir.empty() ? a.out_dir
              : a.job            ? "out/" + name + ".job-" + std::to_string(*a.job)
                                 : "out/" + name;
        // Refused now rather than after the run: a folder that cannot take the
        // results, one that holds another run's, or one another run is writing to.
        experiment::check_result_folder(dir, {});
        if (const auto other = a.force ? std::nullopt : experiment::other_results(dir, meta))
            throw format::ScenarioError(experiment::printable(dir) + ": holds " + *other +
                                        "; --force replaces them, or --out names another folder");
        const experiment::RunLock lock(dir);
        std::vector<std::string> warnings;
        if (!a.db.empty())
            db = std::make_unique<experiment::ResultsDatabase>(
                a.db, ex, experiment::RunKey{ex.content_hash, a.sets, seed, s.name, kVersion},
                ex.series);
        JobPlan plan = plan_jobs(ex, a, db.get(), warnings);
        for (const std::string& w : warnings)
            err << "mxsim run: warning: " << experiment::printable(w) << '\n';
        if (db && !plan.stored.empty())
            err << "mxsim run: " << plan.stored.size() << " of " << plan.present.size()
                << " job(s) taken from " << experiment::printable(a.db) << '\n';

        RunOutcome o = run_jobs(ex, a, seed, std::move(plan), db.get(), interrupt, draw, err
#ifdef MXSIM_MPI
                                ,
                                farm.get()
#endif
        );
        const experiment::RunTiming timing{
            o.wall_seconds,
            o.wall_seconds > 0 ? static_cast<double>(o.events) / o.wall_seconds : 0};
        const std::vector<model::RunResults>& runs = o.result.runs;
        const std::size_t first = o.plan.present.front();

        std::optional<experiment::Comparison> comparison;
        nlohmann::ordered_json summary;
        if (a.job) {
            summary = experiment::job_summary_json(meta, ex, first, runs[first], timing);
        } else {
            comparison = experiment::compare(ex, runs);
            summary = experiment::experiment_summary_json(meta, ex, runs, *comparison, timing);
        }
        std::vector<std::pair<std::string, std::string>> files{
            {"summary.json", summary.dump(2) + "\n"},
            {"runs.csv", experiment::runs_csv(ex, seed, runs, o.plan.present)},
            {"timeseries.csv", experiment::timeseries_csv(ex, runs, o.plan.present, ex.series)}};
        const std::size_t drawn = add_backscatter_graphs(ex, runs, o.plan.present, files);
        if (a.trace) files.emplace_back("trace.jsonl", experiment::trace_jsonl(o.result.trace));
        experiment::write_result_set(dir, files, cancelled);

        std::uint64_t events = 0;
        for (const std::size_t j : o.plan.present)
            events += runs[j].events;
        out << "mxsim run: " << experiment::printable(s.name) << " (seed " << seed << "), "
            << sim::format_duration(s.duration) << " simulated";
        if (a.job)
            out << ", job " << *a.job << " of " << jobs << " ("
                << experiment::printable(experiment::describe_job(ex, *a.job)) << ")";
        else if (jobs > 1)
            out << ", " << ex.variants.size() << " variant(s) x " << ex.sweep_points.size()
                << " sweep point(s) x " << ex.replications << " replication(s)";
        out << ", " << events << " events\n";
        if (!s.question.empty()) out << "Question: " << experiment::printable(s.question) << "\n";
        if (comparison && jobs > 1) {
            experiment::print_comparison(ex, *comparison, out);
            out << "\nThe baseline's first replication in detail:\n";
        }
        out << '\n';
        print_fates(runs[first], out);
        print_mtas(runs[first], out);
        if (a.trace) print_trace(o.result.trace, dir + "/trace.jsonl", out);
        out << "\nResults: " << dir << "/summary.json, runs.csv, timeseries.csv, backscatter*.dot"
            << (drawn > 0 ? " and .svg" : "") << (a.trace ? ", trace.jsonl" : "") << '\n';
        if (db) out << "Runs stored in " << experiment::printable(a.db) << '\n';
        return 0;
    } catch (const experiment::RunCancelled&) {
        err << "mxsim run: interrupted by "
            << (interrupt.signal() == SIGTERM ? "SIGTERM" : "SIGINT")
            << ": stopped, nothing written"
            << (dir.empty() ? "" : "; " + experiment::printable(dir) + " is as it was")
            << (db ? "; the jobs that ended are in " + experiment::printable(a.db) +
                         ", and the same command goes on from them"
                   : "")
            << '\n';
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
