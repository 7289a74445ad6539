// exim_retry_hints.cpp - Exim's queue: host retry hints from the retry rules
// (retry.c; exim_retry.hpp), queue runs every queue_run_interval, hosts
// skipped until their retry time, delay warnings (docs/queues-exim-sendmail.md).
#include <absl/container/flat_hash_map.h>
#include <algorithm>

#include "model/exim_retry.hpp"
#include "model/retry_policy.hpp"

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

class EximRetryHints final : public RetryPolicy {
  public:
    explicit EximRetryHints(const EximQueueSpec& spec) : spec_(spec) {}

    // The address times out when a host's item did and no host was skipped
    // (af_retry_skipped). The message comes back at the first queue run at which
    // some host is usable.
    Retry after_failure(const Message& msg, const Attempt* attempt, SimTime now) override {
        Retry r;
        HostList hosts;
        if (attempt) {
            r.give_up = attempt->exim_timed_out && attempt->skipped_hosts.empty();
            hosts = attempt->failed_hosts;
            for (const HostIndex skipped : attempt->skipped_hosts)
                hosts.push_back(skipped);
        }
        SimTime allowed = now;
        for (std::size_t i = 0; i < hosts.size(); ++i) {
            const SimTime t =
                exim_next_allowed_try(spec_.retry_rules, record(hosts[i]), now, msg.arrival);
            allowed = i == 0 ? t : std::min(allowed, t);
        }
        r.run_at = run_at_or_after(std::max(allowed, now + 1), spec_.queue_run_interval);
        r.warn = spec_.delay_warning > 0 && !msg.warned && now - msg.arrival >= spec_.delay_warning;
        return r;
    }

    // The smtp transport's host loop: a host whose retry time has not come is
    // skipped (retry_check_address).
    bool skips(HostIndex server, const Message& msg, Attempt& a, SimTime now) override {
        const auto status = exim_host_status(spec_.retry_rules, record(server), now, msg.arrival);
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

    // retry_update() at the end of an attempt, for every host that failed in it.
    void attempt_ended(const Message& msg, Attempt& a, SimTime now) override {
        bool timed_out = false;
        for (const HostIndex server : a.failed_hosts) {
            const EximFailure f =
                exim_after_failure(spec_.retry_rules, record(server), now, msg.arrival);
            records_[server] = f.record;
            timed_out |= f.timed_out;
        }
        a.exim_timed_out = timed_out;
    }

    // Exim deletes a host's retry record on success.
    void delivered_via(HostIndex next_hop) override { records_.erase(next_hop); }

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
        return run_at_or_after(std::max(wake, now + 1), spec_.queue_run_interval);
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

    const EximQueueSpec& spec_;
    absl::flat_hash_map<HostIndex, EximRetryRecord> records_;  // key T:host:ip, by remote host
};

}  // namespace

std::unique_ptr<RetryPolicy> make_exim_retry_hints(const EximQueueSpec& spec) {
    return std::make_unique<EximRetryHints>(spec);
}

}  // namespace mxsim::model
