// retry_policy.hpp - what differs between MTA flavors' queue managers: when a
// deferred message is tried again, and what the flavor remembers about hosts.
// Offers Retry, the RetryPolicy interface and make_retry_policy(): Postfix
// (postfix_retry.cpp), Exim (exim_retry_hints.cpp), Sendmail (sendmail_retry.cpp).
#pragma once

#include <memory>
#include <optional>

#include "model/attempt.hpp"
#include "model/directory.hpp"
#include "model/message.hpp"
#include "model/scenario.hpp"

namespace mxsim::model {

struct Retry {
    bool give_up = false;   // the queue lifetime is over: return the message now
    Status give_up_reason;  // with give_up, the flavor's words; empty text: the last failure
    bool warn = false;      // a delay warning is due now
    SimTime run_at = 0;     // else: the queue run that takes it again
};

class RetryPolicy {
  public:
    virtual ~RetryPolicy() = default;
    // After a failure (`attempt`, if the message was tried) at `now`.
    virtual Retry after_failure(const Message& msg, const Attempt* attempt, SimTime now) = 0;
    // Postfix's qmgr: per-destination concurrency windows and dead destinations.
    // Otherwise (Exim, Sendmail) every new message is tried at once in its own
    // process, and queue runs take deferred mail one message after another.
    virtual bool uses_destination_windows() const { return false; }
    // A queue run begins (Sendmail forgets the host status of the last one).
    virtual void queue_run_started(SimTime /*now*/) {}
    // Exim's address retry record: true when the address is not tried yet
    // ("retry time not reached"; `a` says so), after it was routed.
    virtual bool address_waits(const Message&, Attempt&, SimTime) { return false; }
    // Messages a queue runner may send down one connection (0: no limit).
    virtual int connection_max_messages() const { return 0; }
    // For a message received as the `n`th of its SMTP session that is not
    // delivered at once: the queue run that takes it, and the limit it passed;
    // nullopt: delivered at once.
    struct QueueOnly {
        SimTime run_at;
        int limit;
    };
    virtual std::optional<QueueOnly> queue_only(int /*n*/, SimTime /*now*/) const {
        return std::nullopt;
    }
    // The SMTP client's host loop asks before each host: true when `server` is
    // skipped (Exim: its retry time has not come; Sendmail: it failed earlier
    // in this queue run).
    virtual bool skips(HostIndex /*server*/, const Message&, Attempt&, SimTime) { return false; }
    // `server` just failed to connect or greet; `a.status` says how.
    virtual void host_failed(HostIndex /*server*/, const Attempt&) {}
    // Every host was skipped.
    virtual void no_host_tried(Attempt&) {}
    // At the end of an attempt, whatever became of the message.
    virtual void attempt_ended(const Message&, Attempt&, SimTime) {}
    // The next hop took the message.
    virtual void delivered_via(HostIndex /*next_hop*/) {}
    // Exim freezes a bounce that failed for good (deliver.c, post_process_one):
    // the queue run that looks at it again, or nullopt when it fails now.
    virtual std::optional<SimTime> freeze(const Message&, SimTime /*now*/) { return std::nullopt; }
    // At that run: cancel it (timeout_frozen_after) rather than thaw it.
    virtual bool cancels_frozen(const Message&, SimTime /*now*/) { return false; }
};

std::unique_ptr<RetryPolicy> make_retry_policy(const MtaSpec& spec, const Directory& directory);

}  // namespace mxsim::model
