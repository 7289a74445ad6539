// backscatter_graph.cpp - the NDR flow graphs, and their drawing by Graphviz.
#include "experiment/backscatter_graph.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string_view>

#include <absl/container/flat_hash_map.h>
#include <fmt/format.h>

#include "experiment/job_runner.hpp"
#include "experiment/safe_text.hpp"

extern char** environ;

namespace mxsim::experiment {
namespace {

namespace fs = std::filesystem;

// DOT quoting: a label is a double-quoted string, so quotes and backslashes are escaped.
std::string dot_quoted(std::string_view text) {
    std::string out = "\"";
    for (const char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + '"';
}

std::size_t edge_count(const std::string& dot) {
    return static_cast<std::size_t>(std::count(dot.begin(), dot.end(), '>'));
}

// A file that is removed when this goes out of scope.
struct TempFile {
    std::string path;
    explicit TempFile(const std::string& pattern) : path(pattern) {
        const int fd = ::mkstemp(path.data());
        if (fd < 0) throw std::runtime_error(pattern + ": cannot create a temporary file");
        ::close(fd);
    }
    ~TempFile() { ::unlink(path.c_str()); }
};

}  // namespace

std::string backscatter_dot(const std::vector<model::RunResults>& all,
                            const std::vector<std::size_t>& runs, const std::string& title) {
    // (MTA, domain) -> NDRs, in name order: the same file whatever order the
    // replications ran in. A flood's graph has 10^5 edges, so each name is
    // hashed once and ranked, and the edges are sorted as pairs of ranks.
    absl::flat_hash_map<std::string_view, std::uint32_t> mta_rank, domain_rank;
    for (const std::size_t r : runs)
        for (const auto& f : all.at(r).ndr_flows) {
            mta_rank.emplace(f.from_host, 0);
            domain_rank.emplace(f.to_domain, 0);
        }
    // The names in order; each one's rank is its node id (MTAs first).
    const auto ranked = [](absl::flat_hash_map<std::string_view, std::uint32_t>& ranks) {
        std::vector<std::string_view> names;
        for (const auto& [name, rank] : ranks)
            names.push_back(name);
        std::sort(names.begin(), names.end());
        for (std::size_t i = 0; i < names.size(); ++i)
            ranks[names[i]] = static_cast<std::uint32_t>(i);
        return names;
    };
    const std::vector<std::string_view> mtas = ranked(mta_rank), domains = ranked(domain_rank);
    std::vector<std::pair<std::uint64_t, std::uint64_t>> edges;  // (mta << 32 | domain, NDRs)
    for (const std::size_t r : runs)
        for (const auto& f : all.at(r).ndr_flows)
            edges.emplace_back(
                std::uint64_t{mta_rank[f.from_host]} << 32 | domain_rank[f.to_domain], f.count);
    std::sort(edges.begin(), edges.end());

    std::string out = "digraph backscatter {\n  label=" + dot_quoted(title) +
                      ";\n  labelloc=t;\n  rankdir=LR;\n  nodesep=0.15;\n"
                      "  node [fontname=\"DejaVu Sans\", fontsize=10];\n"
                      "  edge [fontname=\"DejaVu Sans\", fontsize=9];\n";
    auto to = std::back_inserter(out);
    const auto cluster = [&](const char* name, const char* label, const char* shape,
                             const std::vector<std::string_view>& nodes, std::size_t first_id) {
        fmt::format_to(to, "  subgraph {} {{\n    label={};\n    color=gray70;\n", name,
                       dot_quoted(label));
        for (std::size_t i = 0; i < nodes.size(); ++i)
            fmt::format_to(to, "    n{} [label={}, shape={}];\n", first_id + i,
                           dot_quoted(nodes[i]), shape);
        out += "  }\n";
    };
    cluster("cluster_mtas", "MTAs that wrote NDRs", "box", mtas, 0);
    cluster("cluster_domains", "domains the NDRs went to", "ellipse", domains, mtas.size());
    for (std::size_t i = 0; i < edges.size();) {
        std::uint64_t n = 0;
        std::size_t j = i;
        for (; j < edges.size() && edges[j].first == edges[i].first; ++j)
            n += edges[j].second;
        fmt::format_to(to, "  n{} -> n{} [label=\"{}\", weight={}, penwidth={:.1f}];\n",
                       edges[i].first >> 32, mtas.size() + (edges[i].first & 0xFFFFFFFF), n, n,
                       1.0 + std::log10(static_cast<double>(n)));
        i = j;
    }
    return out + "}\n";
}

std::vector<std::pair<std::string, std::string>> backscatter_graphs(
    const format::Experiment& ex, const std::vector<model::RunResults>& runs,
    const std::vector<std::size_t>& jobs) {
    std::vector<std::pair<std::string, std::string>> out;
    std::set<std::string> taken;
    for (std::size_t v = 0; v < ex.variants.size(); ++v)
        for (std::size_t p = 0; p < ex.sweep_points.size(); ++p) {
            std::vector<std::size_t> mine;
            for (const std::size_t j : jobs) {
                const JobPlace at = place_of(ex, j);
                if (at.variant == v && at.point == p) mine.push_back(j);
            }
            if (mine.empty()) continue;
            const std::string& point = ex.sweep_points[p];
            std::string name = out.empty() ? "backscatter"
                                           : "backscatter-" + path_component(ex.variants[v]) +
                                                 (point.empty() ? "" : "-" + path_component(point));
            // Two names made the same by path_component ("a/b", "a_b") stay apart.
            if (!taken.insert(name).second)
                name += "-" + std::to_string(v) + "-" + std::to_string(p);
            const std::string title = "NDRs by writer and destination: " + ex.variants[v] +
                                      (point.empty() ? "" : ", " + point) + ", summed over " +
                                      std::to_string(mine.size()) + " replication(s)";
            out.emplace_back(name + ".dot", backscatter_dot(runs, mine, title));
        }
    return out;
}

std::optional<std::string> render_svg(const std::string& dot) {
    if (edge_count(dot) > kMaxEdgesDrawn) return std::nullopt;
    const fs::path tmp = fs::temp_directory_path();
    const TempFile in((tmp / "mxsim-graph-XXXXXX").string()),
        out((tmp / "mxsim-svg-XXXXXX").string());
    std::ofstream(in.path, std::ios::binary) << dot;
    std::string in_path = in.path, out_path = "-o" + out.path;
    char tool[] = "dot", format[] = "-Tsvg";
    char* argv[] = {tool, format, out_path.data(), in_path.data(), nullptr};
    pid_t pid = 0;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    const int spawned = ::posix_spawnp(&pid, "dot", &actions, nullptr, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    if (spawned != 0) return std::nullopt;  // no Graphviz here
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        throw std::runtime_error("Graphviz dot could not draw a backscatter graph (exit " +
                                 std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) +
                                 ")");
    std::ifstream svg(out.path, std::ios::binary);
    std::ostringstream text;
    text << svg.rdbuf();
    return text.str();
}

}  // namespace mxsim::experiment
