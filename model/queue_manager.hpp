// queue_manager.hpp - one MTA's queue manager (Postfix's qmgr, and the same
// shape for Exim and Sendmail): per-destination queues with a concurrency
// window and the dead-site throttle, and the deferred queue taken by scans.
// Offers QueueManager: submit() a message, attempt_done() when an attempt
// ends, scan() at the queue-run event. What differs by flavor is its RetryPolicy.
#pragma once

#include <absl/container/node_hash_map.h>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "model/retry_policy.hpp"
#include "model/world_context.hpp"

namespace mxsim::model {

class SmtpClient;

// Messages waiting for a delivery slot, first in first out, in one vector.
class MessageFifo {
  public:
    bool empty() const { return head_ == items_.size(); }
    void push(MessageId m) { items_.push_back(m); }
    MessageId pop() {
        const MessageId m = items_[head_++];
        if (empty()) items_.clear(), head_ = 0;
        return m;
    }

  private:
    std::vector<MessageId> items_;
    std::size_t head_ = 0;
};

class QueueManager {
  public:
    QueueManager(WorldContext& world, MailSteps& steps, SmtpClient& client, HostIndex host,
                 const MtaSpec& spec);

    // A message for a remote domain enters the active queue.
    void submit(MessageId m);
    void attempt_done(MessageId m, Attempt a);
    // A deferred-queue scan (kQueueRun).
    void scan();

  private:
    // Postfix's per-destination queue (transport + next hop = recipient domain):
    // a concurrency window, and the dead-site throttle (qmgr_queue.c). Like
    // qmgr's in-core queues it exists only while it has mail or is throttled.
    struct Destination {
        double window = 5;
        int active = 0;
        SimTime throttled_until = -1;
        Status throttle_reason;
        MessageFifo waiting;
    };
    void begin(MessageId m, Destination& dest);
    void defer(MessageId m, const Status& why, const Attempt* attempt = nullptr);
    void throttle(NameId domain, const Status& why);
    void pump(NameId domain);
    void schedule_scan(SimTime at, MessageId m);

    WorldContext& world_;
    MailSteps& steps_;
    SmtpClient& client_;
    HostIndex host_;
    const MtaSpec& spec_;
    std::unique_ptr<RetryPolicy> retry_;
    absl::node_hash_map<NameId, Destination> destinations_;
    std::map<SimTime, std::vector<MessageId>> runs_;  // deferred mail by the run that takes it
    std::optional<sim::EventId> run_event_;
    SimTime run_event_at_ = 0;
};

}  // namespace mxsim::model
