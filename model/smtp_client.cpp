// smtp_client.cpp - one delivery attempt: DNS, MX choice, and the SMTP dialogue.
// The client side follows Postfix's smtp(8) (smtp_addr.c, smtp_connect.c,
// smtp_trouble.c); the server's answers come from Smtpd. The whole dialogue is
// worked out when the attempt starts; its outcome is applied when it ends.
#include "model/smtp_client.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>

#include "model/content_policy.hpp"

namespace mxsim::model {
namespace {

// Round trips of a dialogue: connect and greeting, EHLO, MAIL, RCPT; then
// DATA, the content and its final dot. QUIT is not waited for.
constexpr int kRoundTripsToRcpt = 4;
constexpr int kRoundTripsDelivered = 6;
// MX records of one answer that are sorted and shuffled (more are ignored).
constexpr std::size_t kMxConsidered = 32;
// A client without an MTA (a worm's engine) waits as long as smtp(8) by default.
constexpr SimTime kDefaultConnectTimeout = 30 * sim::kSecond;

}  // namespace

SmtpClient::SmtpClient(WorldContext& world, Smtpd& smtpd) : world_(world), smtpd_(smtpd) {
    const Scenario& scenario = world.scenario;
    clients_.resize(scenario.hosts.size());
    for (std::size_t i = 0; i < scenario.hosts.size(); ++i) {
        const HostSpec& spec = scenario.hosts[i];
        if (!spec.mta) continue;
        for (const RelayDomain& r : spec.mta->relay_domains)
            if (r.next_hop)
                clients_[i].next_hops.emplace(world.directory.names().id_of(r.domain),
                                              world.directory.host_named(*r.next_hop));
    }
}

void SmtpClient::trace(MessageId m, std::string_view stage, HostIndex from,
                       std::optional<HostIndex> to, const Status& st, std::string_view action,
                       SimTime at) {
    world_.trace.step(m, world_.messages[m], stage, from, to, st, action, at);
}

sim::RandomStream& SmtpClient::shuffle_stream(HostIndex host) {
    auto& stream = clients_[host].shuffle;
    if (!stream)
        stream = std::make_unique<sim::RandomStream>(
            world_.options.seed, "mx-shuffle." + world_.scenario.hosts[host].name,
            world_.options.replication);
    return *stream;
}

void SmtpClient::begin(MessageId m, RetryPolicy* hints, const AttemptStart& start,
                       std::span<const MessageId> others) {
    std::uint32_t slot = 0;
    if (free_slots_.empty()) {
        slot = static_cast<std::uint32_t>(in_flight_.size());
        in_flight_.emplace_back(m, std::make_unique<Attempt>());
    } else {
        slot = free_slots_.back();
        free_slots_.pop_back();
        in_flight_[slot].first = m;
    }
    // Worked out in its slot, where it stays until released: an attempt is
    // never copied or moved on its way (its status texts keep their buffers).
    Attempt& a = *in_flight_[slot].second;
    a = Attempt{};
    attempt(a, m, hints, start, others);
    if (a.session_with) smtpd_.open_session(*a.session_with);
    world_.sim.schedule_in(a.duration, kAttemptDone, slot);
}

SmtpClient::Finished SmtpClient::finish(std::uint32_t slot) {
    const MessageId m = in_flight_.at(slot).first;
    if (m == kNoMessage) throw std::logic_error("attempt finished twice");
    in_flight_[slot].first = kNoMessage;
    Attempt& a = *in_flight_[slot].second;
    if (a.session_with) smtpd_.close_session(*a.session_with);
    return {m, a};
}

void SmtpClient::release(std::uint32_t slot) {
    if (in_flight_.at(slot).first != kNoMessage)
        throw std::logic_error("an attempt released before it finished");
    free_slots_.push_back(slot);
}

void SmtpClient::expect(HostIndex from, NameId domain) const {
    clients_[from].dns.prefetch(domain);
    world_.dns.prefetch(domain);
}

// The MX hosts to try, best first (smtp_addr.c smtp_domain_addr). On a DNS
// failure or when nothing is left, `a` says why and the list is empty.
HostList SmtpClient::route(NameId domain, HostIndex from_host, Attempt& a, SimTime at) {
    const auto name = [&] { return world_.directory.names().name(domain); };  // status texts
    ClientState& from = clients_[from_host];
    const SimTime query_latency = world_.scenario.dns.query_latency;
    HostList hosts;
    if (const auto transport = from.next_hops.find(domain); transport != from.next_hops.end()) {
        hosts.push_back(transport->second);  // transport_maps
        return hosts;
    }
    DnsLookup cost;
    const auto charge = [&] {  // once: later stops find nothing left to charge
        world_.metrics.dns_queries(from_host, static_cast<std::uint64_t>(cost.queries));
        a.duration += cost.duration(query_latency);
        cost = {};
    };
    const MxAnswer& mx = from.dns.mx(world_.dns, domain, at, query_latency, cost);
    std::size_t count = std::min(mx.records.size(), kMxConsidered);
    // smtp_connect.c: a deferral found in DNS ends in smtp_sess_fail(), which
    // throttles like a failed connection (qmgr's negative feedback); a bounce
    // does not.
    const auto stop = [&](Attempt::Result r, Status st) {
        charge();
        a.result = r;
        a.status = std::move(st);
        a.connect_failures_only = r == Attempt::Result::Defer;
        return HostList{};
    };
    if (mx.rcode == Rcode::ServFail)
        return stop(Attempt::Result::Defer, status::dns_servfail(name(), "MX"));
    if (mx.null_mx)
        return stop(Attempt::Result::Bounce, status::null_mx(name()));  // RFC 7505 section 3
    // One MX host, not this one: nothing to sort, shuffle or truncate.
    if (count == 1 && mx.records[0].host && *mx.records[0].host != from_host) {
        charge();
        hosts.push_back(*mx.records[0].host);
        return hosts;
    }
    // A copy to shuffle; beyond kMxConsidered records (a zone with dozens of
    // MX records) the worst are ignored: only smtp_mx_address_limit are tried.
    std::array<MxTarget, kMxConsidered> records;
    std::copy_n(mx.records.begin(), count, records.begin());
    if (mx.rcode == Rcode::NxDomain || count == 0) {
        // RFC 5321 section 5.1: no MX records, so the domain itself is the implicit MX.
        const AAnswer& addr = from.dns.a(world_.dns, domain, at, query_latency, cost);
        if (addr.rcode == Rcode::ServFail)
            return stop(Attempt::Result::Defer, status::dns_servfail(name(), "A"));
        if (!addr.host) return stop(Attempt::Result::Bounce, status::dns_not_found(name(), "A"));
        records[0] = {0, addr.host};
        count = 1;
    }
    charge();

    // Sorted by preference (the authority keeps them so); smtp_randomize_addresses
    // shuffles equal preferences.
    for (std::size_t i = 0; i < count;) {
        std::size_t j = i;
        while (j < count && records[j].preference == records[i].preference)
            ++j;
        for (std::size_t k = j - 1; k > i; --k)
            std::swap(records[k], records[i + shuffle_stream(from_host).uniform_int(0, k - i)]);
        i = j;
    }
    // smtp_addr_list(): MX hosts without an address are passed over as long as
    // one has an address; if none has, smtp_domain_addr() keeps the last
    // lookup's hard 5.4.4 (a bounce), unless smtp_defer_if_no_mx_address_found.
    const int best_pref = records[0].preference;
    std::size_t kept = 0;
    for (std::size_t i = 0; i < count; ++i)
        if (records[i].host) records[kept++] = records[i];
    if (kept == 0) {
        const auto& mta = world_.scenario.hosts[from_host].mta;
        const bool defer = mta && mta->smtp_defer_if_no_mx_address_found;
        Status st =
            status::dns_not_found(world_.directory.names().name(records[count - 1].exchange), "A");
        if (defer) st = status::with_enhanced(st, "4.4.4");
        return stop(defer ? Attempt::Result::Defer : Attempt::Result::Bounce, std::move(st));
    }
    count = kept;
    // RFC 5321 section 5.1 and smtp_truncate_self(): a relay that finds itself
    // in the list drops itself and every MX of equal or worse preference.
    for (std::size_t i = 0; i < count; ++i) {
        if (records[i].host != from_host) continue;
        const int self_pref = records[i].preference;
        count = 0;
        while (records[count].preference < self_pref)
            ++count;
        if (count > 0) break;
        // Better MX hosts than this one exist, but none has an address.
        if (best_pref != records[0].preference)
            return stop(Attempt::Result::Defer, status::no_primary_relay(name()));
        return stop(Attempt::Result::Bounce, status::loops_back_to_myself(name()));
    }
    for (std::size_t i = 0; i < count && hosts.size() < HostList::kCapacity; ++i)
        hosts.push_back(*records[i].host);
    return hosts;
}

void SmtpClient::attempt(Attempt& a, MessageId m, RetryPolicy* hints, const AttemptStart& start,
                         std::span<const MessageId> others) {
    const Message msg = world_.messages[m];
    const SimTime now = world_.sim.now();
    const auto& client_mta = world_.scenario.hosts[msg.owner].mta;
    for (const MessageId o : others) {
        Attempt::OtherRecipient r;
        r.m = o;
        a.others.push_back(std::move(r));
    }
    a.domain = msg.recipient.domain;
    a.queue_run = start.queue_run;
    a.store_connection = start.store_connection;
    HostList mxs = route(a.domain, msg.owner, a, now);
    // A worm's SMTP engine aims at one MX (the best, or on purpose the worst,
    // where filtering is often weaker) and never tries another.
    if ((msg.origin == Origin::Worm || msg.origin == Origin::Spam) && mxs.size() > 1)
        mxs.assign_one(msg.aim_at_backup ? mxs.back() : mxs.front());
    if (mxs.empty() && a.result == Attempt::Result::Bounce && a.status.enhanced == "5.4.4" &&
        client_mta)
        a.status = unroutable(client_mta->flavor, a.domain, std::move(a.status));
    if (mxs.empty()) {
        trace(m, "dns", msg.owner, std::nullopt, a.status,
              a.result == Attempt::Result::Bounce ? "rejected" : "deferred", now + a.duration);
        return;
    }
    a.result = Attempt::Result::Defer;
    // Exim's address retry record: routed again, but not tried before its time.
    if (hints && hints->address_waits(msg, a, now)) return;
    for (const HostIndex r : mxs) {
        if (hints && hints->skips(r, msg, a, now)) continue;
        const SimTime t = now + a.duration;
        const SimTime rtt = world_.network.round_trip(msg.owner, r);
        const std::string& server_name = world_.directory.host_label(r);
        const HostState state = world_.network.state(r, t);
        // A queue runner still connected to this host sends RSET and goes on:
        // no new connection, greeting or EHLO (one round trip instead of two).
        const bool reused = start.open_connection == r && state == HostState::Up;
        if (!reused) world_.metrics.smtp_connection(t, msg.owner);
        if (reused) a.duration -= rtt;
        a.connected_at = reused ? start.connected_at : t;
        a.messages_on_connection = reused ? start.messages_on_connection + 1 : 1;
        if (state == HostState::Silent) {
            a.duration += client_mta ? client_mta->smtp_connect_timeout : kDefaultConnectTimeout;
            a.status = status::connection_timed_out(server_name);
        } else if (state == HostState::Refusing || !smtpd_.is_mta(r)) {
            a.duration += rtt;
            a.status = state == HostState::Refusing ? status::connection_refused(server_name)
                                                    : status::no_smtp_service(server_name);
        } else if (!reused && smtpd_.sessions_full(r)) {
            a.duration += rtt;
            a.status = busy_server(r, server_name);
        } else if (auto greeting = reused ? std::nullopt : smtpd_.greeting(r, t + rtt)) {
            // smtp_helo(): a greeting that is not 2xx is a site failure; with
            // smtp_skip_5xx_greeting (yes) a 5xx greeting only defers (4.x.x).
            a.duration += rtt;
            a.status = status::refused_to_talk(server_name, *greeting);
            if (a.status.enhanced[0] == '5') a.status.enhanced[0] = '4';
        } else {
            const RcptAnswer answer = smtpd_.rcpt(r, msg.owner, msg, t + rtt, 0);
            const Status& reply = answer.reply;
            if (answer.discard) a.discard = true;
            a.connect_failures_only = false;
            // The further RCPTs, then one DATA for every recipient accepted. They
            // are sent to the first server that answers RCPT; one it defers is not
            // offered to the next MX (smtp(8) would keep it for a backup MX).
            const bool others_now = !a.others.empty() && !a.others.front().answered;
            const SimTime more =
                others_now ? answer_others(r, msg, t + kRoundTripsToRcpt * rtt, answer, a) : 0;
            a.duration += more;
            const bool others_ok =
                others_now && std::any_of(a.others.begin(), a.others.end(), [](auto& o) {
                    return o.result == Attempt::Result::HandedOver;
                });
            std::optional<DataRefusal> refused;
            if (reply.ok() || others_ok)
                refused = smtpd_.data(r, msg, t + kRoundTripsToRcpt * rtt + more);
            if (others_ok) others_at_data(r, refused, a, t + kRoundTripsDelivered * rtt + more);
            if (others_ok && !reply.ok())  // DATA was sent for the others
                a.duration += (kRoundTripsDelivered - kRoundTripsToRcpt) * rtt;
            if (reply.ok() && refused) {
                a.duration += answer.extra;
                return refused_at_data(a, m, r, rtt, reply, *refused);
            }
            if (reply.ok()) {
                a.duration += kRoundTripsDelivered * rtt + answer.extra;
                a.result = Attempt::Result::HandedOver;  // no status: nothing reports it
                a.next_hop = r;
                a.session_with = r;
                trace(m, "rcpt", msg.owner, r, reply, "accepted", t + kRoundTripsToRcpt * rtt);
                return;
            }
            a.duration += kRoundTripsToRcpt * rtt + answer.extra;
            a.status = status::remote_said(server_name, reply, answer.command);
            // smtp_trouble.c: a 5xx to RCPT bounces the recipient even at a
            // backup MX; a 4xx moves on to the next MX.
            const std::string_view stage = answer.command == "MAIL FROM" ? "mail" : "rcpt";
            if (reply.permanent()) {
                a.result = Attempt::Result::Bounce;
                a.session_with = r;
                trace(m, stage, msg.owner, r, reply, "rejected", now + a.duration);
                return;
            }
            a.rcpt_deferred = answer.command == "RCPT TO";  // an address error (Exim)
            a.session_with = r;  // the attempt holds the last server that answered
            trace(m, stage, msg.owner, r, reply, "deferred", now + a.duration);
            continue;
        }
        a.failed_hosts.push_back(r);
        if (hints) hints->host_failed(r, a);
        trace(m, "connect", msg.owner, r, a.status, "deferred", now + a.duration);
    }
    if (hints && a.skipped_hosts.size() == mxs.size()) {
        a.host_skips_only = true;
        hints->no_host_tried(a);
    }
}

// RFC 5321 section 3.3: each further RCPT of the transaction is answered on its own,
// one round trip each (a spam engine does not pipeline). A refusal at MAIL FROM ends
// the transaction for all of them. Returns the time they took.
SimTime SmtpClient::answer_others(HostIndex server, const Message& msg, SimTime at,
                                  const RcptAnswer& first, Attempt& a) {
    const SimTime rtt = world_.network.round_trip(msg.owner, server);
    const std::string& server_name = world_.directory.host_label(server);
    SimTime took = 0;
    for (Attempt::OtherRecipient& o : a.others) {
        o.answered = true;
        if (first.command == "MAIL FROM") {
            o.result = first.reply.permanent() ? Attempt::Result::Bounce : Attempt::Result::Defer;
            o.status = status::remote_said(server_name, first.reply, first.command);
            continue;
        }
        took += rtt;
        const RcptAnswer answer =
            smtpd_.rcpt(server, msg.owner, world_.messages[o.m], at + took, 0);
        took += answer.extra;
        const Status& reply = answer.reply;
        o.result = reply.ok()          ? Attempt::Result::HandedOver
                   : reply.permanent() ? Attempt::Result::Bounce
                                       : Attempt::Result::Defer;
        if (!reply.ok()) o.status = status::remote_said(server_name, reply, answer.command);
        o.next_hop = server;
        const std::string_view action = reply.ok()          ? "accepted"
                                        : reply.permanent() ? "rejected"
                                                            : "deferred";
        trace(o.m, "rcpt", msg.owner, server, reply, action, at + took);
    }
    return took;
}

// DATA for the further recipients that RCPT accepted: a refusal there (a content
// check, reject_multi_recipient_bounce) is theirs too.
void SmtpClient::others_at_data(HostIndex server, const std::optional<DataRefusal>& refusal,
                                Attempt& a, SimTime at) {
    if (!refusal) return;
    const std::string& server_name = world_.directory.host_label(server);
    for (Attempt::OtherRecipient& o : a.others) {
        if (o.result != Attempt::Result::HandedOver) continue;
        o.result = refusal->reply.permanent() ? Attempt::Result::Bounce : Attempt::Result::Defer;
        o.status = status::remote_said(server_name, refusal->reply, refusal->command);
        trace(o.m, "data", world_.messages[o.m].owner, server, refusal->reply, "rejected", at);
    }
}

// A domain that does not resolve, in the words of the client's MTA: Postfix's
// smtp_addr.c (5.4.4), Exim's router ("Unrouteable address", DSN 5.0.0:
// exim-queue.md rule 7), Sendmail's hostsignature() ("Host unknown", 5.1.2:
// sendmail-queue.md rule 4).
Status SmtpClient::unroutable(MtaFlavor flavor, NameId domain, Status postfix) const {
    switch (flavor) {
        case MtaFlavor::Exim:
            return {0, "5.0.0", "Unrouteable address"};
        case MtaFlavor::Sendmail:
            return {550, "5.1.2",
                    "Host unknown (Name server: " + world_.directory.names().name(domain) +
                        ": host not found)"};
        case MtaFlavor::Postfix:
            break;
    }
    return postfix;
}

// A server at its session limit: Postfix (postscreen) and Exim greet with 421,
// which smtp_helo() reports as "refused to talk to me"; a Sendmail daemon at
// MaxDaemonChildren stops listening (daemon.c), so the connection is refused.
// Either way the client tries the next MX, and it counts as a site failure.
Status SmtpClient::busy_server(HostIndex server, std::string_view name) const {
    switch (world_.scenario.hosts[server].mta->flavor) {
        case MtaFlavor::Exim:
            return status::refused_to_talk(name, status::exim_too_many_connections());
        case MtaFlavor::Sendmail:
            return status::connection_refused(name);
        case MtaFlavor::Postfix:
            break;
    }
    return status::refused_to_talk(name, status::too_many_sessions());
}

// RCPT was accepted, then the server refused the message at DATA or at the end
// of DATA (smtpd_data_restrictions, a milter): permanent, so the client gives
// up on it (smtp_trouble.c), and an MTA bounces it to its sender.
void SmtpClient::refused_at_data(Attempt& a, MessageId m, HostIndex server, SimTime rtt,
                                 const Status& rcpt, const DataRefusal& refusal) {
    const Message& msg = world_.messages[m];
    const SimTime now = world_.sim.now();
    trace(m, "rcpt", msg.owner, server, rcpt, "accepted",
          now + a.duration + kRoundTripsToRcpt * rtt);
    a.duration += kRoundTripsDelivered * rtt;
    a.status =
        status::remote_said(world_.directory.host_label(server), refusal.reply, refusal.command);
    a.result = refusal.reply.permanent() ? Attempt::Result::Bounce : Attempt::Result::Defer;
    a.session_with = server;
    trace(m, "data", msg.owner, server, refusal.reply, "rejected", now + a.duration);
}

// verify(8)'s probe through smtp(8): the domain's MX hosts in turn, up to RCPT.
ProbeResult SmtpClient::probe(HostIndex from, const Message& msg, SimTime at, int depth) {
    Attempt probe;
    const HostList mxs = route(msg.recipient.domain, from, probe, at);
    ProbeResult p{probe.status};
    for (const HostIndex r : mxs) {
        const std::string& server_name = world_.directory.host_label(r);
        const SimTime rtt = world_.network.round_trip(from, r);
        const HostState state = world_.network.state(r, at + probe.duration);
        if (state == HostState::Silent) {
            probe.duration += world_.scenario.hosts[from].mta->smtp_connect_timeout;
            p.last = status::connection_timed_out(server_name);
            continue;
        }
        if (state == HostState::Refusing || !smtpd_.is_mta(r)) {
            probe.duration += rtt;
            p.last = status::connection_refused(server_name);
            continue;
        }
        const RcptAnswer answer = smtpd_.rcpt(r, from, msg, at + probe.duration + rtt, depth + 1);
        probe.duration += kRoundTripsToRcpt * rtt + answer.extra;
        p.last = status::remote_said(server_name, answer.reply);
        if (answer.reply.ok() || answer.reply.permanent()) {
            p.definitive = true;
            p.deliverable = answer.reply.ok();
            break;
        }
    }
    p.duration = probe.duration;
    return p;
}

}  // namespace mxsim::model
