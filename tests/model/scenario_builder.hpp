// scenario_builder.hpp - small scenarios written in C++ for model tests.
// Offers helpers that add hosts, domains and messages to a model::Scenario.
#pragma once

#include <string>
#include <vector>

#include "model/run_results.hpp"
#include "model/scenario.hpp"

namespace mxsim::testing {

using namespace mxsim::model;

inline MtaSpec postfix_for(std::vector<std::string> local_domains) {
    MtaSpec m;
    m.local_domains = std::move(local_domains);
    return m;
}

inline HostSpec& add_host(Scenario& s, const std::string& name, std::optional<MtaSpec> mta) {
    HostSpec h;
    h.name = name;
    h.mta = std::move(mta);
    s.hosts.push_back(h);
    return s.hosts.back();
}

inline DomainSpec& add_domain(Scenario& s, const std::string& name, std::vector<MxRecord> mx,
                              std::vector<std::string> mailboxes) {
    DomainSpec d;
    d.name = name;
    d.initial.mx = std::move(mx);
    d.mailboxes = std::move(mailboxes);
    s.domains.push_back(d);
    return s.domains.back();
}

inline Address addr(const std::string& text) {
    if (text == "<>") return {};
    const auto at = text.find('@');
    return {text.substr(0, at), text.substr(at + 1)};
}

inline MessageSpec& add_message(Scenario& s, sim::SimTime at, const std::string& from,
                                const std::string& to, const std::string& via) {
    MessageSpec m;
    m.at = at;
    m.from = addr(from);
    m.to = addr(to);
    m.via = via;
    s.traffic.messages.push_back(m);
    return s.traffic.messages.back();
}

// The seed's world: a sender's MTA, the destination's primary MX and a backup
// MX (an ISP relay for dest.example, no recipient list).
inline Scenario sender_and_dest(bool with_backup) {
    Scenario s;
    s.name = "test";
    s.duration = 7 * sim::kDay;
    add_host(s, "mx.sender.example", postfix_for({"sender.example"}));
    add_host(s, "mx1.dest.example", postfix_for({"dest.example"}));
    std::vector<MxRecord> dest_mx{{10, "mx1.dest.example"}};
    if (with_backup) {
        MtaSpec backup;
        backup.relay_domains.push_back({"dest.example", RecipientCheck::None, std::nullopt});
        add_host(s, "backup.isp.example", backup);
        dest_mx.push_back({20, "backup.isp.example"});
    }
    add_domain(s, "sender.example", {{10, "mx.sender.example"}}, {"alice"});
    add_domain(s, "dest.example", dest_mx, {"bob"});
    return s;
}

// How many messages of origin `o` ended with fate `f`.
inline std::uint64_t count(const RunResults& r, Origin o, Fate f) {
    return r.fates[static_cast<std::size_t>(o)][static_cast<std::size_t>(f)];
}

}  // namespace mxsim::testing
