// smtpd_restrictions.cpp - each RCPT-time check, and the list an MTA's spec implies.
#include "model/smtpd_restrictions.hpp"

#include <algorithm>

namespace mxsim::model {
namespace {

// address_verify_poll_count (3) x address_verify_poll_delay (3 s).
constexpr SimTime kVerifyPollLimit = 6 * sim::kSecond;
constexpr int kVerifyDepthLimit = 1;  // a probe does not start probes of its own

std::string recipient(const RcptQuery& q) {
    return q.directory.address(q.msg.recipient);
}

}  // namespace

Verdict CheckHopCount::operator()(const RcptQuery& q, RcptAnswer&) {
    if (q.msg.hops + 1 >= limit) return status::too_many_hops();
    return std::nullopt;
}

Verdict CheckSpf::operator()(const RcptQuery& q, RcptAnswer&) {
    if (q.depth != 0 || q.msg.sender.is_null()) return std::nullopt;  // <>: SPF checks HELO
    const auto it = policies->spf_senders.find(q.msg.sender.domain);
    if (it == policies->spf_senders.end() || it->second.count(q.client)) return std::nullopt;
    return status::spf_fail(q.directory.address(q.msg.sender));
}

Verdict CheckGreylist::operator()(const RcptQuery& q, RcptAnswer&) {
    if (q.role == DomainRole::None || q.depth != 0) return std::nullopt;
    const auto key =
        std::make_tuple(q.client, mailbox_key(q.msg.sender), mailbox_key(q.msg.recipient));
    auto [it, fresh] = triplets.try_emplace(key, Triplet{q.at, -1});
    Triplet& t = it->second;
    const bool stale = t.passed_at >= 0 ? q.at - t.passed_at > spec->pass_lifetime
                                        : q.at - t.first_seen > spec->max_age;
    if (!fresh && stale) t = {q.at, -1};
    // Postgrey keeps time() stamps: whole seconds.
    const std::int64_t waited = sim::whole_seconds(q.at) - sim::whole_seconds(t.first_seen);
    if (t.passed_at >= 0 || (!fresh && waited >= sim::whole_seconds(spec->delay))) {
        t.passed_at = q.at;
        return std::nullopt;
    }
    const bool unknown = q.role == DomainRole::Local && reject_unlisted &&
                         !q.directory.mailbox_exists(q.msg.recipient);
    if (unknown) return std::nullopt;
    return status::greylisted(recipient(q), sim::whole_seconds(spec->delay));
}

Verdict RejectUnlistedRecipient::operator()(const RcptQuery& q, RcptAnswer&) {
    if (q.role != DomainRole::Local || q.directory.mailbox_exists(q.msg.recipient))
        return std::nullopt;
    switch (flavor) {
        case MtaFlavor::Exim:
            return status::exim_unrouteable_address();
        case MtaFlavor::Sendmail:
            return status::sendmail_user_unknown(recipient(q));
        case MtaFlavor::Postfix:
            break;
    }
    return status::unknown_local_recipient(recipient(q));
}

Verdict AcceptPostmaster::operator()(const RcptQuery& q, RcptAnswer&) {
    if (q.role != DomainRole::Local || !q.directory.is_postmaster(q.msg.recipient))
        return std::nullopt;
    return status::accepted();
}

namespace {

enum class Resolves { Yes, No, NotNow };

// Whether mail to `domain` can be routed at `at`: MX hosts (Exim's dnslookup
// also wants one with an address, and honours a null MX), or the A record
// of the implicit MX. SERVFAIL is a temporary failure.
Resolves sender_domain_resolves(const DnsAuthority& dns, NameId domain, SimTime at,
                                MtaFlavor flavor) {
    const MxAnswer mx = dns.query_mx(domain, at);
    if (mx.rcode == Rcode::ServFail) return Resolves::NotNow;
    if (mx.rcode == Rcode::NxDomain) return Resolves::No;
    const bool exim = flavor == MtaFlavor::Exim;
    if (mx.null_mx) return exim ? Resolves::No : Resolves::Yes;
    if (!mx.records.empty()) {
        if (!exim) return Resolves::Yes;
        for (const MxTarget& t : mx.records)
            if (t.host) return Resolves::Yes;
        return Resolves::No;  // "all relevant MX records point to non-existent hosts"
    }
    const AAnswer a = dns.query_a(domain, at);
    if (a.rcode == Rcode::ServFail) return Resolves::NotNow;
    return a.host ? Resolves::Yes : Resolves::No;
}

}  // namespace

Verdict VerifySenderDomain::operator()(const RcptQuery& q, RcptAnswer& out) {
    const Message& m = q.msg;
    if (q.depth != 0 || m.sender.is_null()) return std::nullopt;
    const std::string sender = q.directory.address(m.sender);
    if (flavor == MtaFlavor::Sendmail) {  // Basic_check_mail; $=w senders pass
        if (local_domains.contains(m.sender.domain)) return std::nullopt;
        const Resolves r = sender_domain_resolves(*dns, m.sender.domain, q.at, flavor);
        if (r == Resolves::Yes) return std::nullopt;
        out.command = "MAIL FROM";
        return r == Resolves::No ? status::sendmail_sender_domain_missing(sender)
                                 : status::sendmail_sender_domain_unresolved(sender);
    }
    // Exim routes the sender like any address: a local one must exist.
    if (local_domains.contains(m.sender.domain))
        return q.directory.mailbox_exists(m.sender)
                   ? Verdict{}
                   : Verdict{status::exim_sender_verify_failed(sender)};
    switch (sender_domain_resolves(*dns, m.sender.domain, q.at, flavor)) {
        case Resolves::Yes:
            return std::nullopt;
        case Resolves::No:
            return status::exim_sender_verify_failed(sender);
        case Resolves::NotNow:
            return status::exim_temporary_local_problem();
    }
    return std::nullopt;
}

Verdict RequireRelayAllowed::operator()(const RcptQuery& q, RcptAnswer&) {
    if (q.role != DomainRole::None || clients.contains(q.client)) return std::nullopt;
    if (flavor == MtaFlavor::Exim) return status::exim_relay_not_permitted();
    return status::sendmail_relaying_denied(recipient(q));
}

Verdict ScriptedReply::operator()(const RcptQuery& q, RcptAnswer& out) {
    const AddressRef rcpt = q.msg.recipient;
    if (auto mail = schedule->reply(SmtpCommand::Mail, q.at, rcpt); mail && !mail->ok()) {
        out.command = "MAIL FROM";
        return mail;
    }
    return schedule->reply(SmtpCommand::Rcpt, q.at, rcpt);
}

Verdict AcceptRest::operator()(const RcptQuery&, RcptAnswer&) {
    return status::accepted();
}

Verdict CheckBatv::operator()(const RcptQuery& q, RcptAnswer&) {
    const Message& m = q.msg;
    if (q.role != DomainRole::Local || !m.sender.is_null() || !m.to_forged_sender ||
        !policies->batv_domains.count(m.recipient.domain))
        return std::nullopt;
    return status::batv_unsigned(recipient(q));
}

Verdict CheckQuota::operator()(const RcptQuery& q, RcptAnswer&) {
    if (q.role != DomainRole::Local || q.depth != 0 || spec->at_rcpt == QuotaCheck::None ||
        !q.directory.mailbox_exists(q.msg.recipient))
        return std::nullopt;
    if (fill->fits(mailbox_key(q.msg.recipient), q.msg.size, spec->bytes)) return std::nullopt;
    return status::mailbox_full(spec->at_rcpt == QuotaCheck::Defer ? 452 : 552, recipient(q));
}

Verdict CheckMailboxRate::operator()(const RcptQuery& q, RcptAnswer& out) {
    // A verification probe is not mail: it takes no token.
    if (q.role != DomainRole::Local || q.depth != 0 || !q.directory.mailbox_exists(q.msg.recipient))
        return std::nullopt;
    if (!over(mailbox_key(q.msg.recipient), q.at)) return std::nullopt;
    switch (limit->over_limit) {
        case OverLimitAction::Defer:
            return status::mailbox_rate_exceeded(450, recipient(q));
        case OverLimitAction::Reject:
            return status::mailbox_rate_exceeded(550, recipient(q));
        case OverLimitAction::Discard:
            out.discard = true;
            return std::nullopt;
    }
    return std::nullopt;
}

bool CheckMailboxRate::over(std::uint64_t key, SimTime at) {
    if (limit->algorithm == RateAlgorithm::EximSmoothed) {
        // Exim: deny/defer ... ratelimit = m / p / leaky / per_rcpt / $local_part@$domain,
        // with m = per_hour x p / 1h (model/rate_limit.hpp, docs/rate-limits.md).
        const EximRatelimit cfg{limit->per_hour * sim::to_seconds(limit->period) / 3600.0,
                                limit->period, limit->strict};
        EximRateState& state = exim_rates[key];
        const SimTime t = state.has_sample() ? std::max(state.last, at) : at;
        return exim_ratelimit(cfg, state, t);
    }
    auto [it, fresh] = buckets.try_emplace(
        key, Bucket{TokenBucket(static_cast<std::uint32_t>(limit->burst), limit->per_hour / 3600.0),
                    at});
    it->second.last = std::max(it->second.last, at);
    return !it->second.bucket.take(it->second.last);
}

Verdict PermitLocalDestination::operator()(const RcptQuery& q, RcptAnswer&) {
    if (q.role != DomainRole::Local) return std::nullopt;
    return status::accepted();
}

Verdict CheckRelayRecipient::operator()(const RcptQuery& q, RcptAnswer& out) {
    if (q.role != DomainRole::Relay) return std::nullopt;
    switch (q.relay_check) {
        case RecipientCheck::None:  // relay_recipient_maps empty: everything goes
            return status::accepted();
        case RecipientCheck::List:
            return q.directory.mailbox_exists(q.msg.recipient)
                       ? status::accepted()
                       : status::unknown_relay_recipient(recipient(q));
        case RecipientCheck::Verify:
            return verify(q, out);
    }
    return std::nullopt;
}

// reject_unverified_recipient: a probe to the domain's better MX hosts, up to
// RCPT, answered from the verify cache when fresh. The client is kept waiting
// at most the poll limit; a probe still running then answers 450 "pending".
Status CheckRelayRecipient::verify(const RcptQuery& q, RcptAnswer& out) {
    const std::string rcpt = recipient(q);
    const std::uint64_t key = mailbox_key(q.msg.recipient);
    const auto cached = verify_cache.find(key);
    if (cached != verify_cache.end() && q.at < cached->second.expires)
        return cached->second.deliverable ? status::accepted()
                                          : status::unverified(unverified_reject_code, rcpt,
                                                               status::local_unknown_user(rcpt));
    if (q.depth >= kVerifyDepthLimit) return status::unverified_pending(rcpt);

    const ProbeResult p = prober->probe(q.server, q.msg, q.at, q.depth);
    if (p.definitive) {
        const SimTime life = p.deliverable ? 31 * sim::kDay : 3 * sim::kDay;
        verify_cache[key] = {p.deliverable, q.at + life};
    }
    // A deferred probe is not cached: asked again next time.
    out.extra += std::min(p.duration, kVerifyPollLimit);
    if (p.duration > kVerifyPollLimit) return status::unverified_pending(rcpt);
    if (!p.definitive) return status::unverified(450, rcpt, p.last);
    return p.deliverable ? status::accepted()
                         : status::unverified(unverified_reject_code, rcpt, p.last);
}

Verdict PermitMynetworks::operator()(const RcptQuery& q, RcptAnswer&) {
    if (!clients.count(q.client)) return std::nullopt;
    return status::accepted();
}

Verdict RejectUnauthDestination::operator()(const RcptQuery& q, RcptAnswer&) {
    return status::relay_denied(code, recipient(q));
}

}  // namespace mxsim::model
