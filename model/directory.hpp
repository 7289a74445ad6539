// directory.hpp - the world's names: hosts by name and index, interned addresses,
// and which mailboxes exist. Offers Directory, built once from the scenario and
// read by every part (RFC 5321 section 4.5.1's postmaster included).
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <absl/container/flat_hash_set.h>

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
    // "name[address]", as Postfix names a peer in its texts (smtp_connect.c).
    const std::string& host_label(HostIndex h) const { return host_labels_[h]; }
    std::size_t host_count() const { return host_names_.size(); }

    bool mailbox_exists(AddressRef a) const;
    bool is_postmaster(AddressRef a) const { return !a.is_null() && a.local == postmaster_local_; }
    // Every mailbox, in scenario order (domain by domain), without a list of them.
    std::size_t mailbox_count() const { return mailbox_count_; }
    AddressRef mailbox_at(std::size_t i) const;
    // The domains with mailboxes, in scenario order.
    std::vector<NameId> mailbox_domains() const;
    // A domain's local parts in scenario order (empty for a domain without mailboxes).
    std::span<const NameId> local_parts(NameId domain) const;

  private:
    // A domain's local parts, shared by the domains with the same list.
    struct LocalParts {
        std::vector<NameId> in_order;
        absl::flat_hash_set<NameId> members;
    };
    struct DomainBoxes {
        std::size_t first;  // index of its first mailbox in scenario order
        NameId domain;
        std::uint32_t parts;  // into parts_
    };
    std::uint32_t local_parts_of(const MailboxList& list);

    NameTable& names_;
    NameId postmaster_local_ = 0;
    std::vector<std::string> host_names_;
    std::vector<std::string> host_labels_;
    std::unordered_map<std::string, HostIndex> host_index_;
    std::vector<LocalParts> parts_;
    std::map<std::vector<NameId>, std::uint32_t> parts_by_content_;
    std::vector<DomainBoxes> domains_;            // domains with mailboxes, in order
    std::vector<std::uint32_t> parts_of_domain_;  // by domain id: parts_ index + 1, 0: none
    std::size_t mailbox_count_ = 0;
    std::size_t uniform_size_ = 0;  // mailboxes per domain when all have as many, else 0
};

// An MTA's postmaster address (MtaSpec::postmaster, or postmaster@ its first
// local domain, or its host name).
std::string postmaster_of(const HostSpec& host);

// The key of a mailbox in per-mailbox tables: domain << 32 | local.
inline std::uint64_t mailbox_key(AddressRef a) {
    return std::uint64_t{a.domain} << 32 | a.local;
}

}  // namespace mxsim::model
