// dns_zone.hpp - `mxsim import zone`: an RFC 1035 master file, as BIND writes
// them ($ORIGIN, $TTL, @, relative names, parentheses, comments), as mxsim
// domains (MX lists, TTLs, the SOA's negative-caching TTL, RFC 2308) and hosts
// (names with addresses). Offers read_zone() and import_zone().
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace mxsim::importer {

struct ResourceRecord {
    std::string owner;  // absolute, lower case, without the final dot
    std::uint32_t ttl = 0;
    std::string type;                // upper case: MX, A, ...
    std::vector<std::string> rdata;  // its fields (TXT strings unquoted)
    int line = 0;
};

struct Zone {
    std::string origin;  // without the final dot
    std::vector<ResourceRecord> records;
    std::vector<std::string> warnings;
};

// `origin`: the zone's name when the file has no $ORIGIN before its first
// relative name (as named.conf's zone statement gives it). Throws ImportError
// naming "<file>:<line>" and what was expected.
Zone read_zone(std::string_view text, std::string_view file, std::string origin);

// {"domains": [...], "hosts": [...], "not_modelled": [...], "warnings": [...]}.
nlohmann::ordered_json import_zone(const Zone& zone);

}  // namespace mxsim::importer
