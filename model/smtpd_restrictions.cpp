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
    return status::unknown_local_recipient(recipient(q));
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

std::vector<Restriction> postfix_restrictions(const MtaSpec& spec, const SenderPolicies& policies,
                                              const MailboxFill& quota_fill,
                                              absl::flat_hash_set<HostIndex> relay_clients,
                                              RecipientProber& prober) {
    std::vector<Restriction> list;
    list.push_back(CheckHopCount{spec.hopcount_limit});
    if (spec.check_spf) list.push_back(CheckSpf{&policies});
    if (spec.greylist)
        list.push_back(CheckGreylist{&*spec.greylist, spec.reject_unlisted_recipient, {}});
    if (spec.reject_unlisted_recipient) list.push_back(RejectUnlistedRecipient{});
    list.push_back(CheckBatv{&policies});
    if (spec.mailbox_quota) list.push_back(CheckQuota{&*spec.mailbox_quota, &quota_fill});
    if (spec.mailbox_rate_limit)
        list.push_back(CheckMailboxRate{&*spec.mailbox_rate_limit, {}, {}});
    list.push_back(PermitLocalDestination{});
    list.push_back(CheckRelayRecipient{spec.unverified_recipient_reject_code, &prober, {}});
    list.push_back(PermitMynetworks{std::move(relay_clients)});
    const int code = spec.relay_domains_reject_code;
    list.push_back(
        RejectUnauthDestination{spec.defer_unauth_destination && code >= 500 ? code - 100 : code});
    return list;
}

}  // namespace mxsim::model
