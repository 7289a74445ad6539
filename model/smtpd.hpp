// smtpd.hpp - the receiving side of every MTA: which domains it is for, its
// inbound session slots, and its restriction list at RCPT TO.
// Offers Smtpd: role() of a domain at a host, rcpt() (the answer to RCPT TO),
// and the session count that makes a busy server answer 421.
#pragma once

#include <absl/container/flat_hash_map.h>
#include <absl/container/flat_hash_set.h>
#include <cstdint>
#include <utility>
#include <vector>

#include "model/content_policy.hpp"
#include "model/directory.hpp"
#include "model/local_delivery.hpp"
#include "model/smtpd_restrictions.hpp"

namespace mxsim::model {

class Smtpd {
  public:
    // `prober` is the SMTP client, for address verification; `local` lends its
    // mailbox fill levels to the quota check.
    Smtpd(const Scenario& scenario, Directory& directory, const DnsAuthority& dns,
          const LocalDelivery& local, RecipientProber& prober);

    bool is_mta(HostIndex h) const { return receivers_[h].mta != nullptr; }
    DomainRole role(HostIndex h, NameId domain) const { return role_and_check(h, domain).first; }
    // What `server` answers to RCPT TO for `msg` from `client` (smtpd_check.c).
    RcptAnswer rcpt(HostIndex server, HostIndex client, const Message& msg, SimTime at, int depth);

    // The server is at its session limit (session_limit(), 0: none).
    bool sessions_full(HostIndex h) const {
        const int limit = receivers_[h].session_limit;
        return limit > 0 && receivers_[h].inbound_sessions >= limit;
    }
    // A scripted greeting that is not 2xx (MtaSpec::replies), or nullopt.
    std::optional<Status> greeting(HostIndex server, SimTime at) const;
    // What the server answers at DATA or the end of DATA for an accepted RCPT:
    // a scripted reply, or its data restrictions and pre-queue scanner.
    std::optional<DataRefusal> data(HostIndex server, const Message& msg, SimTime at) const;
    void open_session(HostIndex h) { ++receivers_[h].inbound_sessions; }
    void close_session(HostIndex h) { --receivers_[h].inbound_sessions; }

  private:
    struct Receiver {
        const MtaSpec* mta = nullptr;  // nullptr: not an MTA, nothing listens
        absl::flat_hash_set<NameId> local_domains;
        absl::flat_hash_map<NameId, RecipientCheck> relay_domains;
        int inbound_sessions = 0;
        int session_limit = 0;
        ReplySchedule replies;
        std::vector<Restriction> restrictions;
    };
    void build_sender_policies(const Scenario& scenario);
    // The domain's role at host h and, for a relay domain, its recipient check.
    std::pair<DomainRole, RecipientCheck> role_and_check(HostIndex h, NameId domain) const;

    Directory& directory_;
    SenderPolicies policies_;
    std::vector<Receiver> receivers_;
};

}  // namespace mxsim::model
