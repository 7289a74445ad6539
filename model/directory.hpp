// directory.hpp - the world's names: hosts by name and index, interned addresses,
// and which mailboxes exist. Offers Directory, built once from the scenario and
// read by every part (RFC 5321 section 4.5.1's postmaster included).
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "model/message.hpp"
#include "model/name_table.hpp"
#include "model/scenario.hpp"

namespace mxsim::model {

class Directory {
  public:
    Directory(const Scenario& scenario, NameTable& names);

    NameTable& names() { return names_; }
    const NameTable& names() const { return names_; }
    AddressRef intern(const Address& a);
    AddressRef intern(const std::string& address);  // "local@domain"
    // "local@domain" ("" for the null reverse path).
    std::string address(AddressRef a) const;

    HostIndex host_named(const std::string& name) const;  // throws for an unknown host
    const std::string& host_name(HostIndex h) const { return host_names_[h]; }
    const std::vector<std::string>& host_names() const { return host_names_; }
    std::size_t host_count() const { return host_names_.size(); }

    bool mailbox_exists(AddressRef a) const;
    // Every mailbox, in scenario order.
    const std::vector<AddressRef>& mailboxes() const { return mailbox_list_; }

  private:
    NameTable& names_;
    NameId postmaster_local_ = 0;
    std::vector<std::string> host_names_;
    std::unordered_map<std::string, HostIndex> host_index_;
    std::unordered_set<std::uint64_t> mailboxes_;  // domain << 32 | local
    std::vector<AddressRef> mailbox_list_;
};

// An MTA's postmaster address (MtaSpec::postmaster, or postmaster@ its first
// local domain, or its host name).
std::string postmaster_of(const HostSpec& host);

// The key of a mailbox in per-mailbox tables: domain << 32 | local.
inline std::uint64_t mailbox_key(AddressRef a) {
    return std::uint64_t{a.domain} << 32 | a.local;
}

}  // namespace mxsim::model
