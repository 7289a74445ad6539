// smtpd.cpp - the receiving side: domain roles, sessions, and RCPT TO through
// the MTA's restriction list (smtpd_restrictions.hpp).
#include "model/smtpd.hpp"

namespace mxsim::model {

Smtpd::Smtpd(const Scenario& scenario, Directory& directory, const DnsAuthority& dns,
             const LocalDelivery& local, RecipientProber& prober)
    : directory_(directory), receivers_(scenario.hosts.size()) {
    NameTable& names = directory.names();
    for (std::size_t i = 0; i < scenario.hosts.size(); ++i) {
        const HostSpec& spec = scenario.hosts[i];
        if (!spec.mta) continue;
        Receiver& r = receivers_[i];
        r.mta = &*spec.mta;
        r.session_limit = session_limit(*spec.mta);
        r.replies = ReplySchedule(spec.mta->replies, directory);
        for (const std::string& d : spec.mta->local_domains)
            r.local_domains.insert(names.id_of(d));
        for (const RelayDomain& relay : spec.mta->relay_domains)
            r.relay_domains.emplace(names.id_of(relay.domain), relay.check);
    }
    build_sender_policies(scenario);
    for (std::size_t i = 0; i < scenario.hosts.size(); ++i) {
        const HostSpec& spec = scenario.hosts[i];
        if (!spec.mta) continue;
        absl::flat_hash_set<HostIndex> relay_clients;
        for (const std::string& client : spec.mta->relay_clients)
            relay_clients.insert(directory.host_named(client));
        Receiver& r = receivers_[i];
        r.restrictions =
            restrictions_for({*spec.mta, policies_, local.quota_fill(static_cast<HostIndex>(i)),
                              std::move(relay_clients), prober, dns, r.local_domains, r.replies});
    }
}

// SPF: a -all domain's own MX hosts and the MTAs that deliver it may send for it.
void Smtpd::build_sender_policies(const Scenario& scenario) {
    NameTable& names = directory_.names();
    for (const DomainSpec& d : scenario.domains) {
        const NameId domain = names.id_of(d.name);
        if (d.batv) policies_.batv_domains.insert(domain);
        if (!d.spf_hard_fail) continue;
        auto& allowed = policies_.spf_senders[domain];
        for (const MxRecord& mx : d.initial.mx)
            if (mx.has_address) allowed.insert(directory_.host_named(mx.host));
        for (std::size_t h = 0; h < receivers_.size(); ++h)
            if (receivers_[h].local_domains.count(domain))
                allowed.insert(static_cast<HostIndex>(h));
    }
}

std::pair<DomainRole, RecipientCheck> Smtpd::role_and_check(HostIndex h, NameId domain) const {
    const Receiver& r = receivers_[h];
    if (r.local_domains.contains(domain)) return {DomainRole::Local, RecipientCheck::None};
    if (const auto relay = r.relay_domains.find(domain); relay != r.relay_domains.end())
        return {DomainRole::Relay, relay->second};
    return {DomainRole::None, RecipientCheck::None};
}

std::optional<Status> Smtpd::greeting(HostIndex server, SimTime at) const {
    const ReplySchedule& s = receivers_[server].replies;
    if (s.empty()) return std::nullopt;
    auto reply = s.reply(SmtpCommand::Connect, at, {});
    if (reply && reply->ok()) return std::nullopt;
    return reply;
}

std::optional<DataRefusal> Smtpd::data(HostIndex server, const Message& msg, SimTime at) const {
    const Receiver& r = receivers_[server];
    if (!r.replies.empty()) {
        if (auto d = r.replies.reply(SmtpCommand::Data, at, msg.recipient); d && !d->ok())
            return DataRefusal{*d, "DATA"};
        if (auto e = r.replies.reply(SmtpCommand::EndOfData, at, msg.recipient); e && !e->ok())
            return DataRefusal{*e, "end of DATA"};
    }
    std::optional<DataRefusal> refusal = data_refusal(*r.mta, msg);
    if (refusal && r.mta->soft_bounce) refusal->reply = status::softened(refusal->reply);
    return refusal;
}

RcptAnswer Smtpd::rcpt(HostIndex server, HostIndex client, const Message& msg, SimTime at,
                       int depth) {
    Receiver& r = receivers_[server];
    const auto [role, check] = role_and_check(server, msg.recipient.domain);
    const RcptQuery q{msg, server, client, at, depth, role, check, directory_};
    RcptAnswer answer;
    for (Restriction& restriction : r.restrictions) {
        Verdict v = std::visit([&](auto& c) { return c(q, answer); }, restriction);
        if (!v) continue;
        answer.reply = std::move(*v);
        // Each flavor's own 250 (smtp_in.c "250 Accepted"; srvrsmtp.c "Recipient ok").
        if (answer.reply.ok() && r.mta->flavor == MtaFlavor::Exim)
            answer.reply = status::exim_accepted();
        else if (answer.reply.ok() && r.mta->flavor == MtaFlavor::Sendmail)
            answer.reply = status::sendmail_recipient_ok(directory_.address(msg.recipient));
        // smtpd_check.c smtpd_check_reject(): with soft_bounce a 5 becomes a 4.
        if (answer.reply.permanent() && r.mta->soft_bounce)
            answer.reply = status::softened(std::move(answer.reply));
        return answer;
    }
    throw std::logic_error("restriction list without a final answer");
}

}  // namespace mxsim::model
