// exim_retry_hints.cpp - Exim's queue: host retry hints from the retry rules
// (retry.c; exim_retry.hpp), queue runs every queue_run_interval, hosts
// skipped until their retry time, delay warnings (docs/queues-exim-sendmail.md).
#include <absl/container/flat_hash_map.h>
#include <algorithm>

#include "model/exim_retry.hpp"
#include "model/queue_runs.hpp"
#include "model/retry_policy.hpp"

namespace mxsim::model {
namespace {

Status exim_retry_not_reached() {
    return {0, "4.0.0", "retry time not reached for any host"};
}
Status exim_address_retry_not_reached() {
    return {0, "4.0.0", "retry time not reached"};
}
Status exim_failing_too_long() {
    return {0, "5.0.0", "retry time not reached for any host after a long failure period"};
}
Status exim_retry_timeout_exceeded(const Status& last) {
    return {0, "5.0.0", "retry timeout exceeded: " + last.text};
}

// The address's retry key: recipient and sender (address_retry_include_sender).
std::pair<std::uint64_t, std::uint64_t> address_key(const Message& msg) {
    return {mailbox_key(msg.recipient), mailbox_key(msg.sender)};
}

class EximRetryHints final : public RetryPolicy {
  public:
    explicit EximRetryHints(const EximQueueSpec& spec)
        : spec_(spec), options_{spec.retry_interval_max, 7 * sim::kDay, true} {}

    // exim-queue.md rule 3: every queue run visits every message (and routes it
    // again). The address times out when a host's item did and no host was
    // skipped (af_retry_skipped).
    Retry after_failure(const Message& msg, const Attempt* attempt, SimTime now) override {
        Retry r;
        r.give_up = attempt && attempt->exim_timed_out && attempt->skipped_hosts.empty();
        if (r.give_up) r.give_up_reason = exim_retry_timeout_exceeded(attempt->status);
        r.run_at = next_queue_run_after(now, spec_.queue_run_interval, spec_.queue_run_phase);
        r.warn = warning_due(msg, attempt, now);
        return r;
    }

    // The smtp transport's host loop: a host whose retry time has not come is
    // skipped (retry_check_address).
    bool skips(HostIndex server, const Message& msg, Attempt& a, SimTime now) override {
        const auto status =
            exim_host_status(spec_.retry_rules, record(server), now, msg.arrival, options_);
        if (status == EximHostStatus::Usable || status == EximHostStatus::UsableExpired)
            return false;
        a.skipped_hosts.push_back(server);
        a.exim_all_expired &= status == EximHostStatus::UnusableExpired;
        return true;
    }

    // Every host was skipped: defer "retry time not reached for any host", or, when
    // all have failed past the last cutoff (delay_after_cutoff), fail the address.
    void no_host_tried(Attempt& a) override {
        a.connect_failures_only = false;
        if (a.exim_all_expired) {
            a.result = Attempt::Result::Bounce;
            a.status = exim_failing_too_long();
        } else {
            a.result = Attempt::Result::Defer;
            a.status = exim_retry_not_reached();
        }
    }

    // exim-queue.md rules 1 and 2: a queue run does not try an address whose
    // record's time has not come; an immediate delivery ignores address records.
    bool address_waits(const Message& msg, Attempt& a, SimTime now) override {
        if (!a.queue_run) return false;
        const auto it = addresses_.find(address_key(msg));
        if (it == addresses_.end() || sim::whole_seconds(now) * sim::kSecond >= it->second.next_try)
            return false;
        a.result = Attempt::Result::Defer;
        a.status = exim_address_retry_not_reached();
        a.connect_failures_only = false;
        return true;
    }

