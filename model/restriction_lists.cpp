// restriction_lists.cpp - each flavor's checks at MAIL FROM and RCPT TO, in the
// order its shipped default configuration makes them, with the receiving
// policies a scenario adds (greylisting, SPF, BATV, quota, rate limit).
#include "model/smtpd_restrictions.hpp"

namespace mxsim::model {
namespace {

// The policies a scenario adds, where each MTA consults them (a policy
// service, milter or ACL of its own, after the flavor's recipient checks).
void add_policies(const RestrictionContext& c, std::vector<Restriction>& list) {
    const MtaSpec& spec = c.spec;
    if (spec.greylist)
        list.push_back(CheckGreylist{&*spec.greylist, spec.reject_unlisted_recipient, {}});
    list.push_back(CheckBatv{&c.policies});
    if (spec.mailbox_quota) list.push_back(CheckQuota{&*spec.mailbox_quota, &c.quota_fill});
    if (spec.mailbox_rate_limit)
        list.push_back(CheckMailboxRate{&*spec.mailbox_rate_limit, {}, {}});
}

}  // namespace

// smtpd(8)'s order (smtpd_check.c): the hop count (cleanup, at the end of
// DATA), SPF at MAIL FROM, unknown local recipients, the policies, the
// recipient checks of relay domains, then relay control
// (smtpd_relay_restrictions). Greylisting after the unknown-recipient check
// gives the same answers as before it: it passes unknown recipients over.
std::vector<Restriction> postfix_restrictions(RestrictionContext c) {
    const MtaSpec& spec = c.spec;
    std::vector<Restriction> list;
    list.push_back(CheckHopCount{hop_limit(spec)});
    if (spec.check_spf) list.push_back(CheckSpf{&c.policies});
    if (spec.reject_unlisted_recipient) list.push_back(RejectUnlistedRecipient{});
    add_policies(c, list);
    list.push_back(PermitLocalDestination{});
    list.push_back(CheckRelayRecipient{spec.unverified_recipient_reject_code, &c.prober, {}});
    list.push_back(PermitMynetworks{std::move(c.relay_clients)});
    const int code = spec.relay_domains_reject_code;
    list.push_back(
        RejectUnauthDestination{spec.defer_unauth_destination && code >= 500 ? code - 100 : code});
    return list;
}

// configure.default, acl_check_rcpt, statement by statement (restricted
// characters and "too many bad recipients" cannot arise in the model):
// accept postmaster@local; require verify = sender; accept hosts =
// +relay_from_hosts; require domains = +local_domains : +relay_to_domains;
// require verify = recipient; accept. The hop count is checked at delivery.
std::vector<Restriction> exim_restrictions(RestrictionContext c) {
    const MtaSpec& spec = c.spec;
    std::vector<Restriction> list;
    list.push_back(AcceptPostmaster{});
    list.push_back(VerifySenderDomain{MtaFlavor::Exim, &c.dns, c.local_domains});
    if (spec.check_spf) list.push_back(CheckSpf{&c.policies});
    list.push_back(PermitMynetworks{c.relay_clients});
    list.push_back(RequireRelayAllowed{MtaFlavor::Exim, {}});
    if (spec.reject_unlisted_recipient) list.push_back(RejectUnlistedRecipient{MtaFlavor::Exim});
    add_policies(c, list);
    list.push_back(CheckRelayRecipient{spec.unverified_recipient_reject_code, &c.prober, {}});
    list.push_back(AcceptRest{});
    return list;
}

// generic-linux.mc through proto.m4: check_mail (the sender's domain must
// resolve) at MAIL FROM, then check_rcpt's relay test ($=w, $=R or a local
// client), then recipient() for local users. Relay domains' recipients are
// not checked. The hop count is checked at delivery (sendall()).
std::vector<Restriction> sendmail_restrictions(RestrictionContext c) {
    const MtaSpec& spec = c.spec;
    std::vector<Restriction> list;
    list.push_back(VerifySenderDomain{MtaFlavor::Sendmail, &c.dns, c.local_domains});
    if (spec.check_spf) list.push_back(CheckSpf{&c.policies});
    list.push_back(RequireRelayAllowed{MtaFlavor::Sendmail, std::move(c.relay_clients)});
    if (spec.reject_unlisted_recipient)
        list.push_back(RejectUnlistedRecipient{MtaFlavor::Sendmail});
    add_policies(c, list);
    list.push_back(CheckRelayRecipient{spec.unverified_recipient_reject_code, &c.prober, {}});
    list.push_back(AcceptRest{});
    return list;
}

std::vector<Restriction> restrictions_for(RestrictionContext c) {
    std::vector<Restriction> list;
    if (!c.replies.empty()) list.push_back(ScriptedReply{&c.replies});
    std::vector<Restriction> checks;
    switch (c.spec.flavor) {
        case MtaFlavor::Postfix:
            checks = postfix_restrictions(std::move(c));
            break;
        case MtaFlavor::Exim:
            checks = exim_restrictions(std::move(c));
            break;
        case MtaFlavor::Sendmail:
            checks = sendmail_restrictions(std::move(c));
            break;
    }
    list.insert(list.end(), std::make_move_iterator(checks.begin()),
                std::make_move_iterator(checks.end()));
    return list;
}

}  // namespace mxsim::model
