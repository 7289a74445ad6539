// queue_manager.hpp - one MTA's queue manager: Postfix's qmgr (destinations
// with concurrency windows, dead destinations, process and active limits,
// the connection cache) or Exim's and Sendmail's queue runner, and the
// deferred queue taken by scans. Offers QueueManager: submit() a message,
// attempt_done() when an attempt ends, scan() at kQueueRun, fill_slots() at
// kDeliverySlots, fail_accepted(). What differs by flavor is its RetryPolicy.
#pragma once

#include <absl/container/node_hash_map.h>
#include <deque>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "model/destination_window.hpp"
#include "model/retry_policy.hpp"
#include "model/world_context.hpp"

namespace mxsim::model {

class SmtpClient;

// Messages waiting for a delivery slot, first in first out, in one vector.
class MessageFifo {
  public:
    bool empty() const { return head_ == items_.size(); }
    MessageId front() const { return items_[head_]; }
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
    void attempt_done(MessageId m, Attempt& a);
    // A deferred-queue scan (kQueueRun).
    void scan();
    // Delivery slots freed by ended attempts are given to waiting mail (kDeliverySlots).
    void fill_slots();
    // A message taken in fails at once (a loop found at delivery): bounced, or
    // for Exim a <> message frozen.
    void fail_accepted(MessageId m, const Status& why);
    // soft_bounce: a failure (`why` already made 4xx) becomes a deferral. Mail
    // for a remote destination is retried (an expired message after the longest
    // backoff); mail local(8) could not deliver stays queued.
    void keep_queued(MessageId m, const Status& why, bool expired, bool local);
    // A message taken in as the `nth` of its SMTP session that this MTA does not
    // deliver at once (Exim's smtp_accept_queue_per_connection) is booked for
    // its next queue run: true then.
    bool holds_for_queue_run(MessageId m, int nth);

  private:
    // A session smtp(8) keeps after a delivery, for the next to reuse.
    struct CachedConnection {
        HostIndex host;
        SimTime connected_at;
        SimTime idle_since;
        int messages;
    };
    // Postfix's per-destination queue (transport + next hop = recipient domain):
    // a concurrency window with its feedback, and the dead-site throttle
    // (qmgr_queue.c). Like qmgr's in-core queues it is deleted when idle and
    // alive (mail, a blocked turn or a dead timer keep it).
    struct Destination {
        explicit Destination(const DestinationConcurrency& c) : window(c) {}
        DestinationWindow window;
        int active = 0;
        SimTime dead_until = -1;  // throttled (declared dead) until then
        Status dead_reason;
        MessageFifo waiting;
        bool blocked = false;  // waits for an smtp process (default_process_limit)
        // qmgr's DEL_REQ_FLAG_CONN_STORE / _LOAD, and the last delivery's end.
        bool conn_store = false;
        bool conn_load = false;
        std::int64_t last_done_s = std::numeric_limits<std::int64_t>::min() / 2;
        std::vector<CachedConnection> idle;
        bool dead() const { return dead_until >= 0; }
    };
    Destination& destination(NameId domain);
    void revive_if_due(Destination& dest);
    void revive(Destination& dest);
    void choose_caching(Destination& dest);
    void keep_runner_connection(const Attempt& a);
    void begin(MessageId m, Destination& dest);
    bool goes_with(MessageId m, MessageId other, std::size_t taken) const;
    std::vector<MessageId> same_message(MessageId m, MessageFifo& waiting) const;
    std::vector<MessageId> same_message(MessageId m, std::deque<MessageId>& waiting) const;
    void apply_others(const Attempt& a);
    void defer(MessageId m, const Status& why, const Attempt* attempt = nullptr);
    void report(Destination& dest, const Attempt& a);
    void declare_dead(Destination& dest, const Status& why);
    void freeze(MessageId m, const Status& why, SimTime until);
    void thaw(MessageId m);
    void fill_slots_soon(NameId domain);
    void wake_soon();
    void leave_active();
    void cache_connection(Destination& dest, const Attempt& a);
    std::optional<CachedConnection> take_connection(Destination& dest);
    void pump(NameId domain);
    void schedule_scan(SimTime at, MessageId m);
    void apply(MessageId m, const Attempt& a);
    void advance_runner();
    void runner_done(MessageId m, const Attempt& a);

    WorldContext& world_;
    MailSteps& steps_;
    SmtpClient& client_;
    HostIndex host_;
    const MtaSpec& spec_;
    std::unique_ptr<RetryPolicy> retry_;
    // Exim's and Sendmail's queue runner: one process that takes the due
    // messages one after another, and keeps its connection to a host that
    // answered for the next message to it.
    struct QueueRunner {
        std::deque<MessageId> pending;
        std::optional<MessageId> starting;  // being handed to start_delivery()
        std::optional<MessageId> current;   // its attempt is under way
        std::optional<HostIndex> connected;
        int messages_on_connection = 0;
    };
    QueueRunner runner_;
    absl::node_hash_map<NameId, Destination> destinations_;
    std::vector<NameId> slots_freed_;  // destinations with slots to fill at kDeliverySlots
    bool slots_event_ = false;         // a kDeliverySlots event is pending
    int busy_ = 0;                     // deliveries under way: smtp processes in use
    std::deque<NameId> blocked_;       // destinations waiting for a process, in turn
    int active_ = 0;                   // messages in the active queue
    std::deque<MessageId> incoming_;   // waiting for room in the active queue
    // Exim, Sendmail: recipients of a message that came in together, started at
    // kDeliverySlots in one delivery (not one by one as they arrive).
    std::deque<MessageId> starting_together_;
    std::map<SimTime, std::vector<MessageId>> runs_;  // deferred mail by the run that takes it
    std::optional<sim::EventId> run_event_;
    SimTime run_event_at_ = 0;
};

}  // namespace mxsim::model
