// network.cpp - path latencies with Boost.Graph's Dijkstra, and outage lookups.
#include "model/network.hpp"

#include <algorithm>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/dijkstra_shortest_paths.hpp>

namespace mxsim::model {
namespace {

using Graph =
    boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS, boost::no_property,
                          boost::property<boost::edge_weight_t, SimTime>>;

}  // namespace

Network::Network(const Scenario& s) : host_count_(s.hosts.size()), linked_(s.hosts.size()) {
    std::unordered_map<std::string, std::size_t> index;
    for (std::size_t h = 0; h < s.hosts.size(); ++h) {
        index.emplace(s.hosts[h].name, h);
        outages_.push_back(s.hosts[h].outages);
        // Every host hangs off the Internet hub (vertex host_count_).
        edges_.push_back({h, host_count_, s.network.internet_latency / 2});
    }
    for (const LinkSpec& l : s.network.links) {
        edges_.push_back({index.at(l.a), index.at(l.b), l.latency});
        linked_[index.at(l.a)] = linked_[index.at(l.b)] = true;
    }
    from_hub_ = dijkstra(host_count_);
}

std::vector<SimTime> Network::dijkstra(std::size_t from) const {
    Graph g(host_count_ + 1);
    for (const Edge& e : edges_)
        boost::add_edge(e.a, e.b, e.latency, g);
    std::vector<SimTime> dist(host_count_ + 1);
    boost::dijkstra_shortest_paths(g, from,
                                   boost::distance_map(boost::make_iterator_property_map(
                                       dist.begin(), boost::get(boost::vertex_index, g))));
    return dist;
}

const std::vector<SimTime>& Network::row(HostIndex from) {
    const auto it = rows_.find(from);
    if (it != rows_.end()) return it->second;
    return rows_.emplace(from, dijkstra(from)).first->second;
}

// A host without links reaches everything through its own hub edge first.
SimTime Network::latency(HostIndex from, HostIndex to) {
    if (from == to) return 0;
    if (!linked_[from]) return from_hub_[from] + from_hub_[to];
    return row(from)[to];
}

HostState Network::state(HostIndex host, SimTime at) const {
    for (const Outage& o : outages_[host]) {
        if (at < o.window.from) break;  // sorted by start
        if (at < o.window.to)
            return o.mode == OutageMode::Refuse ? HostState::Refusing : HostState::Silent;
    }
    return HostState::Up;
}

}  // namespace mxsim::model
