// smtpd_restrictions.hpp - the receiving MTA's checks at MAIL FROM and RCPT
// TO, each a small unit with its own state, evaluated in order as Postfix
// evaluates smtpd_recipient_restrictions (Exim its ACL, Sendmail its
// rulesets): the first check with an opinion answers. Offers RcptQuery (what a
// check sees), RcptAnswer, Restriction (one check) and restrictions_for(),
// the list an MTA's flavor and spec imply (restriction_lists.cpp).
#pragma once

#include <absl/container/flat_hash_map.h>
#include <absl/container/flat_hash_set.h>
#include <map>
#include <optional>
#include <tuple>
#include <variant>
#include <vector>

#include "model/directory.hpp"
#include "model/dns.hpp"
#include "model/mailbox_quota.hpp"
#include "model/message.hpp"
#include "model/rate_limit.hpp"
#include "model/reply_schedule.hpp"
#include "model/scenario.hpp"
#include "model/smtp_status.hpp"

namespace mxsim::model {

// What the server is for the recipient's domain (mydestination, relay_domains, neither).
enum class DomainRole { Local, Relay, None };

struct RcptQuery {
    const Message& msg;
    HostIndex server;
    HostIndex client;
    SimTime at;
    int depth;  // 0: a real client; 1: an address-verification probe
    DomainRole role;
    RecipientCheck relay_check;  // with DomainRole::Relay
    const Directory& directory;
};

// The reply, and what the server did on the way (time spent, accept-to-discard).
struct RcptAnswer {
    Status reply;
    SimTime extra = 0;
    bool discard = false;
    std::string_view command = "RCPT TO";  // "MAIL FROM" for the sender's checks
};

// A check's verdict: a reply (2xx permits, 4xx/5xx refuses) or nullopt, Postfix's
// DUNNO: the next check decides.
using Verdict = std::optional<Status>;

// What verification needs from the SMTP client: a probe to the domain's MX hosts
// up to RCPT (verify(8) through smtp(8)).
struct ProbeResult {
    Status last;              // the last reply or failure on the way
    SimTime duration = 0;     // how long the probe took
    bool definitive = false;  // a 2xx or 5xx came back (else: deferred)
    bool deliverable = false;
};
class RecipientProber {
  public:
    virtual ProbeResult probe(HostIndex from, const Message& msg, SimTime at, int depth) = 0;

