// dns.cpp - zone timelines, authoritative answers and resolver caching.
#include "model/dns.hpp"

#include <algorithm>

namespace mxsim::model {

DnsAuthority::DnsAuthority(const Scenario& s, NameTable& names) {
    const SimTime host_ttl = 3600 * sim::kSecond;
    mx_answers_ = {{Rcode::ServFail, false, {}, 0},
                   {Rcode::NxDomain, false, {}, s.dns.parent_negative_ttl}};
    a_answers_ = {{Rcode::ServFail, std::nullopt, 0},
                  {Rcode::NxDomain, std::nullopt, s.dns.parent_negative_ttl}};
    const auto entry_of = [&](NameId name) -> NameEntry& {
        if (by_name_.size() <= name) by_name_.resize(name + 1);
        return by_name_[name];
    };
    // A host name has an A record but no MX: NODATA.
    const AnswerId host_nodata = static_cast<AnswerId>(mx_answers_.size());
    mx_answers_.push_back({Rcode::NoError, false, {}, host_ttl});
    std::vector<std::optional<HostIndex>> host_of;  // by name id
    for (std::size_t h = 0; h < s.hosts.size(); ++h) {
        const NameId name = names.id_of(s.hosts[h].name);
        if (host_of.size() <= name) host_of.resize(name + 1);
        host_of[name] = static_cast<HostIndex>(h);
        entry_of(name) = {host_nodata, static_cast<AnswerId>(a_answers_.size()), 0};
        a_answers_.push_back({Rcode::NoError, static_cast<HostIndex>(h), host_ttl});
    }
    const auto host_named = [&](const std::string& name) -> std::optional<HostIndex> {
        const auto id = names.find(name);
        return id && *id < host_of.size() ? host_of[*id] : std::nullopt;
    };

    // Answers point into targets_: it must never reallocate.
    std::size_t records = 0;
    for (const DomainSpec& d : s.domains) {
        records += d.initial.mx.size();
        for (const DnsChange& c : d.changes)
            records += c.state.mx.size();
    }
    targets_.reserve(records);
    const auto mx_of = [&](const DomainSpec& d, const DnsState& st) -> AnswerId {
        if (!st.exists) return kNxDomain;
        const std::size_t first = targets_.size();
        for (const MxRecord& m : st.mx) {
            // A host's name is interned already; a retired exchange's only if some zone names one.
            const NameId exchange = m.has_address ? *names.find(m.host) : names.id_of(m.host);
            targets_.push_back(
                {m.preference, m.has_address ? host_named(m.host) : std::nullopt, exchange});
        }
        const auto begin = targets_.begin() + static_cast<std::ptrdiff_t>(first);
        std::stable_sort(begin, targets_.end(), [](const MxTarget& x, const MxTarget& y) {
            return x.preference < y.preference;
        });
        MxAnswer ans{Rcode::NoError, st.null_mx, {begin, targets_.end()}, d.ttl};
        if (ans.records.empty() && !ans.null_mx) ans.ttl = d.negative_ttl;  // NODATA
        mx_answers_.push_back(ans);
        return static_cast<AnswerId>(mx_answers_.size() - 1);
    };
    const auto a_of = [&](const DomainSpec& d, const DnsState& st, NameId name) -> AnswerId {
        if (!st.exists) return kNxDomain;
        if (st.a_host) {
            a_answers_.push_back({Rcode::NoError, host_named(*st.a_host), d.ttl});
        } else if (name < host_of.size() && host_of[name]) {
            return by_name_[name].a;  // the host's own A record
        } else {
            a_answers_.push_back({Rcode::NoError, std::nullopt, d.negative_ttl});  // NODATA
        }
        return static_cast<AnswerId>(a_answers_.size() - 1);
    };

    zones_.reserve(s.domains.size());
    for (const DomainSpec& d : s.domains) {
        std::vector<std::pair<SimTime, const DnsState*>> timeline{{SimTime{-1}, &d.initial}};
        for (const DnsChange& c : d.changes)
            timeline.emplace_back(c.at, &c.state);
        const auto known = names.find(d.name);
        if (known && *known < by_name_.size() && by_name_[*known].zone)
            continue;  // the loader refuses a domain listed twice
        std::vector<AnswerId> mx_ids;
        for (const auto& [from, st] : timeline)
            mx_ids.push_back(mx_of(d, *st));
        const NameId name = names.id_of(d.name);
        Zone z{d.servfail.empty() ? nullptr : &d.servfail,
               static_cast<std::uint32_t>(states_.size()),
               static_cast<std::uint32_t>(timeline.size())};
        for (std::size_t i = 0; i < timeline.size(); ++i)
            states_.push_back({timeline[i].first, mx_ids[i], a_of(d, *timeline[i].second, name)});
        zones_.push_back(z);
        NameEntry& e = entry_of(name);
        e.zone = static_cast<std::uint32_t>(zones_.size());
        const bool fixed = z.count == 1 && !z.servfail;
        e.mx = fixed ? states_[z.first].mx : kByZone;
        e.a = fixed ? states_[z.first].a : kByZone;
    }
}

const DnsAuthority::ZoneState& DnsAuthority::state_at(const Zone& z, SimTime at) const {
    const auto begin = states_.begin() + z.first;
    const auto after = std::upper_bound(begin, begin + z.count, at,
                                        [](SimTime t, const ZoneState& e) { return t < e.from; });
    return *std::prev(after);
}

bool DnsAuthority::servfail_at(const Zone& z, SimTime at) const {
    if (!z.servfail) return false;
    for (const TimeWindow& w : *z.servfail)
        if (at >= w.from && at < w.to) return true;
    return false;
}

AnswerId DnsAuthority::mx_answer(NameId name, SimTime at) const {
    const NameEntry* e = entry(name);
    if (!e) return kNxDomain;  // neither a domain nor a host
    if (e->mx != kByZone) return e->mx;
    const Zone& z = zones_[e->zone - 1];
    return servfail_at(z, at) ? kServFail : state_at(z, at).mx;
}

AnswerId DnsAuthority::a_answer(NameId name, SimTime at) const {
    const NameEntry* e = entry(name);
    if (!e) return kNxDomain;
    if (e->a != kByZone) return e->a;
    const Zone& z = zones_[e->zone - 1];
    return servfail_at(z, at) ? kServFail : state_at(z, at).a;
}

namespace {

// An entry is put when its query is sent, expiring a TTL after that; a lookup
// before the answer is in waits for the rest of the query's latency.
template <class Query, class Answers>
auto cached(ExpiringMap<AnswerId>& map, NameId name, SimTime now, SimTime latency, DnsLookup& cost,
            Query query, Answers answers) -> decltype(answers(AnswerId{})) {
    SimTime expires = 0;
    if (const AnswerId* hit = map.find(name, now, &expires)) {
        const auto& ans = answers(*hit);
        const SimTime answered = expires - ans.ttl + latency;
        if (answered > now) cost.waited += answered - now;
        return ans;
    }
    ++cost.queries;
    const AnswerId id = query();
    const auto& ans = answers(id);
    if (ans.rcode != Rcode::ServFail) map.put(name, id, now + ans.ttl, now);
    return ans;
}

}  // namespace

const MxAnswer& ResolverCache::mx(const DnsAuthority& dns, NameId name, SimTime now,
                                  SimTime latency, DnsLookup& cost) {
    return cached(
        mx_, name, now, latency, cost, [&] { return dns.mx_answer(name, now); },
        [&](AnswerId id) -> const MxAnswer& { return dns.mx(id); });
}

const AAnswer& ResolverCache::a(const DnsAuthority& dns, NameId name, SimTime now, SimTime latency,
                                DnsLookup& cost) {
    return cached(
        a_, name, now, latency, cost, [&] { return dns.a_answer(name, now); },
        [&](AnswerId id) -> const AAnswer& { return dns.a(id); });
}

}  // namespace mxsim::model
