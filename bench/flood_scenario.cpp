// flood_scenario.cpp - the flood benchmark's world: domains spread over MTAs,
// each domain with a primary and a backup MX (the backup accepts every
// recipient and relays), a third of the MTAs accepting unknown recipients
// and bouncing later, a tenth of them down for the whole run, and a worm
// whose bots aim a fifth of their mail at the backup MX.
#include "bench/flood_scenario.hpp"

#include <string>

namespace mxsim::bench {
namespace {

std::string mta_name(int k) {
    return "mx" + std::to_string(k) + ".example";
}
std::string domain_name(int d) {
    return "d" + std::to_string(d) + ".example";
}

}  // namespace

nlohmann::json flood_scenario(const FloodSize& size) {
    using nlohmann::json;
    const int per_mta = (size.domains + size.mtas - 1) / size.mtas;
    json hosts = json::array();
    for (int k = 0; k < size.mtas; ++k) {
        json local = json::array();
        json relay = json::array();
        for (int d = k * per_mta; d < std::min(size.domains, (k + 1) * per_mta); ++d)
            local.push_back(domain_name(d));
        // Backup MX for the next MTA's domains, with no recipient list.
        const int next = (k + 1) % size.mtas;
        for (int d = next * per_mta; d < std::min(size.domains, (next + 1) * per_mta); ++d)
            relay.push_back({{"domain", domain_name(d)}});
        json host = {{"name", mta_name(k)},
                     {"mta",
                      {{"local_domains", local},
                       {"relay_domains", relay},
                       {"reject_unlisted_recipient", k % 3 != 0}}}};
        if (k % 10 == 9)
            host["outages"] = json::array({{{"from", "0s"}, {"to", "400d"}, {"mode", "refuse"}}});
        hosts.push_back(host);
    }
    json domains = json::array();
    for (int d = 0; d < size.domains; ++d) {
        const int k = std::min(d / per_mta, size.mtas - 1);
        const int backup = (k + size.mtas - 1) % size.mtas;
        domains.push_back({{"name", domain_name(d)},
                           {"mailboxes", {"alice", "bob", "carol", "dave", "erin"}},
                           {"mx",
                            {{{"preference", 10}, {"host", mta_name(k)}},
                             {{"preference", 20}, {"host", mta_name(backup)}}}}});
    }
    const int bots = 1000;
    const double per_bot_hour = static_cast<double>(size.messages) / bots / 24.0;
    json worm = {{"name", "klez"}, {"infected_hosts", bots},        {"rate_per_hour", per_bot_hour},
                 {"stop", "1d"},   {"random_recipient_share", 0.3}, {"backup_mx_share", 0.2},
                 {"size", 30000}};
    return {{"name", "flood-bench"},
            {"seed", 1},
            {"duration", std::to_string(size.days) + "d"},
            {"bin_width", "1h"},
            {"hosts", hosts},
            {"domains", domains},
            {"traffic", {{"worms", json::array({worm})}}}};
}

}  // namespace mxsim::bench
