// dns_zone_test.cpp - RFC 1035 master files (BIND's form) as mxsim domains and
// hosts: MX lists, TTLs, the negative-caching TTL (RFC 2308), null MX (RFC 7505).
#include <catch2/catch.hpp>

#include "importers/dns_zone.hpp"
#include "importers/postfix_config.hpp"
#include "scenario/scenario_loader.hpp"
#include "tests/test_support.hpp"

using namespace mxsim;
using nlohmann::ordered_json;

namespace {

const std::string kDir = std::string(MXSIM_SOURCE_DIR) + "/tests/importers/";

ordered_json import_file(const std::string& name, const std::string& origin = "") {
    return importer::import_zone(
        importer::read_zone(testing::read_file(kDir + name), name, origin));
}

const ordered_json* domain(const ordered_json& j, const std::string& name) {
    for (const auto& d : j["domains"])
        if (d["name"] == name) return &d;
    return nullptr;
}

}  // namespace

TEST_CASE("a zone's records: $ORIGIN, $TTL, @, relative names, parentheses", "[import][zone]") {
    const importer::Zone z =
        importer::read_zone(testing::read_file(kDir + "example.org.zone"), "z", "");
    CHECK(z.origin == "example.org");
    const importer::ResourceRecord& soa = z.records.front();
    CHECK(soa.type == "SOA");
    CHECK(soa.owner == "example.org");
    CHECK(soa.rdata == std::vector<std::string>{"ns1.example.org", "hostmaster.example.org",
                                                "2026120101", "3h", "15m", "2w", "10m"});
    CHECK(soa.ttl == 3600);  // $TTL 1h
    const auto ns1 = std::find_if(z.records.begin(), z.records.end(),
                                  [](const auto& r) { return r.owner == "ns1.example.org"; });
    REQUIRE(ns1 != z.records.end());
    CHECK(ns1->ttl == 300);
    // A line that starts with white space has the previous owner.
    const auto mx = std::find_if(z.records.begin(), z.records.end(),
                                 [](const auto& r) { return r.type == "MX"; });
    CHECK(mx->owner == "example.org");
    CHECK(mx->rdata == std::vector<std::string>{"10", "mail.example.org"});
}

TEST_CASE("a zone becomes domains with their MX lists and hosts with addresses", "[import][zone]") {
    const ordered_json j = import_file("example.org.zone");
    const ordered_json* apex = domain(j, "example.org");
    REQUIRE(apex);
    CHECK((*apex)["mx"] ==
          ordered_json::array({{{"preference", 10}, {"host", "mail.example.org"}},
                               {{"preference", 20}, {"host", "backup.isp.example"}}}));
    CHECK((*apex)["ttl"] == "3600s");
    // RFC 2308 section 5: the SOA's MINIMUM (10m), capped by the SOA's TTL (1h).
    CHECK((*apex)["negative_ttl"] == "600s");
    CHECK((*apex)["spf_hard_fail"] == true);
    const ordered_json* nomail = domain(j, "nomail.example.org");
    REQUIRE(nomail);
    CHECK((*nomail)["null_mx"] == true);  // RFC 7505: MX 0 .
    CHECK(domain(j, "lists.example.org"));
    CHECK_FALSE(domain(j, "shop.example.org"));  // an address, not a mail domain
    std::map<std::string, ordered_json> hosts;
    for (const auto& h : j["hosts"])
        hosts[h["name"]] = h;
    CHECK(hosts.at("mail.example.org")["address"] == "192.0.2.25");  // the A, not the AAAA
    CHECK(hosts.at("shop.example.org")["address"] == "192.0.2.80");
    CHECK_FALSE(hosts.at("backup.isp.example").contains("address"));  // outside the zone
    bool cname = false, ns = false;
    for (const auto& e : j["not_modelled"]) {
        cname |= e["record"].get<std::string>().find("CNAME") != std::string::npos;
        ns |= e["record"].get<std::string>().find(" NS ") != std::string::npos;
    }
    CHECK(cname);
    CHECK(ns);
}

TEST_CASE("Debian's bind9 zone files are read", "[import][zone]") {
    const ordered_json local = import_file("db.local", "localhost");
    const ordered_json* d = domain(local, "localhost");
    REQUIRE(d);
    // No MX: the domain's own address is its exchange (RFC 5321 section 5.1).
    CHECK((*d)["a"] == "localhost");
    CHECK((*d)["negative_ttl"] == "604800s");
    const ordered_json reverse = import_file("db.127", "127.in-addr.arpa");
    CHECK(reverse["domains"].size() == 1);  // the apex; its PTR is not modelled
    CHECK(import_file("db.empty", "empty.example")["domains"].size() == 1);
}

TEST_CASE("an imported zone drops into a scenario", "[import][zone]") {
    ordered_json j = import_file("example.org.zone");
    for (auto& h : j["hosts"])
        if (h["name"] == "mail.example.org") h["mta"] = {{"mydestination", {"example.org"}}};
    ordered_json domains = ordered_json::array();
    for (const auto& d : j["domains"])
        domains.push_back(d);
    domains[0]["mailboxes"] = {"joe"};
    const ordered_json scenario = {{"name", "zone"}, {"hosts", j["hosts"]}, {"domains", domains}};
    const model::Scenario s = format::parse_scenario(scenario.dump(), "zone.json").scenario;
    CHECK(s.domains.size() == j["domains"].size());
}

TEST_CASE("a bad zone file is refused naming the line", "[import][zone]") {
    const auto error = [](const std::string& text, const std::string& origin = "x.example") {
        try {
            importer::read_zone(text, "bad.zone", origin);
        } catch (const importer::ImportError& e) {
            return std::string(e.what());
        }
        return std::string("(no error)");
    };
    CHECK_THAT(error("@ IN SOA a. b. ( 1 2 3 4\n"),
               Catch::Contains("bad.zone:1: '(' never closed"));
    CHECK_THAT(error("$TTL 1h\n@ IN MX mail\n"),
               Catch::Contains("bad.zone:2: MX needs a preference and an exchange"));
    CHECK_THAT(error("$TTL 1h\n@ IN BOGUS x\n"), Catch::Contains("is not a record type"));
    CHECK_THAT(error("$TTL 1h\n@ CH TXT x\n"), Catch::Contains("only IN is modelled"));
    CHECK_THAT(error("$INCLUDE other.zone\n"), Catch::Contains("is not read"));
    CHECK_THAT(error("@ IN A 192.0.2.1\n"), Catch::Contains("no TTL"));
    CHECK_THAT(error("$TTL 1h\nmail IN A 192.0.2.1\n", ""),
               Catch::Contains("a relative name and no origin"));
    CHECK_THAT(error("$TTL 1h\n@ IN TXT \"open\n"), Catch::Contains("a string left open"));
}
