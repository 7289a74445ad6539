// sendmail_retry.cpp - Sendmail's queue: every queue run tries every message;
// Timeout.queuewarn and Timeout.queuereturn (sendmail_queue.hpp).
#include <absl/container/flat_hash_map.h>

#include "model/retry_policy.hpp"
#include "model/sendmail_queue.hpp"

namespace mxsim::model {
namespace {

// envelope.c dropenvelope(): "Cannot send message for 5 days", in
// convtime.c pintvl()'s long form: "1 day, 12 hours", zero parts left out.
std::string interval_words(SimTime t) {
    std::int64_t s = sim::whole_seconds(t);
    const std::pair<std::int64_t, const char*> units[] = {
        {7 * 86400, "week"}, {86400, "day"}, {3600, "hour"}, {60, "minute"}, {1, "second"}};
    std::string out;
    for (const auto& [size, name] : units) {
        const std::int64_t n = s / size;
        s %= size;
        if (n == 0) continue;
        if (!out.empty()) out += ", ";
        out += std::to_string(n) + " " + name + (n == 1 ? "" : "s");
    }
    return out.empty() ? "zero seconds" : out;
}

class SendmailRetry final : public RetryPolicy {
  public:
    SendmailRetry(const SendmailQueueSpec& spec, const Directory& directory)
        : spec_(spec), directory_(directory) {}

    Retry after_failure(const Message& msg, const Attempt*, SimTime now) override {
        const NameTable& names = directory_.names();
        const Address from = msg.sender.is_null() ? Address{}
                                                  : Address{names.name(msg.sender.local),
                                                            names.name(msg.sender.domain)};
        const SendmailOutcome o =
            sendmail_after_failure(spec_, msg.arrival, now, msg.warnings > 0,
                                   sendmail_sender_gets_warnings(from, msg.bulk));
        Retry r;
        r.give_up = o == SendmailOutcome::Return;
        if (r.give_up)
            r.give_up_reason = {0, "4.4.7",
                                "Cannot send message for " + interval_words(spec_.queuereturn)};
        r.warn = o == SendmailOutcome::Warn;
        r.run_at = sendmail_next_queue_run(spec_, now, spec_.queue_phase);
        return r;
    }

    // sendmail-queue.md rule 3: within one queue run, a host that failed to
    // connect is not tried again; later messages for it are deferred with its
    // status (the run's host status cache, mci.c).
    void queue_run_started(SimTime) override { run_failures_.clear(); }
    bool skips(HostIndex server, const Message&, Attempt& a, SimTime) override {
        if (!a.queue_run) return false;
        const auto it = run_failures_.find(server);
        if (it == run_failures_.end()) return false;
        a.status = it->second;
        a.skipped_hosts.push_back(server);
        return true;
    }
    void host_failed(HostIndex server, const Attempt& a) override {
        if (a.queue_run) run_failures_.insert_or_assign(server, a.status);
    }

  private:
    const SendmailQueueSpec& spec_;
    const Directory& directory_;
    absl::flat_hash_map<HostIndex, Status> run_failures_;
};

}  // namespace

std::unique_ptr<RetryPolicy> make_sendmail_retry(const SendmailQueueSpec& spec,
                                                 const Directory& directory) {
    return std::make_unique<SendmailRetry>(spec, directory);
}

}  // namespace mxsim::model
