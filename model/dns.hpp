// dns.hpp - authoritative DNS whose zones change over simulated time, and the
// per-MTA resolver cache in front of it (positive TTLs; RFC 2308 negative caching).
// Offers DnsAuthority (what the zones say at time t) and ResolverCache.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "model/expiring_map.hpp"
#include "model/name_table.hpp"
#include "model/scenario.hpp"

namespace mxsim::model {

using HostIndex = std::uint32_t;

enum class Rcode : std::uint8_t {
    NoError,   // with no records: NODATA
    NxDomain,  // the name does not exist
    ServFail,  // the authority could not answer (a temporary failure)
};

struct MxTarget {
    int preference = 0;
    std::optional<HostIndex> host;  // nullopt: the exchange name has no address
    NameId exchange = 0;            // the exchange's name
};

struct MxAnswer {
    Rcode rcode = Rcode::NoError;
    bool null_mx = false;  // RFC 7505
    // Sorted by preference (equal ones in zone order); empty with NoError and
    // !null_mx: NODATA. Points into the authority, which outlives every answer.
    std::span<const MxTarget> records;
    SimTime ttl = 0;  // how long a resolver may cache this answer
};

struct AAnswer {
    Rcode rcode = Rcode::NoError;
    std::optional<HostIndex> host;  // nullopt with NoError: NODATA
    SimTime ttl = 0;
};

// The authoritative answers, from the scenario's domains and hosts. Host names
// always resolve to their host (hosts do not change); domain zones follow
// their change schedules and SERVFAIL windows.
class DnsAuthority {
  public:
    DnsAuthority(const Scenario& s, NameTable& names);

    MxAnswer query_mx(NameId name, SimTime at) const;
    AAnswer query_a(NameId name, SimTime at) const;

  private:
    // A zone state with its names resolved to hosts once, at set-up.
    struct ResolvedState {
        SimTime from = 0;
        bool exists = true;
        bool null_mx = false;
        std::vector<MxTarget> mx;  // sorted by preference
        std::optional<HostIndex> a_host;
        bool a_named = false;  // the zone has its own A record
    };
    // What a query reads, kept together (the DomainSpec is large and far away).
    struct Zone {
        SimTime ttl = 0;
        SimTime negative_ttl = 0;
        const std::vector<TimeWindow>* servfail = nullptr;  // nullptr: never
        std::vector<ResolvedState> timeline;                // sorted by `from`
    };
    ResolvedState resolve(SimTime from, const DnsState& st, NameTable& names) const;
    const ResolvedState& state_at(const Zone& z, SimTime at) const;
    bool servfail_at(const Zone& z, SimTime at) const;
    std::optional<HostIndex> host_named(const std::string& name) const;

    // By name id: zones_ index + 1 and host index + 1 (0: none). Names are
    // dense ids, so a lookup is one array read instead of a hash probe.
    const Zone* zone(NameId name) const {
        return name < zone_of_.size() && zone_of_[name] ? &zones_[zone_of_[name] - 1] : nullptr;
    }
    std::optional<HostIndex> host_of(NameId name) const {
        if (name >= host_of_.size() || !host_of_[name]) return std::nullopt;
        return host_of_[name] - 1;
    }

    const NameTable& names_;
    std::vector<Zone> zones_;
    std::vector<std::uint32_t> zone_of_;
    std::vector<std::uint32_t> host_of_;
    SimTime parent_negative_ttl_;
    SimTime host_ttl_ = 3600 * sim::kSecond;
};

// What the lookups of one delivery cost: queries sent to the authorities, and
// time spent waiting for an answer that another delivery had asked for a
// moment before (a caching resolver answers both from the one query).
struct DnsLookup {
    int queries = 0;
    SimTime waited = 0;
    SimTime duration(SimTime query_latency) const { return queries * query_latency + waited; }
};

// One resolver's cache. Positive answers live for their TTL; NXDOMAIN and
// NODATA for the negative TTL (RFC 2308 section 5); SERVFAIL is not cached
// (RFC 2308 section 7.1 allows at most five minutes; stub resolvers that
// Postfix uses do not cache it).
class ResolverCache {
  public:
    // An answer asked for at `now` arrives `query_latency` later; `cost` adds up.
    MxAnswer mx(const DnsAuthority& dns, NameId name, SimTime now, SimTime query_latency,
                DnsLookup& cost);
    AAnswer a(const DnsAuthority& dns, NameId name, SimTime now, SimTime query_latency,
              DnsLookup& cost);

  private:
    ExpiringMap<MxAnswer> mx_;
    ExpiringMap<AAnswer> a_;
};

}  // namespace mxsim::model
