// retry_schedule.cpp - when a deferred message is tried again, per MTA flavor.
// Postfix: age-based backoff on the deferred-queue scan grid (postfix_queue.hpp).
// Exim: host retry hints from the retry rules, queue runs every queue_run_interval
// (exim_retry.hpp). Sendmail: every queue run tries every message (sendmail_queue.hpp).
#include "model/exim_retry.hpp"
#include "model/postfix_queue.hpp"
#include "model/sendmail_queue.hpp"
#include "model/world.hpp"
#include "model/world_parts.hpp"

namespace mxsim::model {
namespace {

// The first run of a queue runner started every `interval` that is at or after `t`.
SimTime run_at_or_after(SimTime t, SimTime interval) {
    return (t + interval - 1) / interval * interval;
}

Status exim_retry_not_reached() {
    return {0, "4.0.0", "retry time not reached for any host"};
}
Status exim_failing_too_long() {
    return {0, "4.0.0", "retry time not reached for any host after a long failure period"};
}

}  // namespace

World::Retry World::next_retry(MessageId m, const Attempt* attempt) {
    const Message& msg = messages_[m];
    Host& h = *hosts_[msg.owner];
    const MtaSpec& spec = *h.mta;
    Retry r;
    switch (spec.flavor) {
        case MtaFlavor::Postfix: {
            const PostfixDeferral d = postfix_after_failure(
                spec.postfix, sim::whole_seconds(msg.arrival), sim::whole_seconds(sim_.now()),
                msg.sender.is_null(), msg.warned);
            r.give_up = d.expired;
            r.warn = d.warn;
            r.run_at = postfix_scan_time_s(spec.postfix, postfix_scan_slot(spec.postfix, d.due_s)) *
                       sim::kSecond;
            return r;
        }
        case MtaFlavor::Exim:
            return exim_retry(h, msg, attempt);
        case MtaFlavor::Sendmail: {
            const Address from = msg.sender.is_null() ? Address{}
                                                      : Address{names_.name(msg.sender.local),
                                                                names_.name(msg.sender.domain)};
            const SendmailOutcome o =
                sendmail_after_failure(spec.sendmail, msg.arrival, sim_.now(), msg.warned,
                                       sendmail_sender_gets_warnings(from));
            r.give_up = o == SendmailOutcome::Return;
            r.warn = o == SendmailOutcome::Warn;
            r.run_at = sendmail_next_queue_run(spec.sendmail, sim_.now());
            return r;
        }
    }
    throw std::logic_error("unknown MTA flavor");
}

// retry_update() at the end of an attempt, for every host that failed in it,
// whatever became of the message. Returns whether some host's item timed out.
bool World::exim_update_hints(Host& h, const Message& msg, const Attempt& a) {
    bool timed_out = false;
    for (const HostIndex server : a.failed_hosts) {
        const EximFailure f = exim_after_failure(h.mta->exim.retry_rules, h.exim_record(server),
                                                 sim_.now(), msg.arrival);
        h.exim_records[server] = f.record;
        timed_out |= f.timed_out;
    }
    return timed_out;
}

// The address times out when a host's item did and no host was skipped
// (af_retry_skipped). The message comes back at the first queue run at which
// some host is usable.
World::Retry World::exim_retry(Host& h, const Message& msg, const Attempt* attempt) {
    const auto& rules = h.mta->exim.retry_rules;
    Retry r;
    HostList hosts;
    if (attempt) {
        r.give_up = attempt->exim_timed_out && attempt->skipped_hosts.empty();
        hosts = attempt->failed_hosts;
        for (const HostIndex skipped : attempt->skipped_hosts)
            hosts.push_back(skipped);
    }
    SimTime allowed = sim_.now();
    for (std::size_t i = 0; i < hosts.size(); ++i) {
        const SimTime t =
            exim_next_allowed_try(rules, h.exim_record(hosts[i]), sim_.now(), msg.arrival);
        allowed = i == 0 ? t : std::min(allowed, t);
    }
    r.run_at = run_at_or_after(std::max(allowed, sim_.now() + 1), h.mta->exim.queue_run_interval);
    const SimTime warn_after = h.mta->exim.delay_warning;
    r.warn = warn_after > 0 && !msg.warned && sim_.now() - msg.arrival >= warn_after;
    return r;
}

// The smtp transport's host loop: a host whose retry time has not come is
// skipped (retry_check_address). Returns true when `server` is skipped.
bool World::exim_skips(Host& client, HostIndex server, const Message& msg, Attempt& a) {
    if (!client.mta || client.mta->flavor != MtaFlavor::Exim) return false;
    const auto status = exim_host_status(client.mta->exim.retry_rules, client.exim_record(server),
                                         sim_.now(), msg.arrival);
    if (status == EximHostStatus::Usable || status == EximHostStatus::UsableExpired) return false;
    a.skipped_hosts.push_back(server);
    a.exim_all_expired &= status == EximHostStatus::UnusableExpired;
    return true;
}

// Every host was skipped: defer "retry time not reached for any host", or, when
// all have failed past the last cutoff (delay_after_cutoff), fail the address.
void World::exim_no_host_tried(Attempt& a) {
    a.connect_failures_only = false;
    if (a.exim_all_expired) {
        a.result = Attempt::Result::Bounce;
        a.status = exim_failing_too_long();
    } else {
        a.result = Attempt::Result::Defer;
        a.status = exim_retry_not_reached();
    }
}

}  // namespace mxsim::model
