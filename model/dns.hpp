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

// Which of the authority's answers a query got. Every answer is made once, at
// set-up; queries return its id and resolver caches keep ids (16-byte slots).
using AnswerId = std::uint32_t;

// The authoritative answers, from the scenario's domains and hosts. Host names
// always resolve to their host (hosts do not change); domain zones follow
// their change schedules and SERVFAIL windows.
class DnsAuthority {
  public:
    DnsAuthority(const Scenario& s, NameTable& names);
    // Its answers' record spans point into its own arrays, so a copy's would
    // point into the original: never copied.
    DnsAuthority(const DnsAuthority&) = delete;
    DnsAuthority& operator=(const DnsAuthority&) = delete;

    const MxAnswer& query_mx(NameId name, SimTime at) const { return mx(mx_answer(name, at)); }
    const AAnswer& query_a(NameId name, SimTime at) const { return a(a_answer(name, at)); }
    AnswerId mx_answer(NameId name, SimTime at) const;
    AnswerId a_answer(NameId name, SimTime at) const;
    const MxAnswer& mx(AnswerId id) const { return mx_answers_[id]; }
    const AAnswer& a(AnswerId id) const { return a_answers_[id]; }
    // Fetches what a query for `name` reads into the CPU's caches: its entry
    // and, for a zone that never changes, its MX answer.
    void prefetch(NameId name) const {
        if (name >= by_name_.size()) return;
        const AnswerId mx = by_name_[name].mx;
        if (mx != kByZone) __builtin_prefetch(&mx_answers_[mx]);
    }

  private:
    // The answers of a zone from `from` on.
    struct ZoneState {
        SimTime from = 0;
        AnswerId mx = 0;
        AnswerId a = 0;
    };
    struct Zone {
        const std::vector<TimeWindow>* servfail = nullptr;  // nullptr: never
        std::uint32_t first = 0;                            // its states in states_, by `from`
        std::uint32_t count = 0;
    };
    // A name's answers when they never change (no zone, or a zone with one
    // state and no SERVFAIL window: one array read answers the query), else
    // kByZone and the zone's index + 1.
    struct NameEntry {
        AnswerId mx = kNxDomain;
        AnswerId a = kNxDomain;
        std::uint32_t zone = 0;
    };
    static constexpr AnswerId kServFail = 0;  // in both answer tables
    static constexpr AnswerId kNxDomain = 1;
    static constexpr AnswerId kByZone = UINT32_MAX;

    const ZoneState& state_at(const Zone& z, SimTime at) const;
    bool servfail_at(const Zone& z, SimTime at) const;
    const NameEntry* entry(NameId name) const {
        return name < by_name_.size() ? &by_name_[name] : nullptr;
    }

    std::vector<MxTarget> targets_;  // every state's MX records; answers point into it
    std::vector<MxAnswer> mx_answers_;
    std::vector<AAnswer> a_answers_;
    std::vector<ZoneState> states_;
    std::vector<Zone> zones_;
    std::vector<NameEntry> by_name_;  // names are dense ids: one array read, no hash probe
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
    const MxAnswer& mx(const DnsAuthority& dns, NameId name, SimTime now, SimTime query_latency,
                       DnsLookup& cost);
    const AAnswer& a(const DnsAuthority& dns, NameId name, SimTime now, SimTime query_latency,
                     DnsLookup& cost);
    void prefetch(NameId name) const { mx_.prefetch(name); }

  private:
    ExpiringMap<AnswerId> mx_;
    ExpiringMap<AnswerId> a_;
};

}  // namespace mxsim::model
