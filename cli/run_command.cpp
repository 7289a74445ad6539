// run_command.cpp - the `mxsim run` command: argument parsing, the run, the report.
#include "cli/run_command.hpp"

#include <chrono>
#include <cstdio>
#include <optional>
#include <stdexcept>
#include <string>

#include "cli/results_writer.hpp"
#include "cli/scenario_loader.hpp"
#include "model/world.hpp"

namespace mxsim::cli {
namespace {

constexpr const char* kVersion = "0.1.0";
constexpr std::size_t kTraceLinesShown = 60;

struct RunArgs {
    std::string scenario;
    std::optional<std::uint64_t> seed;
    std::string out_dir;
    bool trace = false;
};

std::uint64_t parse_seed(std::string_view text) {
    std::uint64_t v = 0;
    if (text.empty()) throw std::invalid_argument("--seed: missing value");
    for (const char c : text) {
        if (c < '0' || c > '9' || v > (UINT64_MAX - 9) / 10)
            throw std::invalid_argument("--seed: expected a whole number, got '" +
                                        std::string(text) + "'");
        v = v * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return v;
}

RunArgs parse_args(const std::vector<std::string_view>& args) {
    RunArgs r;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string_view a = args[i];
        const auto value = [&]() -> std::string_view {
            if (i + 1 >= args.size())
                throw std::invalid_argument(std::string(a) + ": missing value");
            return args[++i];
        };
        if (a == "--seed")
            r.seed = parse_seed(value());
        else if (a == "--out")
            r.out_dir = std::string(value());
        else if (a == "--trace")
            r.trace = true;
        else if (!a.empty() && a[0] == '-')
            throw std::invalid_argument("unknown option '" + std::string(a) + "'");
        else if (r.scenario.empty())
            r.scenario = std::string(a);
        else
            throw std::invalid_argument("more than one scenario file given");
    }
    if (r.scenario.empty()) throw std::invalid_argument("no scenario file given");
    return r;
}

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
    out << "\nMTAs                     received submitted generated delivered  relayed  bounced"
           "  expired  dropped   queued     peak NDRs-sent\n";
    for (const model::MtaResults& m : r.mtas) {
        const model::MtaFlows& f = m.flows;
        std::string host = m.host.substr(0, 24);
        out << "  " << host << std::string(24 - host.size(), ' ') << cell(f.received, 8)
            << cell(f.submitted, 10) << cell(f.generated, 10) << cell(f.delivered, 10)
            << cell(f.relayed, 9) << cell(f.bounced, 9) << cell(f.expired, 9) << cell(f.dropped, 9)
            << cell(f.queued, 9) << cell(f.peak_queued, 9) << cell(m.ndrs_generated, 10) << '\n';
    }
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
    try {
        a = parse_args(args);
    } catch (const std::invalid_argument& e) {
        err << "mxsim run: " << e.what()
            << "\nusage: mxsim run SCENARIO.json [--seed N] [--out DIR] [--trace]\n";
        return 2;
    }
    try {
        const LoadedScenario loaded = load_scenario_file(a.scenario);
        const model::Scenario& s = loaded.scenario;
        for (const std::string& w : loaded.warnings)
            err << "mxsim run: warning: " << w << '\n';
        const std::uint64_t seed = a.seed.value_or(s.seed);
        const std::string dir = a.out_dir.empty() ? "out/" + s.name : a.out_dir;

        const auto start = std::chrono::steady_clock::now();
        model::World world(s, {seed, 0, a.trace});
        const model::RunResults r = world.run();
        const double wall =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        const RunTiming timing{wall, wall > 0 ? static_cast<double>(r.events) / wall : 0};

        const RunMetadata meta{s.name, a.scenario, loaded.content_hash,
                               seed,   kVersion,   loaded.warnings};
        std::vector<std::pair<std::string, std::string>> files{
            {"summary.json", summary_json(meta, r, timing).dump(2) + "\n"}};
        if (a.trace) files.emplace_back("trace.jsonl", trace_jsonl(world.trace()));
        write_files_atomically(dir, files);

        out << "mxsim run: " << s.name << " (seed " << seed << "), "
            << sim::format_duration(s.duration) << " simulated, " << r.events << " events\n";
        if (!s.question.empty()) out << "Question: " << s.question << "\n";
        out << '\n';
        print_fates(r, out);
        print_mtas(r, out);
        if (a.trace) print_trace(world.trace(), dir + "/trace.jsonl", out);
        out << "\nResults: " << dir << "/summary.json" << (a.trace ? ", trace.jsonl" : "") << '\n';
        return 0;
    } catch (const ScenarioError& e) {
        err << "mxsim run: " << e.what() << '\n';
        return 1;
    } catch (const std::exception& e) {
        err << "mxsim run: " << a.scenario << ": " << e.what() << '\n';
        return 1;
    }
}

}  // namespace mxsim::cli
