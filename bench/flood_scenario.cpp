// flood_scenario.cpp - the flood benchmark's world, the one issue 10 measured:
// domains spread evenly over MTAs, one MX each, `mailboxes` users per domain; a
// third of the MTAs accept unknown recipients and bounce later, one in twenty is
// down for the whole run (its domains are dead: their NDRs are retried until
// bounce_queue_lifetime), and a Klez-like worm mails the address book directly,
// with forged senders and three in ten recipients made up.
// bench/peer/flood_peer.py models the same world in SimPy.
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
        for (int d = k * per_mta; d < std::min(size.domains, (k + 1) * per_mta); ++d)
            local.push_back(domain_name(d));
        json host = {
            {"name", mta_name(k)},
            {"mta", {{"local_domains", local}, {"reject_unlisted_recipient", k % 3 != 0}}}};
        if (k % 20 == 19)
            host["outages"] = json::array({{{"from", "0s"}, {"to", "400d"}, {"mode", "refuse"}}});
        hosts.push_back(host);
    }
    const json mailboxes = {{"count", size.mailboxes}, {"pattern", "u{i}"}};  // u0, u1, ...
    json domains = json::array();
    for (int d = 0; d < size.domains; ++d) {
        const int k = std::min(d / per_mta, size.mtas - 1);
        domains.push_back({{"name", domain_name(d)},
                           {"mailboxes", mailboxes},
                           {"mx", {{{"preference", 10}, {"host", mta_name(k)}}}}});
    }
    const int bots = 1000;
    const double per_bot_hour = static_cast<double>(size.messages) / bots / 24.0;
    json worm = {{"name", "klez"}, {"infected_hosts", bots},        {"rate_per_hour", per_bot_hour},
                 {"stop", "1d"},   {"random_recipient_share", 0.3}, {"size", 30000}};
    return {{"name", "flood-bench"},
            {"seed", 1},
            {"duration", std::to_string(size.days) + "d"},
            {"bin_width", "1h"},
            {"hosts", hosts},
            {"domains", domains},
            {"traffic", {{"worms", json::array({worm})}}}};
}

}  // namespace mxsim::bench
