// queue_manager.cpp - destinations, windows, throttles and deferred-queue scans.
#include "model/queue_manager.hpp"

#include <algorithm>

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

void QueueManager::submit(MessageId m) {
    const NameId domain = world_.messages[m].recipient.domain;
    auto [it, fresh] = destinations_.try_emplace(domain);
    Destination& dest = it->second;
    if (fresh) dest.window = spec_.initial_destination_concurrency;
    // postfix-queue.md rule 4: mail for a dead destination is deferred at once,
    // without a connection or a DNS lookup.
    if (dest.throttled_until > world_.sim.now())
        return defer(m, status::suspended(dest.throttle_reason));
    if (dest.active >= static_cast<int>(dest.window)) {
        dest.waiting.push(m);
        return;
    }
    begin(m, dest);
}

void QueueManager::begin(MessageId m, Destination& dest) {
    ++dest.active;
    client_.begin(m, retry_.get());
}

void QueueManager::attempt_done(MessageId m, Attempt a) {
    retry_->attempt_ended(world_.messages[m], a, world_.sim.now());
    Destination& dest = destinations_.at(a.domain);
    --dest.active;
    switch (a.result) {
        case Attempt::Result::HandedOver:
            // Postfix concurrency feedback: +1/window per success, up to the limit.
            dest.window = std::min<double>(spec_.destination_concurrency_limit,
                                           dest.window + 1.0 / dest.window);
            retry_->delivered_via(a.next_hop);
            world_.messages[m].discard = a.discard;
            steps_.hand_over(m, a.next_hop);
            break;
        case Attempt::Result::Bounce:
            steps_.fail(m, a.status, false);
            break;
        case Attempt::Result::Defer:
            // Postfix: a failure to connect (or to be greeted) throttles the
            // destination; a 4xx reply to RCPT does not (postfix-queue.md rule 4).
            if (a.connect_failures_only && retry_->throttles_dead_destinations())
                throttle(a.domain, a.status);
            defer(m, a.status, &a);
            break;
    }
    pump(a.domain);
}

void QueueManager::throttle(NameId domain, const Status& why) {
    Destination& dest = destinations_.at(domain);
    // qmgr_queue_throttle(): dead for minimal_backoff_time, window back to the
    // start. Postfix timers run on whole seconds (events.c: event_present is
    // time()), so a throttle set during second s lifts at s + minimal_backoff_time.
    dest.throttled_until = (sim::whole_seconds(world_.sim.now()) +
                            sim::whole_seconds(spec_.postfix.minimal_backoff_time)) *
                           sim::kSecond;
    dest.throttle_reason = why;
    dest.window = spec_.initial_destination_concurrency;
    while (!dest.waiting.empty())
        defer(dest.waiting.pop(), status::suspended(why));
}

// Starts waiting mail as the window allows; an idle queue that is not
// throttled is deleted (qmgr_queue_done), so its window starts afresh.
void QueueManager::pump(NameId domain) {
    const auto it = destinations_.find(domain);
    Destination& dest = it->second;
    while (!dest.waiting.empty() && dest.active < static_cast<int>(dest.window))
        begin(dest.waiting.pop(), dest);
    if (dest.active == 0 && dest.waiting.empty() && dest.throttled_until <= world_.sim.now())
        destinations_.erase(it);
}

void QueueManager::defer(MessageId m, const Status& why, const Attempt* attempt) {
    MessageStore& messages = world_.messages;
    messages[m].last_status = messages.remember(why);
    const Retry next = retry_->after_failure(messages[m], attempt, world_.sim.now());
    if (next.give_up) return steps_.fail(m, messages.status(messages[m].last_status), true);
    world_.trace.step(m, messages[m], "queue", host_, std::nullopt, why, "deferred",
                      world_.sim.now());
    if (next.warn) {
        messages[m].warned = true;
        if (!messages[m].sender.is_null())
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

// A deferred-queue scan: everything due by now starts again, in queue order.
// Messages deferred together stay in lock step (postfix-queue.md rule 5).
void QueueManager::scan() {
    run_event_.reset();
    std::vector<MessageId> due;
    while (!runs_.empty() && runs_.begin()->first <= world_.sim.now()) {
        due.insert(due.end(), runs_.begin()->second.begin(), runs_.begin()->second.end());
        runs_.erase(runs_.begin());
    }
    for (const MessageId m : due)
        steps_.start_delivery(m);
    if (!runs_.empty() && !run_event_) {
        run_event_ = world_.sim.schedule_at(runs_.begin()->first, kQueueRun, host_);
        run_event_at_ = runs_.begin()->first;
    }
}

}  // namespace mxsim::model
