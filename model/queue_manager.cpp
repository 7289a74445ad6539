// queue_manager.cpp - destinations, windows, throttles and deferred-queue scans.
#include "model/queue_manager.hpp"

#include <algorithm>
#include <stdexcept>

#include "model/smtp_client.hpp"

namespace mxsim::model {

std::unique_ptr<RetryPolicy> make_postfix_retry(const PostfixQueueSpec& spec);
std::unique_ptr<RetryPolicy> make_exim_retry_hints(const EximQueueSpec& spec);
std::unique_ptr<RetryPolicy> make_sendmail_retry(const SendmailQueueSpec& spec,
                                                 const Directory& directory);

std::unique_ptr<RetryPolicy> make_retry_policy(const MtaSpec& spec, const Directory& directory) {
    switch (spec.flavor) {
        case MtaFlavor::Postfix:
            return make_postfix_retry(spec.postfix);
        case MtaFlavor::Exim:
            return make_exim_retry_hints(spec.exim);
        case MtaFlavor::Sendmail:
            return make_sendmail_retry(spec.sendmail, directory);
    }
    throw std::logic_error("unknown MTA flavor");
}

QueueManager::QueueManager(WorldContext& world, MailSteps& steps, SmtpClient& client,
                           HostIndex host, const MtaSpec& spec)
    : world_(world),
      steps_(steps),
      client_(client),
      host_(host),
      spec_(spec),
      retry_(make_retry_policy(spec, world.directory)) {}

// An in-core queue, made on demand with the initial window (qmgr_queue_create).
// A dead queue whose timer has run out is revived when next used, as
// qmgr_queue_unthrottle_wrapper() does when the timer fires.
QueueManager::Destination& QueueManager::destination(NameId domain) {
    Destination& dest = destinations_.try_emplace(domain, spec_.concurrency).first->second;
    revive_if_due(dest);
    return dest;
}

void QueueManager::revive_if_due(Destination& dest) {
    if (dest.dead() && dest.dead_until <= world_.sim.now()) revive(dest);
}

void QueueManager::revive(Destination& dest) {
    dest.window.revive(spec_.concurrency, dest.active);
    dest.dead_until = -1;
}

void QueueManager::submit(MessageId m) {
    const bool several = world_.messages[m].recipients > 1;
    if (!retry_->uses_destination_windows()) {
        // sendmail-queue.md rule 1, exim-queue.md rule 2: a new message is
        // tried at once in its own process; a queue run's one after another.
        const bool by_runner = runner_.starting == m;
        if (several && !by_runner) {  // its other recipients are coming in with it
            starting_together_.push_back(m);
            return wake_soon();
        }
        if (by_runner) runner_.current = m;
        const std::optional<HostIndex> open = by_runner ? runner_.connected : std::nullopt;
        // A message's recipients for one domain go in one transaction (Exim's
        // remote_smtp transport, Sendmail's envelope).
        const std::vector<MessageId> others =
            by_runner ? same_message(m, runner_.pending) : std::vector<MessageId>{};
        // The runner's session goes on: this is its next message over it.
        AttemptStart start{by_runner, open};
        if (open) start.messages_on_connection = runner_.messages_on_connection;
        return client_.begin(m, retry_.get(), start, others);
    }
    // qmgr_active.c: no more than qmgr_message_active_limit messages in the
    // active queue; the rest wait in the incoming (or deferred) queue.
    if (active_ >= spec_.active_limit) return incoming_.push_back(m);
    ++active_;
    const NameId domain = world_.messages[m].recipient.domain;
    Destination& dest = destination(domain);
    // postfix-queue.md rule 4: mail for a dead destination is deferred at once,
    // without a connection or a DNS lookup.
    if (dest.dead()) {
        leave_active();
        return defer(m, status::suspended(dest.dead_reason));
    }
    dest.waiting.push(m);
    // qmgr reads a message's whole recipient list into its entries before any
    // delivery starts (qmgr_message_alloc, qmgr_message_resolve): the others
    // come in with this one, so the slots are filled once they are all in.
    if (several) return fill_slots_soon(domain);
    pump(domain);
}

// Whether `other`, waiting next to `m`, goes in the same delivery: a recipient of
// the same message for the same domain, while fewer than
// default_destination_recipient_limit are taken (qmgr_message.c,
// qmgr_message_assign(): one entry per destination, split at the limit).
bool QueueManager::goes_with(MessageId m, MessageId other, std::size_t taken) const {
    const MessageStore& messages = world_.messages;
    return static_cast<int>(taken) + 1 < recipient_limit(spec_) &&
           messages.envelope(other) == messages.envelope(m) &&
           messages[other].recipient.domain == messages[m].recipient.domain &&
           !messages[other].frozen;
}

std::vector<MessageId> QueueManager::same_message(MessageId m, MessageFifo& waiting) const {
    std::vector<MessageId> others;
    if (world_.messages[m].recipients <= 1) return others;
    while (!waiting.empty() && goes_with(m, waiting.front(), others.size()))
        others.push_back(waiting.pop());
    return others;
}

std::vector<MessageId> QueueManager::same_message(MessageId m,
                                                  std::deque<MessageId>& waiting) const {
    std::vector<MessageId> others;
    if (world_.messages[m].recipients <= 1) return others;
    while (!waiting.empty() && goes_with(m, waiting.front(), others.size())) {
        others.push_back(waiting.front());
        waiting.pop_front();
    }
    return others;
}

// A delivery takes one of the transport's smtp(8) processes, and the cached
// session of an earlier delivery to the destination if one is idle.
void QueueManager::begin(MessageId m, Destination& dest) {
    ++dest.active;
    ++busy_;
    choose_caching(dest);
    AttemptStart start;
    start.store_connection = dest.conn_store;
    if (dest.conn_load)
        if (const auto c = take_connection(dest))
            start = {false, c->host, c->connected_at, c->messages, dest.conn_store};
    client_.begin(m, retry_.get(), start, same_message(m, dest.waiting));
}

// qmgr_entry_select(): on-demand session caching turns on once deliveries to
// the destination come back to back (one ended in this or the last second),
// and storing turns off when they neither overlap nor come back to back;
// cached sessions are still used then.
void QueueManager::choose_caching(Destination& dest) {
    if (!spec_.connection_cache.on_demand) return;
    const bool back_to_back = dest.last_done_s + 1 >= sim::whole_seconds(world_.sim.now());
    if (!dest.conn_store) {
        if (back_to_back) dest.conn_store = dest.conn_load = true;
    } else if (!(dest.active > 1 || back_to_back)) {
        dest.conn_store = false;
    }
}

// A session whose delivery was asked to store it is kept, idle up to
// smtp_connection_cache_time_limit, while it is younger than
// smtp_connection_reuse_time_limit and has been reused fewer than
// smtp_connection_reuse_count_limit times (smtp.h THIS_SESSION_IS_EXPIRED).
void QueueManager::cache_connection(Destination& dest, const Attempt& a) {
    const ConnectionCache& c = spec_.connection_cache;
    const SimTime now = world_.sim.now();
    if (!a.store_connection || !a.session_with) return;
    if (now - a.connected_at >= c.reuse_time_limit) return;
    const int reuses = a.messages_on_connection - 1;
    if (c.reuse_count_limit > 0 && reuses >= c.reuse_count_limit) return;
    dest.idle.push_back({*a.session_with, a.connected_at, now, a.messages_on_connection});
}

std::optional<QueueManager::CachedConnection> QueueManager::take_connection(Destination& dest) {
    const SimTime now = world_.sim.now();
    while (!dest.idle.empty()) {
        const CachedConnection c = dest.idle.back();
        dest.idle.pop_back();
        if (now - c.idle_since <= spec_.connection_cache.idle_limit) return c;
    }
    return std::nullopt;
}

// A message leaves the active queue (delivered, bounced or deferred): one
// from the incoming queue may come in.
void QueueManager::leave_active() {
    --active_;
    if (!incoming_.empty()) wake_soon();
}

void QueueManager::attempt_done(MessageId m, Attempt& a) {
    retry_->attempt_ended(world_.messages[m], a, world_.sim.now());
    if (!retry_->uses_destination_windows()) return runner_done(m, a);
    const auto it = destinations_.find(a.domain);
    if (it == destinations_.end()) throw std::logic_error("an attempt ended for no destination");
    Destination& dest = it->second;
    revive_if_due(dest);
    report(dest, a);
    --dest.active;
    --busy_;
    dest.last_done_s = sim::whole_seconds(world_.sim.now());  // qmgr_entry_done()
    cache_connection(dest, a);
    const bool waiting = !dest.waiting.empty();
    leave_active();
    steps_.taken_in(m, a);
    apply(m, a);
    apply_others(a);
    if (!blocked_.empty()) wake_soon();  // the freed process goes to a blocked destination
    if (waiting) return fill_slots_soon(a.domain);
    pump(a.domain);
}

bool QueueManager::holds_for_queue_run(MessageId m, int nth) {
    const SimTime now = world_.sim.now();
    const auto held = retry_->queue_only(nth, now);
    if (!held) return false;
    const Message& msg = world_.messages[m];
    world_.trace.step(m, msg, "queue", host_, std::nullopt, status::exim_queue_only(held->limit),
                      "queued", now);
    schedule_scan(held->run_at, m);
    return true;
}

void QueueManager::fail_accepted(MessageId m, const Status& why) {
    if (const auto thaw = retry_->freeze(world_.messages[m], world_.sim.now()))
        return freeze(m, why, *thaw);
    steps_.fail(m, why, false);
}

void QueueManager::keep_queued(MessageId m, const Status& why, bool expired, bool local) {
    const SimTime now = world_.sim.now();
    if (!expired && !local) return defer(m, why, nullptr);
    world_.trace.step(m, world_.messages[m], "queue", host_, std::nullopt, why, "deferred", now);
    // local(8) would answer the same each time: nothing changes the mailbox list.
    if (!local) schedule_scan(now + spec_.postfix.maximal_backoff_time, m);
}

// The attempt's outcome: the next hop has the message, or it fails (or an Exim
// bounce is frozen), or it waits in the deferred queue.
void QueueManager::apply(MessageId m, const Attempt& a) {
    switch (a.result) {
        case Attempt::Result::HandedOver:
            retry_->delivered_via(a.next_hop);
            world_.messages[m].discard = a.discard;
            steps_.hand_over(m, a.next_hop, a.messages_on_connection);
            break;
        case Attempt::Result::Bounce:
            fail_accepted(m, a.status);
            break;
        case Attempt::Result::Defer:
            defer(m, a.status, &a);
            break;
    }
}

// The further recipients of the delivery, each with its own outcome (one that
// never reached RCPT shares the first one's: smtp_trouble.c fails or defers every
// recipient of a session that failed).
void QueueManager::apply_others(const Attempt& a) {
    for (const Attempt::OtherRecipient& o : a.others) {
        if (retry_->uses_destination_windows()) leave_active();
        Attempt own = a;
        own.others.clear();
        if (o.answered) {
            own.result = o.result;
            own.status = o.status;
            own.next_hop = o.next_hop;
            own.rcpt_deferred = o.result == Attempt::Result::Defer;
        }
        apply(o.m, own);
    }
}

// An Exim or Sendmail attempt ended: the message goes its way, and the queue
// runner, if it was the runner's, moves on to its next message.
void QueueManager::runner_done(MessageId m, const Attempt& a) {
    const bool by_runner = runner_.current == m;
    if (by_runner) {
        runner_.current.reset();
        keep_runner_connection(a);
    }
    steps_.taken_in(m, a);
    apply(m, a);
    apply_others(a);
    if (by_runner) advance_runner();
}

// The runner keeps the session of an attempt that had one for the next
// message to that host (up to connection_max_messages); a failure to connect
// to the host it holds means the connection is gone.
void QueueManager::keep_runner_connection(const Attempt& a) {
    QueueRunner& r = runner_;
    const auto failed = [&](HostIndex h) {
        return std::find(a.failed_hosts.begin(), a.failed_hosts.end(), h) != a.failed_hosts.end();
    };
    if (r.connected && failed(*r.connected)) r.connected.reset();
    if (!a.session_with) return;
    r.messages_on_connection = r.connected == a.session_with ? r.messages_on_connection + 1 : 1;
    r.connected = a.session_with;
    const int limit = retry_->connection_max_messages();
    if (limit > 0 && r.messages_on_connection >= limit) r.connected.reset();
}

// The runner takes its next message; one that needs no attempt (cancelled,
// or delivered locally) does not hold it up.
void QueueManager::advance_runner() {
    while (!runner_.current && !runner_.pending.empty()) {
        const MessageId m = runner_.pending.front();
        runner_.pending.pop_front();
        runner_.starting = m;
        if (world_.messages[m].frozen)
            thaw(m);
        else
            steps_.start_delivery(m);
        runner_.starting.reset();
    }
    // The run is over: its process exits and closes its connection.
    if (!runner_.current && runner_.pending.empty()) runner_.connected.reset();
}

// qmgr_deliver_update(): a site failure (no MX connected, or none greeted) is
// negative feedback and may declare the destination dead; any other end, a
// 4xx or 5xx reply to RCPT included, is positive feedback, and revives a dead
// destination at once (postfix-queue.md rule 4). Only Postfix has this qmgr.
void QueueManager::report(Destination& dest, const Attempt& a) {
    const DestinationConcurrency& c = spec_.concurrency;
    const bool site_failure = a.result == Attempt::Result::Defer && a.connect_failures_only;
    if (!site_failure) {
        if (!dest.dead()) return dest.window.delivery_ok(c, dest.active);
        return revive(dest);
    }
    if (dest.dead()) return;
    if (dest.window.site_failed(c)) declare_dead(dest, a.status);
}

// qmgr_queue_throttle(): dead for minimal_backoff_time, and the mail waiting
// for it deferred at once (qmgr_defer_todo). Postfix timers run on whole
// seconds (events.c: event_present is time()), so a queue declared dead during
// second s is revived at s + minimal_backoff_time.
void QueueManager::declare_dead(Destination& dest, const Status& why) {
    dest.dead_until = (sim::whole_seconds(world_.sim.now()) +
                       sim::whole_seconds(spec_.postfix.minimal_backoff_time)) *
                      sim::kSecond;
    dest.dead_reason = why;
    dest.idle.clear();
    while (!dest.waiting.empty()) {
        leave_active();
        defer(dest.waiting.pop(), status::suspended(why));
    }
}

// qmgr gives a freed slot to waiting mail through its event loop (it asks
// for a delivery agent, qmgr_transport_alloc), so reports that arrive at the
// same moment are all read first: a burst to a dead destination makes the
// window's connections and no more.
void QueueManager::fill_slots_soon(NameId domain) {
    slots_freed_.push_back(domain);
    wake_soon();
}

void QueueManager::wake_soon() {
    if (slots_event_) return;
    slots_event_ = true;
    world_.sim.schedule_at(world_.sim.now(), kDeliverySlots, host_);
}

// The event: messages come into the active queue as room allows, then freed
// slots are filled.
void QueueManager::fill_slots() {
    slots_event_ = false;
    // Exim, Sendmail: the messages that came in with several recipients, each
    // delivered in one process, its recipients for one domain together.
    while (!starting_together_.empty()) {
        const MessageId m = starting_together_.front();
        starting_together_.pop_front();
        client_.begin(m, retry_.get(), {}, same_message(m, starting_together_));
    }
    while (!incoming_.empty() && active_ < spec_.active_limit) {
        const MessageId m = incoming_.front();
        incoming_.pop_front();
        submit(m);
    }
    std::vector<NameId> domains;
    domains.swap(slots_freed_);
    for (const NameId d : domains)
        pump(d);
    // Free processes go to the destinations waiting for one, in turn; one
    // that no longer needs a process (dead, or drained) is passed over.
    while (busy_ < spec_.process_limit && !blocked_.empty()) {
        const NameId next = blocked_.front();
        blocked_.pop_front();
        if (const auto it = destinations_.find(next); it != destinations_.end())
            it->second.blocked = false;
        pump(next);
    }
}

// Starts waiting mail as the window allows; an idle queue that is not dead is
// deleted (qmgr_queue_done), so its window and cohort count start afresh.
void QueueManager::pump(NameId domain) {
    const auto it = destinations_.find(domain);
    if (it == destinations_.end()) return;
    Destination& dest = it->second;
    revive_if_due(dest);
    while (!dest.dead() && !dest.waiting.empty() && dest.active < dest.window.window) {
        if (busy_ >= spec_.process_limit) {  // qmgr_transport: no smtp process free
            if (!dest.blocked) blocked_.push_back(domain);
            dest.blocked = true;
            break;
        }
        begin(dest.waiting.pop(), dest);
    }
    if (dest.active == 0 && dest.waiting.empty() && !dest.dead() && !dest.blocked)
        destinations_.erase(it);
}

void QueueManager::defer(MessageId m, const Status& why, const Attempt* attempt) {
    MessageStore& messages = world_.messages;
    messages[m].last_status = messages.remember(why);
    const Retry next = retry_->after_failure(messages[m], attempt, world_.sim.now());
    if (next.give_up)
        return steps_.fail(m,
                           next.give_up_reason.text.empty()
                               ? messages.status(messages[m].last_status)
                               : next.give_up_reason,
                           true);
    world_.trace.step(m, messages[m], "queue", host_, std::nullopt, why, "deferred",
                      world_.sim.now());
    if (next.warn) {
        if (messages[m].warnings < UINT8_MAX) ++messages[m].warnings;
        if (reports_to_sender(messages[m]))
            steps_.notify(m, Origin::DelayWarning, messages[m].sender, host_);
    }
    schedule_scan(next.run_at, m);
}

// The one scan event stays at the earliest pending run: a message deferred
// while a scan is running (its event already spent) must not book the next
// scan at its own, later time and strand entries due before it.
void QueueManager::schedule_scan(SimTime at, MessageId m) {
    runs_[at].push_back(m);
    const SimTime first = runs_.begin()->first;
    if (run_event_ && run_event_at_ <= first) return;
    if (run_event_) world_.sim.cancel(*run_event_);
    run_event_ = world_.sim.schedule_at(first, kQueueRun, host_);
    run_event_at_ = first;
}

void QueueManager::freeze(MessageId m, const Status& why, SimTime until) {
    MessageStore& messages = world_.messages;
    messages[m].frozen = true;
    messages[m].last_status = messages.remember(why);
    world_.trace.step(m, messages[m], "queue", host_, std::nullopt, why, "frozen",
                      world_.sim.now());
    schedule_scan(until, m);
}

// The queue run that looks at a frozen message again.
void QueueManager::thaw(MessageId m) {
    MessageStore& messages = world_.messages;
    messages[m].frozen = false;
    const SimTime now = world_.sim.now();
    if (retry_->cancels_frozen(messages[m], now))
        return steps_.fail(m, status::frozen_cancelled(), false);
    world_.trace.step(m, messages[m], "queue", host_, std::nullopt, status::unfrozen(), "thawed",
                      now);
    steps_.start_delivery(m);
}

// A deferred-queue scan: everything due by now starts again, in queue order.
// Messages deferred together stay in lock step (postfix-queue.md rule 5).
void QueueManager::scan() {
    run_event_.reset();
    std::vector<MessageId> due;
    while (!runs_.empty() && runs_.begin()->first <= world_.sim.now()) {
        due.insert(due.end(), runs_.begin()->second.begin(), runs_.begin()->second.end());
        runs_.erase(runs_.begin());
    }
    if (!retry_->uses_destination_windows()) {
        // One runner: a run that outlasts the interval takes the next run's
        // mail too, with what it has learnt (queue_run_max is not modelled).
        if (!runner_.current && runner_.pending.empty())
            retry_->queue_run_started(world_.sim.now());
        runner_.pending.insert(runner_.pending.end(), due.begin(), due.end());
        advance_runner();
    } else {
        for (const MessageId m : due)  // Postfix never freezes
            steps_.start_delivery(m);
    }
    if (!runs_.empty() && !run_event_) {
        run_event_ = world_.sim.schedule_at(runs_.begin()->first, kQueueRun, host_);
        run_event_at_ = runs_.begin()->first;
    }
}

}  // namespace mxsim::model
