// network.hpp - hosts and links as a Boost.Graph; path latencies and host availability.
// Offers Network: one-way latency between two hosts (shortest path over explicit
// links and "the Internet" hub, with Dijkstra: once from the hub for every host
// without links, once per source for hosts with links) and whether a host
// accepts connections at time t.
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "model/dns.hpp"
#include "model/scenario.hpp"

namespace mxsim::model {

enum class HostState : std::uint8_t { Up, Refusing, Silent };

class Network {
  public:
    explicit Network(const Scenario& s);

    // One-way latency of the fastest path; computed on first use per source.
    SimTime latency(HostIndex from, HostIndex to);
    SimTime round_trip(HostIndex a, HostIndex b) { return latency(a, b) + latency(b, a); }

    HostState state(HostIndex host, SimTime at) const;

  private:
    const std::vector<SimTime>& row(HostIndex from);
    std::vector<SimTime> dijkstra(std::size_t from) const;

    std::size_t host_count_;
    struct Edge {
        std::size_t a, b;
        SimTime latency;
    };
    std::vector<Edge> edges_;
    std::vector<bool> linked_;                                  // has an explicit link
    std::vector<SimTime> from_hub_;                             // the hub's distance to every host
    std::unordered_map<HostIndex, std::vector<SimTime>> rows_;  // sources with links
    std::vector<std::vector<Outage>> outages_;
};

}  // namespace mxsim::model
