// sendmail_queue.hpp - Sendmail's per-message queue timing: fixed queue runs, one delay
// warning, return after Timeout.queuereturn. Offers sendmail_after_failure() (envelope.c
// dropenvelope), sendmail_next_queue_run() and sendmail_failing_schedule() (a whole history).
#pragma once

#include <optional>
#include <vector>

#include "model/scenario.hpp"

namespace mxsim::model {

// Sources (see docs/queues-exim-sendmail.md): sendmail envelope.c dropenvelope() (8.12+, as in
// freebsd/freebsd-src contrib/sendmail/src/envelope.c), queue.c (queue runs), conf.c
// setdefaults(). Sendmail's clock is curtime(): whole seconds, so times are truncated to them.

// What dropenvelope() does after a delivery attempt left the message's recipient undelivered.
enum class SendmailOutcome {
    Keep,    // stays queued for the next queue run
    Warn,    // stays queued and a delay DSN goes now ("Warning: could not send message for past
             // 4 hours"); sent once per message (EF_WARNING is kept in the queue file)
    Return,  // returned now ("Cannot send message for 5 days", status 4.4.7) and dequeued
};

// After a failed attempt at `now` of a message created (queued) at `ctime`:
//  - Return when now >= ctime + queuereturn ("now >= e->e_ctime + to_q_return");
//  - else Warn when queuewarn > 0, now >= ctime + queuewarn, no warning went yet and the
//    sender gets warnings (sendmail_sender_gets_warnings);
//  - else Keep.
SendmailOutcome sendmail_after_failure(const SendmailQueueSpec& spec, SimTime ctime, SimTime now,
                                       bool warned, bool sender_gets_warnings = true);

// dropenvelope() sends no delay warning for the null sender "<>", for an address beginning
// "owner-" or ending "-request" (case-insensitive, on the whole address "local@domain", so a
// qualified list address never matches "-request"); nor for Precedence: bulk/junk/list mail
// (e_class < 0), which the caller passes as `bulk`.
bool sendmail_sender_gets_warnings(const Address& from, bool bulk = false);

// The first queue run strictly after `t`. The daemon (sendmail -bd -q15m) runs the queue at
// start-up and then every queue_interval: runs at phase + k * queue_interval, k = 0, 1, ...
// A run attempts every queued message (MinQueueAge, default 0, is not modelled).
SimTime sendmail_next_queue_run(const SendmailQueueSpec& spec, SimTime t, SimTime phase = 0);

// One message whose recipient always fails temporarily: tried on arrival (the default
// DeliveryMode=background delivers at once) and at every queue run after it, until returned.
struct SendmailHistory {
    std::vector<SimTime> attempts;     // arrival first, the returning attempt last
    std::optional<SimTime> warned_at;  // the attempt at which the delay warning went
    SimTime returned_at = 0;           // the attempt at which it was returned
};
SendmailHistory sendmail_failing_schedule(const SendmailQueueSpec& spec, SimTime arrival,
                                          SimTime phase = 0, bool sender_gets_warnings = true);

}  // namespace mxsim::model
