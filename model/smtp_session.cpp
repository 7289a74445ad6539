// smtp_session.cpp - one delivery attempt: DNS, MX choice, and the SMTP dialogue.
// The client side follows Postfix's smtp(8) (smtp_addr.c, smtp_connect.c,
// smtp_trouble.c); the server side answers RCPT as smtpd(8)'s checks would.
// The whole dialogue is worked out when the attempt starts; its outcome is
// applied when it ends (World::finish_attempt).
#include <algorithm>
#include <array>

#include "model/content_policy.hpp"
#include "model/world.hpp"
#include "model/world_parts.hpp"

namespace mxsim::model {
namespace {

// Round trips of a dialogue: connect and greeting, EHLO, MAIL, RCPT; then
// DATA, the content and its final dot. QUIT is not waited for.
constexpr int kRoundTripsToRcpt = 4;
constexpr int kRoundTripsDelivered = 6;
// address_verify_poll_count (3) x address_verify_poll_delay (3 s).
constexpr SimTime kVerifyPollLimit = 6 * sim::kSecond;
// MX records of one answer that are sorted and shuffled (more are ignored).
constexpr std::size_t kMxConsidered = 32;
constexpr int kVerifyDepthLimit = 1;  // a probe does not start probes of its own

}  // namespace

// The MX hosts to try, best first (smtp_addr.c smtp_domain_addr). On a DNS
// failure or when nothing is left, `a` says why and the list is empty.
HostList World::route(NameId domain, Host& from, Attempt& a, SimTime at) {
    const auto name = [&] { return names_.name(domain); };  // for the status texts only
    const auto transport = from.next_hops.find(domain);
    HostList hosts;
    if (transport != from.next_hops.end()) {  // transport_maps
        hosts.push_back(transport->second);
        return hosts;
    }
    int misses = 0;
    const MxAnswer mx = from.dns.mx(dns_, domain, at, misses);
    // A copy to shuffle; beyond kMxConsidered records (a zone with dozens of
    // MX records) the worst are ignored: only smtp_mx_address_limit are tried.
    std::array<MxTarget, kMxConsidered> records{};
    std::size_t count = std::min(mx.records.size(), kMxConsidered);
    std::copy_n(mx.records.begin(), count, records.begin());
    const auto stop = [&](Attempt::Result r, Status st) {
        from.dns_queries += static_cast<std::uint64_t>(misses);
        a.duration += misses * scenario_.dns.query_latency;
        a.result = r;
        a.status = std::move(st);
        a.connect_failures_only = false;
        return HostList{};
    };
    if (mx.rcode == Rcode::ServFail)
        return stop(Attempt::Result::Defer, status::dns_servfail(name(), "MX"));
    if (mx.null_mx)
        return stop(Attempt::Result::Bounce, status::null_mx(name()));  // RFC 7505 section 3
    if (mx.rcode == Rcode::NxDomain || count == 0) {
        // RFC 5321 section 5.1: no MX records, so the domain itself is the implicit MX.
        const AAnswer addr = from.dns.a(dns_, domain, at, misses);
        if (addr.rcode == Rcode::ServFail)
            return stop(Attempt::Result::Defer, status::dns_servfail(name(), "A"));
        if (!addr.host) return stop(Attempt::Result::Bounce, status::dns_not_found(name(), "A"));
        records[0] = {0, addr.host};
        count = 1;
    }
    from.dns_queries += static_cast<std::uint64_t>(misses);
    a.duration += misses * scenario_.dns.query_latency;

    // Sorted by preference (the authority keeps them so); smtp_randomize_addresses
    // shuffles equal preferences.
    for (std::size_t i = 0; i < count;) {
        std::size_t j = i;
        while (j < count && records[j].preference == records[i].preference)
            ++j;
        for (std::size_t k = j - 1; k > i; --k)
            std::swap(records[k], records[i + from.shuffle.uniform_int(0, k - i)]);
        i = j;
    }
    // RFC 5321 section 5.1 and smtp_truncate_self(): a relay that finds itself
    // in the list drops itself and every MX of equal or worse preference.
    for (std::size_t i = 0; i < count; ++i) {
        if (records[i].host != from.index) continue;
        count = 0;
        while (records[count].preference < records[i].preference)
            ++count;
        if (count == 0) return stop(Attempt::Result::Bounce, status::loops_back_to_myself(name()));
        break;
    }
    for (std::size_t i = 0; i < count && hosts.size() < HostList::kCapacity; ++i)
        if (records[i].host) hosts.push_back(*records[i].host);
    if (hosts.empty()) return stop(Attempt::Result::Defer, status::no_mx_address(name()));
    return hosts;
}

World::Attempt World::attempt(MessageId m) {
    const Message msg = messages_[m];
    Host& from = *hosts_[msg.owner];
    Attempt a;
    a.domain = msg.recipient.domain;
    HostList mxs = route(a.domain, from, a, sim_.now());
    // A worm's SMTP engine aims at one MX (the best, or on purpose the worst,
    // where filtering is often weaker) and never tries another.
    if ((msg.origin == Origin::Worm || msg.origin == Origin::Spam) && mxs.size() > 1)
        mxs.assign_one(msg.aim_at_backup ? mxs.back() : mxs.front());
    if (!mxs.empty()) {
        a.result = Attempt::Result::Defer;
        for (const HostIndex r : mxs) {
            if (exim_skips(from, r, msg, a)) continue;
            const SimTime t = sim_.now() + a.duration;
            const SimTime rtt = network_.round_trip(msg.owner, r);
            Host& server = *hosts_[r];
            ++from.smtp_sessions;
            series_.smtp_connection(t);
            const HostState state = network_.state(r, t);
            if (state == HostState::Silent) {
                a.duration += from.mta ? from.mta->smtp_connect_timeout : 30 * sim::kSecond;
                a.status = status::connection_timed_out(host_names_[r]);
            } else if (state == HostState::Refusing || !server.mta) {
                a.duration += rtt;
                a.status = state == HostState::Refusing ? status::connection_refused(host_names_[r])
                                                        : status::no_smtp_service(host_names_[r]);
            } else if (server.inbound_sessions >= server.mta->inbound_session_limit) {
                // smtp_helo(): a 421 greeting; the next MX, and a throttle if all fail.
                a.duration += rtt;
                a.status = status::remote_said(host_names_[r], status::too_many_sessions());
            } else {
                SimTime extra = 0;
                const Status reply =
                    rcpt_reply(server, msg.owner, msg, t + rtt, extra, 0, &a.discard);
                a.connect_failures_only = false;
                if (reply.ok())
                    if (auto refused = data_refusal(*server.mta, msg)) {
                        a.duration += extra;
                        return refused_at_data(m, std::move(a), r, rtt, reply, *refused);
                    }
                if (reply.ok()) {
                    a.duration += kRoundTripsDelivered * rtt + extra;
                    a.result = Attempt::Result::HandedOver;  // no status: nothing reports it
                    a.next_hop = r;
                    a.session_with = r;
                    record(m, "rcpt", msg.owner, r, reply, "accepted", t + kRoundTripsToRcpt * rtt);
                    return a;
                }
                a.duration += kRoundTripsToRcpt * rtt + extra;
                a.status = status::remote_said(host_names_[r], reply);
                // smtp_trouble.c: a 5xx to RCPT bounces the recipient even at a
                // backup MX; a 4xx moves on to the next MX.
                if (reply.permanent()) {
                    a.result = Attempt::Result::Bounce;
                    a.session_with = r;
                    record(m, "rcpt", msg.owner, r, reply, "rejected", sim_.now() + a.duration);
                    return a;
                }
                record(m, "rcpt", msg.owner, r, reply, "deferred", sim_.now() + a.duration);
                continue;
            }
            a.failed_hosts.push_back(r);
            record(m, "connect", msg.owner, r, a.status, "deferred", sim_.now() + a.duration);
        }
        if (a.skipped_hosts.size() == mxs.size()) exim_no_host_tried(a);
    } else {
        record(m, "dns", msg.owner, std::nullopt, a.status,
               a.result == Attempt::Result::Bounce ? "rejected" : "deferred",
               sim_.now() + a.duration);
    }
    return a;
}

// What `server` answers to RCPT TO for `msg` from `client` (smtpd_check.c).
// `extra` grows by any time the server spends before answering.
Status World::rcpt_reply(Host& server, HostIndex client, const Message& msg, SimTime at,
                         SimTime& extra, int depth, bool* discard) {
    const MtaSpec& spec = *server.mta;
    const NameId domain = msg.recipient.domain;
    // cleanup(8) counts Received: headers, ours included; at hopcount_limit the
    // message is refused at the end of DATA (554 5.4.0).
    if (msg.hops + 1 >= spec.hopcount_limit) return status::too_many_hops();
    // MAIL FROM comes before RCPT: a forged -all sender is refused there.
    if (spec.check_spf && depth == 0 && spf_fails(client, msg))
        return status::spf_fail(address(msg.sender));
    const bool local = server.local_domains.count(domain) > 0;
    const auto relay = local ? server.relay_domains.end() : server.relay_domains.find(domain);
    const bool handled = local || relay != server.relay_domains.end();
    if (handled &&
        depth == 0)  // greylisting follows the recipient checks in smtpd_recipient_restrictions
        if (auto grey = greylisted(server, client, msg, at)) {
            const bool unknown =
                local && spec.reject_unlisted_recipient && !mailbox_exists(msg.recipient);
            if (!unknown) return *grey;
        }
    if (local) {
        // smtpd_reject_unlisted_recipient with local_recipient_maps.
        if (spec.reject_unlisted_recipient && !mailbox_exists(msg.recipient))
            return status::unknown_local_recipient(address(msg.recipient));
        if (batv_refuses(msg)) return status::batv_unsigned(address(msg.recipient));
        if (depth == 0)  // a quota policy service sees the message size (MAIL FROM SIZE=)
            if (auto full = quota_reply(server, msg)) return *full;
        if (depth == 0)  // a verification probe is not mail: it takes no token
            if (auto limited = over_rate_limit(server, msg, at, discard)) return *limited;
        return status::accepted();
    }
    if (handled) {
        switch (relay->second) {
            case RecipientCheck::None:  // relay_recipient_maps empty: everything goes
                return status::accepted();
            case RecipientCheck::List:
                return mailbox_exists(msg.recipient)
                           ? status::accepted()
                           : status::unknown_relay_recipient(address(msg.recipient));
            case RecipientCheck::Verify:
                return verify_recipient(server, msg, at, extra, depth);
        }
    }
    // permit_mynetworks, then defer_unauth_destination / reject_unauth_destination.
    if (server.relay_clients.count(client)) return status::accepted();
    const int code = spec.relay_domains_reject_code;
    return status::relay_denied(spec.defer_unauth_destination && code >= 500 ? code - 100 : code,
                                address(msg.recipient));
}

// A mailbox over its rate limit (MtaSpec::mailbox_rate_limit): 450, 550, or a
// 250 that throws the message away. nullopt when the mail may pass.
std::optional<Status> World::over_rate_limit(Host& server, const Message& msg, SimTime at,
                                             bool* discard) {
    const auto& limit = server.mta->mailbox_rate_limit;
    if (!limit || !mailbox_exists(msg.recipient)) return std::nullopt;
    const std::uint64_t key = std::uint64_t{msg.recipient.domain} << 32 | msg.recipient.local;
    const bool over = limit->algorithm == RateAlgorithm::EximSmoothed
                          ? exim_rate_over(server, key, *limit, at)
                          : !take_token(server, key, *limit, at);
    if (!over) return std::nullopt;
    const std::string rcpt = address(msg.recipient);
    switch (limit->over_limit) {
        case OverLimitAction::Defer:
            return status::mailbox_rate_exceeded(450, rcpt);
        case OverLimitAction::Reject:
            return status::mailbox_rate_exceeded(550, rcpt);
        case OverLimitAction::Discard:
            if (discard) *discard = true;
            return std::nullopt;
    }
    return std::nullopt;
}

bool World::take_token(Host& server, std::uint64_t key, const MailboxRateLimit& limit, SimTime at) {
    auto [it, fresh] = server.buckets.try_emplace(
        key,
        Host::Bucket{TokenBucket(static_cast<std::uint32_t>(limit.burst), limit.per_hour / 3600.0),
                     at});
    it->second.last = std::max(it->second.last, at);
    return it->second.bucket.take(it->second.last);
}

// Exim: deny/defer ... ratelimit = m / p / leaky / per_rcpt / $local_part@$domain,
// with m = per_hour x p / 1h (model/rate_limit.hpp, docs/rate-limits.md).
bool World::exim_rate_over(Host& server, std::uint64_t key, const MailboxRateLimit& limit,
                           SimTime at) {
    const EximRatelimit cfg{limit.per_hour * sim::to_seconds(limit.period) / 3600.0, limit.period,
                            limit.strict};
    EximRateState& state = server.exim_rates[key];
    // RCPT steps are worked out a little ahead: keep the record's time monotone.
    const SimTime t = state.has_sample() ? std::max(state.last, at) : at;
    return exim_ratelimit(cfg, state, t);
}

// A quota policy service at RCPT (Dovecot quota-status): a message that would
// take the mailbox beyond its quota is refused, 452 4.2.2 or 552 5.2.2.
std::optional<Status> World::quota_reply(Host& server, const Message& msg) const {
    const auto& quota = server.mta->mailbox_quota;
    if (!quota || quota->at_rcpt == QuotaCheck::None || !mailbox_exists(msg.recipient))
        return std::nullopt;
    const std::uint64_t key = std::uint64_t{msg.recipient.domain} << 32 | msg.recipient.local;
    if (server.quota_fill.fits(key, msg.size, quota->bytes)) return std::nullopt;
    return status::mailbox_full(quota->at_rcpt == QuotaCheck::Defer ? 452 : 552,
                                address(msg.recipient));
}

// RCPT was accepted, then the server refused the message at DATA or at the end
// of DATA (smtpd_data_restrictions, a milter): permanent, so the client gives
// up on it (smtp_trouble.c), and an MTA bounces it to its sender.
World::Attempt World::refused_at_data(MessageId m, Attempt a, HostIndex server, SimTime rtt,
                                      const Status& rcpt, const DataRefusal& refusal) {
    const Message& msg = messages_[m];
    record(m, "rcpt", msg.owner, server, rcpt, "accepted",
           sim_.now() + a.duration + kRoundTripsToRcpt * rtt);
    a.duration += kRoundTripsDelivered * rtt;
    a.status = status::remote_said(host_names_[server], refusal.reply, refusal.command);
    a.result = refusal.reply.permanent() ? Attempt::Result::Bounce : Attempt::Result::Defer;
    a.session_with = server;
    record(m, "data", msg.owner, server, refusal.reply, "rejected", sim_.now() + a.duration);
    return a;
}

// RFC 7208: the client host is not among those the sender's domain lists.
bool World::spf_fails(HostIndex client, const Message& msg) const {
    if (msg.sender.is_null()) return false;  // SPF then checks the HELO name: not modelled
    const auto it = spf_senders_.find(msg.sender.domain);
    return it != spf_senders_.end() && !it->second.count(client);
}

// BATV: a DSN to a BATV domain must be addressed to a signed envelope sender;
// the domain signs everything its users send, so only a DSN about a message
// that forged the address arrives unsigned.
bool World::batv_refuses(const Message& msg) const {
    return msg.sender.is_null() && msg.to_forged_sender &&
           batv_domains_.count(msg.recipient.domain) > 0;
}

// Greylisting: the first attempt of a triplet is deferred; a retry at least
// `delay` later passes and the triplet is remembered for pass_lifetime; an
// unretried triplet is forgotten after max_age. nullopt: the mail may pass.
std::optional<Status> World::greylisted(Host& server, HostIndex client, const Message& msg,
                                        SimTime at) {
    const auto& grey = server.mta->greylist;
    if (!grey) return std::nullopt;
    const auto key =
        std::make_tuple(client, std::uint64_t{msg.sender.domain} << 32 | msg.sender.local,
                        std::uint64_t{msg.recipient.domain} << 32 | msg.recipient.local);
    auto [it, fresh] = server.greylist.try_emplace(key, Host::Triplet{at, -1});
    Host::Triplet& t = it->second;
    const bool stale = t.passed_at >= 0 ? at - t.passed_at > grey->pass_lifetime
                                        : at - t.first_seen > grey->max_age;
    if (!fresh && stale) t = {at, -1};
    // Postgrey keeps time() stamps: whole seconds.
    const std::int64_t waited = sim::whole_seconds(at) - sim::whole_seconds(t.first_seen);
    if (t.passed_at >= 0 || (!fresh && waited >= sim::whole_seconds(grey->delay))) {
        t.passed_at = at;
        return std::nullopt;
    }
    return status::greylisted(address(msg.recipient), sim::whole_seconds(grey->delay));
}

// reject_unverified_recipient: a probe to the domain's better MX hosts, up to
// RCPT, answered from the verify cache when fresh (positive 31 d, negative 3 d).
Status World::verify_recipient(Host& server, const Message& msg, SimTime at, SimTime& extra,
                               int depth) {
    const std::string rcpt = address(msg.recipient);
    const std::uint64_t key = std::uint64_t{msg.recipient.domain} << 32 | msg.recipient.local;
    const auto cached = server.verify_cache.find(key);
    const int code = server.mta->unverified_recipient_reject_code;
    if (cached != server.verify_cache.end() && at < cached->second.expires)
        return cached->second.deliverable
                   ? status::accepted()
                   : status::unverified(code, rcpt, status::local_unknown_user(rcpt));
    if (depth >= kVerifyDepthLimit) return status::unverified_pending(rcpt);

    Attempt probe;
    const HostList mxs = route(msg.recipient.domain, server, probe, at);
    Status last = probe.status;
    for (const HostIndex r : mxs) {
        Host& next = *hosts_[r];
        const SimTime rtt = network_.round_trip(server.index, r);
        const HostState state = network_.state(r, at + probe.duration);
        if (state == HostState::Silent) {
            probe.duration += server.mta->smtp_connect_timeout;
            last = status::connection_timed_out(host_names_[r]);
            continue;
        }
        if (state == HostState::Refusing || !next.mta) {
            probe.duration += rtt;
            last = status::connection_refused(host_names_[r]);
            continue;
        }
        SimTime inner = 0;
        const Status reply =
            rcpt_reply(next, server.index, msg, at + probe.duration + rtt, inner, depth + 1);
        probe.duration += kRoundTripsToRcpt * rtt + inner;
        last = status::remote_said(host_names_[r], reply);
        if (reply.ok() || reply.permanent()) {
            const SimTime life = reply.ok() ? 31 * sim::kDay : 3 * sim::kDay;
            server.verify_cache[key] = {reply.ok(), at + life};
            extra += std::min(probe.duration, kVerifyPollLimit);
            if (probe.duration > kVerifyPollLimit) return status::unverified_pending(rcpt);
            return reply.ok() ? status::accepted() : status::unverified(code, rcpt, last);
        }
    }
    // The probe was deferred: not cached, asked again next time.
    extra += std::min(probe.duration, kVerifyPollLimit);
    if (probe.duration > kVerifyPollLimit) return status::unverified_pending(rcpt);
    return status::unverified(450, rcpt, last);
}

}  // namespace mxsim::model
