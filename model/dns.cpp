// dns.cpp - zone timelines, authoritative answers and resolver caching.
#include "model/dns.hpp"

#include <algorithm>

namespace mxsim::model {

DnsAuthority::DnsAuthority(const Scenario& s, NameTable& names)
    : names_(names), parent_negative_ttl_(s.dns.parent_negative_ttl) {
    const auto set = [](std::vector<std::uint32_t>& index, NameId name, std::size_t value) {
        if (index.size() <= name) index.resize(name + 1, 0);
        index[name] = static_cast<std::uint32_t>(value + 1);
    };
    for (std::size_t h = 0; h < s.hosts.size(); ++h)
        set(host_of_, names.id_of(s.hosts[h].name), h);
    zones_.reserve(s.domains.size());
    for (const DomainSpec& d : s.domains) {
        Zone z{d.ttl, d.negative_ttl, d.servfail.empty() ? nullptr : &d.servfail, {}};
        z.timeline.push_back(resolve(SimTime{-1}, d.initial, names));
        for (const DnsChange& c : d.changes)
            z.timeline.push_back(resolve(c.at, c.state, names));
        const NameId name = names.id_of(d.name);
        if (zone(name)) continue;  // the loader refuses a domain listed twice
        zones_.push_back(std::move(z));
        set(zone_of_, name, zones_.size() - 1);
    }
}

DnsAuthority::ResolvedState DnsAuthority::resolve(SimTime from, const DnsState& st,
                                                  NameTable& names) const {
    ResolvedState r{from, st.exists, st.null_mx, {}, std::nullopt, st.a_host.has_value()};
    for (const MxRecord& m : st.mx) {
        // A host's name is interned already; a retired exchange's only if some zone names one.
        const NameId exchange = m.has_address ? *names.find(m.host) : names.id_of(m.host);
        r.mx.push_back({m.preference, m.has_address ? host_named(m.host) : std::nullopt, exchange});
    }
    std::stable_sort(r.mx.begin(), r.mx.end(), [](const MxTarget& x, const MxTarget& y) {
        return x.preference < y.preference;
    });
    if (st.a_host) r.a_host = host_named(*st.a_host);
    return r;
}

const DnsAuthority::ResolvedState& DnsAuthority::state_at(const Zone& z, SimTime at) const {
    const auto after = std::upper_bound(z.timeline.begin(), z.timeline.end(), at,
                                        [](SimTime t, const auto& e) { return t < e.from; });
    return *std::prev(after);
}

bool DnsAuthority::servfail_at(const Zone& z, SimTime at) const {
    if (!z.servfail) return false;
    for (const TimeWindow& w : *z.servfail)
        if (at >= w.from && at < w.to) return true;
    return false;
}

std::optional<HostIndex> DnsAuthority::host_named(const std::string& name) const {
    const auto id = names_.find(name);
    if (!id) return std::nullopt;
    return host_of(*id);
}

MxAnswer DnsAuthority::query_mx(NameId name, SimTime at) const {
    const Zone* z = zone(name);
    if (!z) {
        // A host name has an A record but no MX: NODATA. Anything else does not exist.
        if (host_of(name)) return {Rcode::NoError, false, {}, host_ttl_};
        return {Rcode::NxDomain, false, {}, parent_negative_ttl_};
    }
    if (servfail_at(*z, at)) return {Rcode::ServFail, false, {}, 0};
    const ResolvedState& st = state_at(*z, at);
    if (!st.exists) return {Rcode::NxDomain, false, {}, parent_negative_ttl_};
    MxAnswer ans{Rcode::NoError, st.null_mx, st.mx, z->ttl};
    if (ans.records.empty() && !ans.null_mx) ans.ttl = z->negative_ttl;  // NODATA
    return ans;
}

AAnswer DnsAuthority::query_a(NameId name, SimTime at) const {
    const Zone* z = zone(name);
    const std::optional<HostIndex> host = host_of(name);
    if (!z) {
        if (host) return {Rcode::NoError, host, host_ttl_};
        return {Rcode::NxDomain, std::nullopt, parent_negative_ttl_};
    }
    if (servfail_at(*z, at)) return {Rcode::ServFail, std::nullopt, 0};
    const ResolvedState& st = state_at(*z, at);
    if (!st.exists) return {Rcode::NxDomain, std::nullopt, parent_negative_ttl_};
    if (st.a_named) return {Rcode::NoError, st.a_host, z->ttl};
    if (host) return {Rcode::NoError, host, host_ttl_};
    return {Rcode::NoError, std::nullopt, z->negative_ttl};
}

namespace {

// An entry is put when its query is sent, expiring a TTL after that; a lookup
// before the answer is in waits for the rest of the query's latency.
template <class Answer, class Query>
Answer cached(ExpiringMap<Answer>& map, NameId name, SimTime now, SimTime latency, DnsLookup& cost,
              Query query) {
    SimTime expires = 0;
    if (const Answer* hit = map.find(name, now, &expires)) {
        const SimTime answered = expires - hit->ttl + latency;
        if (answered > now) cost.waited += answered - now;
        return *hit;
    }
    ++cost.queries;
    Answer ans = query();
    if (ans.rcode != Rcode::ServFail) map.put(name, ans, now + ans.ttl, now);
    return ans;
}

}  // namespace

MxAnswer ResolverCache::mx(const DnsAuthority& dns, NameId name, SimTime now, SimTime latency,
                           DnsLookup& cost) {
    return cached(mx_, name, now, latency, cost, [&] { return dns.query_mx(name, now); });
}

AAnswer ResolverCache::a(const DnsAuthority& dns, NameId name, SimTime now, SimTime latency,
                         DnsLookup& cost) {
    return cached(a_, name, now, latency, cost, [&] { return dns.query_a(name, now); });
}

}  // namespace mxsim::model
