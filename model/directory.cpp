// directory.cpp - the world's names, interned once at set-up.
#include "model/directory.hpp"

#include <algorithm>
#include <stdexcept>

namespace mxsim::model {

namespace {

Address split_address(const std::string& text) {
    const auto at = text.find('@');
    return {text.substr(0, at), text.substr(at + 1)};
}

// The names set-up meets after the mailboxes, interned in one fixed order (each
// host's domains and postmaster, full mailboxes, vacation mailboxes, worms'
// address books): ids, and every result sorted by them, do not depend on which
// part happens to ask first.
void intern_setup_names(const Scenario& scenario, NameTable& names) {
    for (const HostSpec& h : scenario.hosts) {
        if (!h.mta) continue;
        for (const std::string& d : h.mta->local_domains)
            names.id_of(d);
        for (const RelayDomain& r : h.mta->relay_domains)
            names.id_of(r.domain);
        const Address pm = split_address(postmaster_of(h));
        names.id_of(pm.local), names.id_of(pm.domain);
    }
    for (const HostSpec& h : scenario.hosts)
        if (h.mta && h.mta->mailbox_quota)
            for (const std::string& full : h.mta->mailbox_quota->full) {
                const Address a = split_address(full);
                names.id_of(a.local), names.id_of(a.domain);
            }
    for (const DomainSpec& d : scenario.domains)
        if (d.vacation)
            for (const std::string& local : d.vacation->mailboxes)
                names.id_of(local);
    for (const WormSpec& w : scenario.traffic.worms) {
        for (const Address& a : w.address_book)
            if (!a.is_null()) names.id_of(a.local), names.id_of(a.domain);
        for (const Address& a : w.forged_senders)
            if (!a.is_null()) names.id_of(a.local), names.id_of(a.domain);
    }
}

// The scenario's addresses, and for hosts without one 10.0.0.1, 10.0.0.2, ...
// in scenario order, skipping any address the scenario gives.
std::vector<std::string> host_addresses(const Scenario& scenario) {
    std::unordered_set<std::string> given;
    for (const HostSpec& h : scenario.hosts)
        if (!h.address.empty()) given.insert(h.address);
    std::vector<std::string> out;
    std::uint32_t next = 1;
    for (const HostSpec& h : scenario.hosts) {
        if (!h.address.empty()) {
            out.push_back(h.address);
            continue;
        }
        std::string a;
        do {
            a = "10." + std::to_string(next >> 16 & 255) + "." + std::to_string(next >> 8 & 255) +
                "." + std::to_string(next & 255);
            ++next;
        } while (given.contains(a));
        out.push_back(std::move(a));
    }
    return out;
}

}  // namespace

std::string postmaster_of(const HostSpec& host) {
    const MtaSpec& m = *host.mta;
    return m.postmaster.value_or("postmaster@" +
                                 (m.local_domains.empty() ? host.name : m.local_domains.front()));
}

AddressRef Directory::intern(const std::string& address) {
    return intern(split_address(address));
}

Directory::Directory(const Scenario& scenario, NameTable& names) : names_(names) {
    postmaster_local_ = names_.id_of("postmaster");
    std::unordered_map<const void*, std::uint32_t> seen;  // shared lists, made once
    for (const DomainSpec& d : scenario.domains) {
        const NameId domain = names_.id_of(d.name);
        if (d.mailboxes.empty()) continue;
        const auto [it, fresh] = seen.try_emplace(d.mailboxes.identity(), 0);
        if (fresh) it->second = local_parts_of(d.mailboxes);
        domains_.push_back({mailbox_count_, domain, it->second});
        mailbox_count_ += d.mailboxes.size();
    }
    for (const DomainBoxes& d : domains_) {
        if (parts_of_domain_.size() <= d.domain) parts_of_domain_.resize(d.domain + 1, 0);
        parts_of_domain_[d.domain] = d.parts + 1;
    }
    if (!domains_.empty() && domains_.size() * (mailbox_count_ / domains_.size()) == mailbox_count_)
        uniform_size_ = mailbox_count_ / domains_.size();
    for (std::size_t k = 0; uniform_size_ && k < domains_.size(); ++k)
        if (domains_[k].first != k * uniform_size_) uniform_size_ = 0;
    intern_setup_names(scenario, names_);
    const std::vector<std::string> addresses = host_addresses(scenario);
    for (std::size_t i = 0; i < scenario.hosts.size(); ++i) {
        host_names_.push_back(scenario.hosts[i].name);
        host_labels_.push_back(scenario.hosts[i].name + "[" + addresses[i] + "]");
        host_index_.emplace(scenario.hosts[i].name, static_cast<HostIndex>(i));
    }
}

AddressRef Directory::intern(const Address& a) {
    if (a.is_null()) return {};
    return {names_.id_of(a.local), names_.id_of(a.domain)};
}

std::string Directory::address(AddressRef a) const {
    if (a.is_null()) return "";
    std::string out;
    out.reserve(48);
    names_.append_name(out, a.local);
    out += '@';
    names_.append_name(out, a.domain);
    return out;
}

HostIndex Directory::host_named(const std::string& name) const {
    const auto it = host_index_.find(name);
    if (it == host_index_.end()) throw std::invalid_argument("unknown host '" + name + "'");
    return it->second;
}

// Equal lists written out domain by domain are held once too.
std::uint32_t Directory::local_parts_of(const MailboxList& list) {
    std::vector<NameId> in_order;
    in_order.reserve(list.size());
    for (const std::string& local : list)
        in_order.push_back(names_.id_of(local));
    const auto [it, fresh] =
        parts_by_content_.try_emplace(in_order, static_cast<std::uint32_t>(parts_.size()));
    if (!fresh) return it->second;
    LocalParts p;
    p.members.insert(in_order.begin(), in_order.end());
    p.in_order = std::move(in_order);
    parts_.push_back(std::move(p));
    return it->second;
}

bool Directory::mailbox_exists(AddressRef a) const {
    if (a.is_null()) return false;
    // RFC 5321 section 4.5.1: every domain that accepts mail has a postmaster.
    if (a.local == postmaster_local_) return true;
    if (a.domain >= parts_of_domain_.size() || parts_of_domain_[a.domain] == 0) return false;
    return parts_[parts_of_domain_[a.domain] - 1].members.contains(a.local);
}

AddressRef Directory::mailbox_at(std::size_t i) const {
    if (uniform_size_) {  // every domain has as many mailboxes: no search
        const DomainBoxes& d = domains_[i / uniform_size_];
        return {parts_[d.parts].in_order[i % uniform_size_], d.domain};
    }
    const auto after =
        std::upper_bound(domains_.begin(), domains_.end(), i,
                         [](std::size_t n, const DomainBoxes& d) { return n < d.first; });
    const DomainBoxes& d = *(after - 1);
    return {parts_[d.parts].in_order[i - d.first], d.domain};
}

std::span<const NameId> Directory::local_parts(NameId domain) const {
    if (domain >= parts_of_domain_.size() || parts_of_domain_[domain] == 0) return {};
    return parts_[parts_of_domain_[domain] - 1].in_order;
}

std::vector<NameId> Directory::mailbox_domains() const {
    std::vector<NameId> out;
    for (const DomainBoxes& d : domains_)
        out.push_back(d.domain);
    return out;
}

}  // namespace mxsim::model
