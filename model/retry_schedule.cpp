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

World::Retry World::next_retry(MessageId m, bool tried) {
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
        case MtaFlavor::Exim: {
            const auto& rules = spec.exim.retry_rules;
            auto it = h.exim_records.find(msg.recipient.domain);
            std::optional<EximRetryRecord> record;
            if (it != h.exim_records.end()) record = it->second;
            if (tried) {
                const EximFailure f = exim_after_failure(rules, record, sim_.now(), msg.arrival);
                h.exim_records[msg.recipient.domain] = f.record;
                record = f.record;
                r.give_up = f.timed_out;
            }
            const SimTime allowed = exim_next_allowed_try(rules, record, sim_.now(), msg.arrival);
            r.run_at =
                run_at_or_after(std::max(allowed, sim_.now() + 1), spec.exim.queue_run_interval);
            const SimTime warn_after = spec.exim.delay_warning;
            r.warn = warn_after > 0 && !msg.warned && sim_.now() - msg.arrival >= warn_after;
            return r;
        }
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

// Exim's smtp transport consults the host's retry record before connecting:
// before its retry time the message is deferred without a try; once the host
// has failed past the last cutoff the message fails without a try.
bool World::exim_may_try(MessageId m) {
    const Message& msg = messages_[m];
    Host& h = *hosts_[msg.owner];
    const auto it = h.exim_records.find(msg.recipient.domain);
    if (it == h.exim_records.end()) return true;
    const auto& rules = h.mta->exim.retry_rules;
    switch (exim_try_decision(rules, it->second, sim_.now(), msg.arrival)) {
        case EximAction::Try:
            return true;
        case EximAction::Bounce:
            fail(m, exim_failing_too_long(), true);
            return false;
        case EximAction::Defer: {
            const Retry next = next_retry(m, false);
            const HostIndex owner = msg.owner;
            record(m, "queue", owner, std::nullopt, exim_retry_not_reached(), "deferred",
                   sim_.now());
            schedule_run(owner, next.run_at, m);
            return false;
        }
    }
    return true;
}

}  // namespace mxsim::model