  protected:
    ~RecipientProber() = default;
};

// Domains' sender policies as the receiving side sees them in DNS.
struct SenderPolicies {
    // SPF "-all" domains -> the hosts allowed to send for them.
    absl::flat_hash_map<NameId, absl::flat_hash_set<HostIndex>> spf_senders;
    absl::flat_hash_set<NameId> batv_domains;
};

// cleanup(8) counts Received: headers, ours included; at hopcount_limit the
// message is refused at the end of DATA (554 5.4.0).
struct CheckHopCount {
    int limit;
    Verdict operator()(const RcptQuery& q, RcptAnswer&);
};

// RFC 7208 at MAIL FROM (before RCPT): the client is not among the hosts a -all
// sender domain lists.
struct CheckSpf {
    const SenderPolicies* policies;
    Verdict operator()(const RcptQuery& q, RcptAnswer&);
};

// Postgrey: the first attempt of a (client, sender, recipient) triplet is
// deferred; a retry at least `delay` later passes and is remembered for
// pass_lifetime; an unretried triplet is forgotten after max_age. It follows
// the recipient checks, so unknown local recipients are refused first.
struct CheckGreylist {
    const Greylist* spec;
    bool reject_unlisted;
    struct Triplet {
        SimTime first_seen;
        SimTime passed_at;  // -1 until a retry after the delay
    };
    std::map<std::tuple<HostIndex, std::uint64_t, std::uint64_t>, Triplet> triplets;
    Verdict operator()(const RcptQuery& q, RcptAnswer&);
};

// An unknown local recipient: Postfix smtpd_reject_unlisted_recipient with
// local_recipient_maps (550 5.1.1), Exim's verify = recipient (550
// Unrouteable address), Sendmail's recipient() (550 5.1.1 User unknown).
struct RejectUnlistedRecipient {
    MtaFlavor flavor = MtaFlavor::Postfix;
    Verdict operator()(const RcptQuery& q, RcptAnswer&);
};

// Exim's "accept local_parts = postmaster, domains = +local_domains": before
// the sender is verified (RFC 5321 section 4.5.1).
struct AcceptPostmaster {
    Verdict operator()(const RcptQuery& q, RcptAnswer&);
};

// The sender's domain must resolve: Exim's "require verify = sender" (dnslookup
// router; at RCPT; a local sender's mailbox must exist), Sendmail's check_mail
// resolve map (at MAIL FROM). <> passes (RFC 5321 section 4.5.5).
struct VerifySenderDomain {
    MtaFlavor flavor;
    const DnsAuthority* dns;
    absl::flat_hash_set<NameId> local_domains;
    Verdict operator()(const RcptQuery& q, RcptAnswer& out);
};

// Exim's "require domains = +local_domains : +relay_to_domains" (after accept
// hosts = +relay_from_hosts), Sendmail's Basic_check_rcpt relay test ($=w,
// $=R, or a local client).
struct RequireRelayAllowed {
    MtaFlavor flavor;
    absl::flat_hash_set<HostIndex> clients;
    Verdict operator()(const RcptQuery& q, RcptAnswer&);
};

// The scenario's scripted replies at MAIL FROM and RCPT TO, before any check
// (as a check_sender_access / check_recipient_access table would answer).
struct ScriptedReply {
    const ReplySchedule* schedule;
    Verdict operator()(const RcptQuery& q, RcptAnswer& out);
};

// The end of Exim's ACL and Sendmail's rulesets: accept.
struct AcceptRest {
    Verdict operator()(const RcptQuery& q, RcptAnswer&);
};

// BATV: a DSN to a BATV domain must be addressed to a signed envelope sender;
// the domain signs all it sends, so only a DSN about a forgery arrives unsigned.
struct CheckBatv {
    const SenderPolicies* policies;
    Verdict operator()(const RcptQuery& q, RcptAnswer&);
};

// A quota policy service (Dovecot quota-status) sees MAIL FROM SIZE=: a message
// that would take the mailbox beyond its quota is refused, 452 4.2.2 or 552 5.2.2.
struct CheckQuota {
    const MailboxQuota* spec;
    const MailboxFill* fill;  // local delivery's, read only
    Verdict operator()(const RcptQuery& q, RcptAnswer&);
};

// A mailbox over its rate limit: 450, 550, or a 250 that throws the message
// away. A token bucket, or Exim's smoothed `ratelimit` (docs/rate-limits.md).
struct CheckMailboxRate {
    const MailboxRateLimit* limit;
    struct Bucket {
        TokenBucket bucket;
        SimTime last;  // RCPT steps are worked out a little ahead: keep time monotone
    };
    absl::flat_hash_map<std::uint64_t, Bucket> buckets;
    absl::flat_hash_map<std::uint64_t, EximRateState> exim_rates;
    Verdict operator()(const RcptQuery& q, RcptAnswer& out);
    bool over(std::uint64_t key, SimTime at);
};

// permit_auth_destination for the MTA's own domains.
struct PermitLocalDestination {
    Verdict operator()(const RcptQuery& q, RcptAnswer&);
};

// A relay domain's recipients: everything (empty relay_recipient_maps), a list,
// or reject_unverified_recipient with verify(8)'s cache (positive 31 d, negative 3 d).
struct CheckRelayRecipient {
    int unverified_reject_code;
    RecipientProber* prober;
    struct Verified {
        bool deliverable;
        SimTime expires;
    };
    absl::flat_hash_map<std::uint64_t, Verified> verify_cache;
    Verdict operator()(const RcptQuery& q, RcptAnswer& out);
    Status verify(const RcptQuery& q, RcptAnswer& out);
};

// permit_mynetworks: clients allowed to relay.
struct PermitMynetworks {
    absl::flat_hash_set<HostIndex> clients;
    Verdict operator()(const RcptQuery& q, RcptAnswer&);
};

// defer_unauth_destination (Postfix 3.x default, 454) or reject_unauth_destination.
struct RejectUnauthDestination {
    int code;
    Verdict operator()(const RcptQuery& q, RcptAnswer&);
};

using Restriction =
    std::variant<CheckHopCount, CheckSpf, CheckGreylist, RejectUnlistedRecipient, CheckBatv,
                 CheckQuota, CheckMailboxRate, PermitLocalDestination, CheckRelayRecipient,
                 PermitMynetworks, RejectUnauthDestination, AcceptPostmaster, VerifySenderDomain,
                 RequireRelayAllowed, AcceptRest, ScriptedReply>;

// What an MTA's restriction list is built from.
struct RestrictionContext {
    const MtaSpec& spec;
    const SenderPolicies& policies;
    const MailboxFill& quota_fill;
    absl::flat_hash_set<HostIndex> relay_clients;
    RecipientProber& prober;
    const DnsAuthority& dns;
    const absl::flat_hash_set<NameId>& local_domains;
    const ReplySchedule& replies;
};

// The checks an MTA makes at RCPT TO, in its flavor's order: Postfix's
// smtpd_check.c, Exim's configure.default acl_check_rcpt, Sendmail's
// proto.m4 check_mail and check_rcpt (docs/architecture.md has the table).
std::vector<Restriction> restrictions_for(RestrictionContext c);
std::vector<Restriction> postfix_restrictions(RestrictionContext c);
std::vector<Restriction> exim_restrictions(RestrictionContext c);
std::vector<Restriction> sendmail_restrictions(RestrictionContext c);

}  // namespace mxsim::model
