// backscatter_graph_test.cpp - the NDR flow graphs: one per variant, summed over
// replications, MTAs and domains apart, independent of job order; SVG by Graphviz.
#include <catch2/catch.hpp>

#include <regex>

#include "experiment/backscatter_graph.hpp"
#include "experiment/experiment_runner.hpp"

using namespace mxsim;

namespace {

model::RunResults run_with(std::vector<model::RunResults::NdrFlow> flows) {
    model::RunResults r;
    r.ndr_flows = std::move(flows);
    return r;
}

}  // namespace

TEST_CASE("a graph adds up the NDR flows of its replications", "[experiment][graph]") {
    const std::vector<model::RunResults> runs{
        run_with({{"mx.b.example", "victim.example", 3}, {"mx.a.example", "victim.example", 1}}),
        run_with({{"mx.b.example", "victim.example", 4}, {"mx.a.example", "other.example", 10}})};
    const std::string dot = experiment::backscatter_dot(runs, {0, 1}, "t");
    // Two clusters, MTAs (boxes) then domains (ellipses), each in name order.
    CHECK_THAT(dot, Catch::Contains("subgraph cluster_mtas") &&
                        Catch::Contains("subgraph cluster_domains") &&
                        Catch::Contains("rankdir=LR"));
    CHECK_THAT(dot, Catch::Contains("n0 [label=\"mx.a.example\", shape=box]") &&
                        Catch::Contains("n1 [label=\"mx.b.example\", shape=box]") &&
                        Catch::Contains("n2 [label=\"other.example\", shape=ellipse]") &&
                        Catch::Contains("n3 [label=\"victim.example\", shape=ellipse]"));
    // mx.b -> victim: 3 + 4 NDRs, weight 7, a thicker line than one NDR's.
    CHECK_THAT(dot, Catch::Contains("n1 -> n3 [label=\"7\", weight=7, penwidth=1.8]"));
    CHECK_THAT(dot, Catch::Contains("n0 -> n3 [label=\"1\", weight=1, penwidth=1.0]"));
    CHECK_THAT(dot, Catch::Contains("n0 -> n2 [label=\"10\", weight=10, penwidth=2.0]"));
    // The order the replications are given in changes nothing.
    CHECK(experiment::backscatter_dot(runs, {1, 0}, "t") == dot);
    CHECK(experiment::backscatter_dot(runs, {}, "t").find("->") == std::string::npos);
}

TEST_CASE("one graph per variant, over its replications", "[experiment][graph]") {
    const format::Experiment ex = format::load_experiment_file(std::string(MXSIM_SOURCE_DIR) +
                                                               "/tests/experiment/mpi/sweep.json");
    const experiment::ExperimentRuns runs =
        experiment::run_experiment(ex, {11, 2, false, 0.2, std::nullopt});
    const auto graphs = experiment::backscatter_graphs(ex, runs.runs, experiment::every_job(ex));
    REQUIRE(graphs.size() == 6);  // 2 variants x 3 sweep points
    CHECK(graphs[0].first == "backscatter.dot");
    CHECK(graphs[1].first == "backscatter-baseline-limit_per_hour_100.dot");
    CHECK(graphs[3].first == "backscatter-550-limit_per_hour_50.dot");
    // The 550 variant at 50/h is jobs 6 and 7: its edges are their flows added up.
    std::uint64_t expected = 0;
    for (const std::size_t j : {6u, 7u})
        for (const auto& f : runs.runs[j].ndr_flows)
            expected += f.count;
    std::uint64_t drawn = 0;
    const std::regex label("label=\"([0-9]+)\", weight");
    const std::string& dot = graphs[3].second;
    for (std::sregex_iterator it(dot.begin(), dot.end(), label), end; it != end; ++it)
        drawn += std::stoull((*it)[1]);
    CHECK(expected > 0);
    CHECK(drawn == expected);
    CHECK_THAT(dot, Catch::Contains("550, limit_per_hour=50, summed over 2 replication(s)"));
}

TEST_CASE("Graphviz draws a graph as SVG, but not a huge one", "[experiment][graph]") {
    const std::vector<model::RunResults> runs{run_with({{"mx.a.example", "b.example", 2}})};
    const std::optional<std::string> svg =
        experiment::render_svg(experiment::backscatter_dot(runs, {0}, "t"));
    // scripts/setup.sh installs graphviz, so dot is there wherever the tests run.
    REQUIRE(svg);
    CHECK_THAT(*svg, Catch::Contains("<svg") && Catch::Contains("mx.a.example"));
    std::vector<model::RunResults::NdrFlow> many;
    for (std::size_t i = 0; i <= experiment::kMaxEdgesDrawn; ++i)
        many.push_back({"mx.example", "d" + std::to_string(i) + ".example", 1});
    const std::vector<model::RunResults> big{run_with(many)};
    CHECK_FALSE(experiment::render_svg(experiment::backscatter_dot(big, {0}, "t")));
}
