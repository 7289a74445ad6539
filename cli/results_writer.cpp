// results_writer.cpp - the JSON forms of results (docs/results-format.md) and safe writing.
#include "cli/results_writer.hpp"

#include <cmath>
#include <map>
#include <sstream>

// Boost.Graph's edge iterators trip GCC 12's -Wmaybe-uninitialized at -O3
// (a false positive inside boost/graph/detail/adj_list_edge_iterator.hpp).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/graphviz.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace mxsim::cli {
namespace {

using nlohmann::ordered_json;

ordered_json fate_table(const model::FateTable& fates) {
    ordered_json out = ordered_json::object();
    for (std::size_t o = 0; o < model::kOriginCount; ++o) {
        ordered_json row = ordered_json::object();
        for (std::size_t f = 0; f < model::kFateCount; ++f)
            row[std::string(model::kFateNames[f])] = fates[o][f];
        out[std::string(model::kOriginNames[o])] = row;
    }
    return out;
}

ordered_json flows(const model::MtaFlows& f) {
    return {{"received", f.received},    {"submitted", f.submitted},    {"generated", f.generated},
            {"delivered", f.delivered},  {"relayed", f.relayed},        {"bounced", f.bounced},
            {"expired", f.expired},      {"dropped", f.dropped},        {"discarded", f.discarded},
            {"queued_at_end", f.queued}, {"peak_queued", f.peak_queued}};
}

ordered_json number_or_null(double v) {
    return std::isfinite(v) ? ordered_json(v) : ordered_json();
}

}  // namespace

ordered_json summary_json(const RunMetadata& meta, const model::RunResults& r,
                          const RunTiming& timing) {
    ordered_json j;
    j["run"] = {{"scenario", meta.scenario_name},
                {"scenario_file", meta.scenario_file},
                {"content_hash", meta.content_hash},
                {"seed", meta.seed},
                {"mxsim_version", meta.mxsim_version},
                {"simulated_seconds", sim::to_seconds(r.end)},
                {"warnings", meta.warnings}};
    j["fates"] = fate_table(r.fates);
    j["ndrs_delivered"] = r.ndrs_delivered;
    j["backscatter_delivered"] = r.backscatter_delivered;
    ordered_json victims = ordered_json::array();
    for (std::size_t i = 0; i < r.backscatter_victims.size() && i < 20; ++i)
        victims.push_back({{"address", r.backscatter_victims[i].first},
                           {"received", r.backscatter_victims[i].second}});
    j["backscatter_top_victims"] = victims;
    j["smtp_sessions"] = r.smtp_sessions;
    j["smtp_bytes"] = r.smtp_bytes;
    j["events"] = r.events;
    j["legit_delivery_delay_s"] = {{"p50", number_or_null(r.legit_delay_p50_s)},
                                   {"p95", number_or_null(r.legit_delay_p95_s)},
                                   {"p99", number_or_null(r.legit_delay_p99_s)}};
    ordered_json mtas = ordered_json::array();
    for (const model::MtaResults& m : r.mtas)
        mtas.push_back({{"host", m.host},
                        {"ndrs_generated", m.ndrs_generated},
                        {"smtp_sessions", m.smtp_sessions},
                        {"dns_queries", m.dns_queries},
                        {"flows", flows(m.flows)}});
    j["mtas"] = mtas;
    j["series"] = {{"bin_width_s", sim::to_seconds(r.bin_width)},
                   {"ndrs_generated", r.ndrs_generated_per_bin},
                   {"delivered", r.delivered_per_bin},
                   {"queued_mean", r.queued_mean_per_bin},
                   {"backscatter_delivered", r.backscatter_per_bin}};
    for (const model::NamedSeries& s : r.series)
        j["series"][s.name] = s.bins;
    j["timing"] = {{"wall_seconds", timing.wall_seconds},
                   {"events_per_second", timing.events_per_second}};
    return j;
}

std::string trace_jsonl(const std::vector<model::TraceRecord>& trace) {
    std::string out;
    for (const model::TraceRecord& t : trace) {
        const ordered_json j = {
            {"t", sim::to_seconds(t.t)},
            {"msg", t.msg},
            {"parent", t.parent == model::kNoMessage ? ordered_json() : ordered_json(t.parent)},
            {"from", t.from},
            {"to", t.to.empty() ? ordered_json() : ordered_json(t.to)},
            {"stage", t.stage},
            {"code", t.code == 0 ? ordered_json() : ordered_json(t.code)},
            {"enhanced", t.enhanced},
            {"action", t.action},
            {"reason", t.reason}};
        out += j.dump();
        out += '\n';
    }
    return out;
}

std::string backscatter_dot(const model::RunResults& r) {
    struct Node {
        std::string name;
        std::string shape;
    };
    struct Edge {
        std::uint64_t count;
    };
    using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, Node, Edge>;
    Graph g;
    std::map<std::string, Graph::vertex_descriptor> vertices;
    const auto vertex = [&](const std::string& name, const char* shape) {
        const auto it = vertices.find(name);
        if (it != vertices.end()) return it->second;
        const auto v = boost::add_vertex(Node{name, shape}, g);
        vertices.emplace(name, v);
        return v;
    };
    for (const auto& f : r.ndr_flows)
        boost::add_edge(vertex(f.from_host, "box"), vertex(f.to_domain, "ellipse"), Edge{f.count},
                        g);
    std::ostringstream out;
    boost::write_graphviz(
        out, g,
        [&g](std::ostream& os, Graph::vertex_descriptor v) {
            os << "[label=\"" << g[v].name << "\", shape=" << g[v].shape << "]";
        },
        [&g](std::ostream& os, Graph::edge_descriptor e) {
            os << "[label=\"" << g[e].count << "\", weight=" << g[e].count << "]";
        });
    return out.str();
}
#pragma GCC diagnostic pop

void write_files_atomically(const std::string& dir,
                            const std::vector<std::pair<std::string, std::string>>& files) {
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw std::runtime_error(dir + ": cannot create directory: " + ec.message());
    std::vector<fs::path> temps;
    const auto cleanup = [&temps] {
        std::error_code ignored;
        for (const fs::path& p : temps)
            fs::remove(p, ignored);
    };
    for (const auto& [name, content] : files) {
        const fs::path tmp = fs::path(dir) / ("." + name + ".tmp");
        temps.push_back(tmp);
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out << content;
        out.flush();
        if (!out) {
            cleanup();
            throw std::runtime_error((fs::path(dir) / name).string() + ": cannot write");
        }
    }
    for (std::size_t i = 0; i < files.size(); ++i) {
        fs::rename(temps[i], fs::path(dir) / files[i].first, ec);
        if (ec) {
            cleanup();
            throw std::runtime_error((fs::path(dir) / files[i].first).string() +
                                     ": cannot rename into place: " + ec.message());
        }
    }
}

}  // namespace mxsim::cli