    // retry_update() at the end of an attempt: every host that failed in it,
    // and the address if a server deferred it at RCPT (rule 1); an address
    // whose record times out fails ("retry timeout exceeded", rule 6).
    void attempt_ended(const Message& msg, Attempt& a, SimTime now) override {
        bool timed_out = false;
        for (const HostIndex server : a.failed_hosts) {
            const EximFailure f =
                exim_after_failure(spec_.retry_rules, record(server), now, msg.arrival, options_);
            records_[server] = f.record;
            timed_out |= f.timed_out;
        }
        a.exim_timed_out = timed_out;
        if (a.result == Attempt::Result::HandedOver) addresses_.erase(address_key(msg));
        if (a.result != Attempt::Result::Defer || !a.rcpt_deferred) return;
        const auto key = address_key(msg);
        const auto it = addresses_.find(key);
        const std::optional<EximRetryRecord> previous =
            it == addresses_.end() ? std::nullopt : std::optional(it->second);
        const EximFailure f =
            exim_after_address_failure(spec_.retry_rules, previous, now, msg.arrival, options_);
        addresses_[key] = f.record;
        a.exim_timed_out |= f.timed_out;
    }

    // Exim deletes a host's retry record on success.
    void delivered_via(HostIndex next_hop) override { records_.erase(next_hop); }

    int connection_max_messages() const override { return spec_.connection_max_messages; }

    // daemon.c (handle_smtp_call): once receive_messagecount exceeds
    // smtp_accept_queue_per_connection, "no immediate delivery: more than N
    // messages received in one connection"; the message waits for a queue run.
    std::optional<QueueOnly> queue_only(int n, SimTime now) const override {
        const int limit = spec_.smtp_accept_queue_per_connection;
        if (limit == 0 || n <= limit) return std::nullopt;
        return QueueOnly{next_queue_run_after(now, spec_.queue_run_interval, spec_.queue_run_phase),
                         limit};
    }

    // deliver.c: a <> message whose address fails for good is frozen while
    // younger than ignore_bounce_errors_after ("Frozen (delivery error
    // message)"); a queue run then skips it ("Message is frozen") until it is
    // old enough to be thawed ("Unfrozen by errmsg timer") or, first,
    // cancelled by timeout_frozen_after. auto_thaw does not apply to <>.
    std::optional<SimTime> freeze(const Message& msg, SimTime now) override {
        if (!msg.sender.is_null() || now - msg.arrival >= spec_.ignore_bounce_errors_after)
            return std::nullopt;
        SimTime wake = msg.arrival + spec_.ignore_bounce_errors_after;
        if (spec_.timeout_frozen_after > 0)
            wake = std::min(wake, msg.arrival + spec_.timeout_frozen_after);
        return next_queue_run_after(std::max(wake, now + 1) - 1, spec_.queue_run_interval,
                                    spec_.queue_run_phase);
    }
    bool cancels_frozen(const Message& msg, SimTime now) override {
        return spec_.timeout_frozen_after > 0 && now - msg.arrival >= spec_.timeout_frozen_after;
    }

  private:
    std::optional<EximRetryRecord> record(HostIndex remote) const {
        const auto it = records_.find(remote);
        if (it == records_.end()) return std::nullopt;
        return it->second;
    }

    // Rule 9: a warning at every delay_warning of age, but only at a deferral
    // that counts (a real attempt, or an address-record wait; not host-record
    // skips: want_warning_msg), not for <> or Precedence: bulk mail.
    bool warning_due(const Message& msg, const Attempt* attempt, SimTime now) const {
        if (spec_.delay_warning <= 0 || !attempt || attempt->host_skips_only) return false;
        if (msg.sender.is_null() || msg.bulk) return false;
        return msg.warnings < (now - msg.arrival) / spec_.delay_warning;
    }

    const EximQueueSpec& spec_;
    EximRetryOptions options_;
    absl::flat_hash_map<HostIndex, EximRetryRecord> records_;  // key T:host:ip, by remote host
    // key R:rcpt@domain:<sender>
    absl::flat_hash_map<std::pair<std::uint64_t, std::uint64_t>, EximRetryRecord> addresses_;
};

}  // namespace

std::unique_ptr<RetryPolicy> make_exim_retry_hints(const EximQueueSpec& spec) {
    return std::make_unique<EximRetryHints>(spec);
}

}  // namespace mxsim::model
