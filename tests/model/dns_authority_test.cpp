// dns_authority_test.cpp - the authority's answers, made once at set-up and
// read by id: each kind of name, zone changes, SERVFAIL windows, and the TTL a
// resolver may cache each answer for (RFC 2308 sections 5 and 7.1, RFC 7505).
#include <catch2/catch.hpp>

#include "model/dns.hpp"
#include "scenario_builder.hpp"

using namespace mxsim;
using namespace mxsim::testing;

namespace {

constexpr SimTime kHostTtl = 3600 * sim::kSecond;  // host names' A records

// sender_and_dest plus zones of every kind, with TTLs that tell them apart.
Scenario zones() {
    Scenario s = sender_and_dest(true);
    s.dns.parent_negative_ttl = 77 * sim::kSecond;
    // Two MX records of equal preference after a better one, listed worst first.
    DomainSpec& multi = add_domain(s, "multi.example",
                                   {{30, "backup.isp.example"},
                                    {20, "mx.sender.example"},
                                    {10, "mx1.dest.example"},
                                    {20, "retired.multi.example", false}},
                                   {});
    multi.ttl = 600 * sim::kSecond;
    DomainSpec& nodata = add_domain(s, "nodata.example", {}, {});
    nodata.negative_ttl = 120 * sim::kSecond;
    nodata.initial.a_host = "mx1.dest.example";
    nodata.ttl = 300 * sim::kSecond;
    DomainSpec& bare = add_domain(s, "bare.example", {}, {});
    bare.negative_ttl = 60 * sim::kSecond;
    DomainSpec& null_mx = add_domain(s, "null.example", {}, {});
    null_mx.initial.null_mx = true;
    DomainSpec& moving = add_domain(s, "moving.example", {{10, "mx1.dest.example"}}, {});
    moving.changes.push_back({sim::kHour, {true, false, {{10, "backup.isp.example"}}, {}}});
    moving.changes.push_back({2 * sim::kHour, {false, false, {}, {}}});
    DomainSpec& flaky = add_domain(s, "flaky.example", {{10, "mx1.dest.example"}}, {});
    flaky.servfail.push_back({10 * sim::kSecond, 20 * sim::kSecond});
    return s;
}

HostIndex host(const Scenario& s, const std::string& name) {
    for (std::size_t i = 0; i < s.hosts.size(); ++i)
        if (s.hosts[i].name == name) return static_cast<HostIndex>(i);
    FAIL("no host " << name);
    return 0;
}

}  // namespace

TEST_CASE("the authority answers MX queries for each kind of name with its own TTL",
          "[model][dns]") {
    const Scenario s = zones();
    NameTable names;
    const DnsAuthority dns(s, names);
    const auto mx = [&](const std::string& name, SimTime at = 0) {
        return dns.query_mx(*names.find(name), at);
    };

    const MxAnswer& multi = mx("multi.example");
    CHECK(multi.rcode == Rcode::NoError);
    CHECK(multi.ttl == 600 * sim::kSecond);
    REQUIRE(multi.records.size() == 4);
    // By preference; the two of preference 20 stay in zone order.
    CHECK(multi.records[0].host == host(s, "mx1.dest.example"));
    CHECK(multi.records[1].host == host(s, "mx.sender.example"));
    CHECK_FALSE(multi.records[2].host.has_value());  // the retired exchange has no address
    CHECK(names.name(multi.records[2].exchange) == "retired.multi.example");
    CHECK(multi.records[3].host == host(s, "backup.isp.example"));

    // NODATA is cached for the zone's negative TTL (RFC 2308 section 5).
    CHECK(mx("nodata.example").rcode == Rcode::NoError);
    CHECK(mx("nodata.example").records.empty());
    CHECK(mx("nodata.example").ttl == 120 * sim::kSecond);
    // A null MX is a positive answer (RFC 7505).
    CHECK(mx("null.example").null_mx);
    CHECK(mx("null.example").ttl == 3600 * sim::kSecond);
    // A host's name has an A record but no MX; any other name does not exist.
    CHECK(mx("mx1.dest.example").rcode == Rcode::NoError);
    CHECK(mx("mx1.dest.example").records.empty());
    CHECK(mx("mx1.dest.example").ttl == kHostTtl);
    const NameId unknown = names.id_of("nowhere.example");  // interned after set-up
    CHECK(dns.query_mx(unknown, 0).rcode == Rcode::NxDomain);
    CHECK(dns.query_mx(unknown, 0).ttl == 77 * sim::kSecond);
}

TEST_CASE("the authority follows a zone's changes and SERVFAIL windows in time", "[model][dns]") {
    const Scenario s = zones();
    NameTable names;
    const DnsAuthority dns(s, names);
    const NameId moving = *names.find("moving.example");
    const NameId flaky = *names.find("flaky.example");

    REQUIRE(dns.query_mx(moving, sim::kHour - 1).records.size() == 1);
    CHECK(dns.query_mx(moving, sim::kHour - 1).records[0].host == host(s, "mx1.dest.example"));
    CHECK(dns.query_mx(moving, sim::kHour).records[0].host == host(s, "backup.isp.example"));
    CHECK(dns.query_mx(moving, 2 * sim::kHour).rcode == Rcode::NxDomain);
    CHECK(dns.query_a(moving, 2 * sim::kHour).rcode == Rcode::NxDomain);

    CHECK(dns.query_mx(flaky, 10 * sim::kSecond - 1).rcode == Rcode::NoError);
    CHECK(dns.query_mx(flaky, 10 * sim::kSecond).rcode == Rcode::ServFail);
    CHECK(dns.query_mx(flaky, 10 * sim::kSecond).ttl == 0);  // never cached (section 7.1)
    CHECK(dns.query_a(flaky, 15 * sim::kSecond).rcode == Rcode::ServFail);
    CHECK(dns.query_mx(flaky, 20 * sim::kSecond).rcode == Rcode::NoError);
}

TEST_CASE("A queries: a zone's own record, a host's address, or NODATA", "[model][dns]") {
    const Scenario s = zones();
    NameTable names;
    const DnsAuthority dns(s, names);
    const auto a = [&](const std::string& name) { return dns.query_a(*names.find(name), 0); };

    CHECK(a("nodata.example").host == host(s, "mx1.dest.example"));
    CHECK(a("nodata.example").ttl == 300 * sim::kSecond);  // the zone's TTL
    CHECK(a("backup.isp.example").host == host(s, "backup.isp.example"));
    CHECK(a("backup.isp.example").ttl == kHostTtl);
    CHECK(a("bare.example").rcode == Rcode::NoError);
    CHECK_FALSE(a("bare.example").host.has_value());
    CHECK(a("bare.example").ttl == 60 * sim::kSecond);  // NODATA: the negative TTL
}

TEST_CASE("a resolver cache hands back the authority's answer until its TTL runs out",
          "[model][dns]") {
    const Scenario s = zones();
    NameTable names;
    const DnsAuthority dns(s, names);
    const NameId multi = *names.find("multi.example");
    ResolverCache cache;
    DnsLookup cost;
    const MxAnswer& first = cache.mx(dns, multi, 0, 0, cost);
    CHECK(&first == &dns.query_mx(multi, 0));  // the one answer, not a copy
    cache.mx(dns, multi, 600 * sim::kSecond - 1, 0, cost);
    CHECK(cost.queries == 1);
    cache.mx(dns, multi, 600 * sim::kSecond, 0, cost);
    CHECK(cost.queries == 2);
}
