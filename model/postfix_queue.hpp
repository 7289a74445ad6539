// postfix_queue.hpp - the arithmetic of Postfix's queue manager, rule for rule.
// Offers postfix_after_failure() (expire now, or the next due time) and
// postfix_scan_slot() (which deferred-queue scan picks a due message up).
// Source: shared/domain/postfix-queue.md, from Postfix 3.7 qmgr_active.c and
// qmgr.c; times are whole seconds as in Postfix.
#pragma once

#include <cstdint>

#include "model/scenario.hpp"

namespace mxsim::model {

struct PostfixDeferral {
    bool expired = false;    // the message is returned (or dropped) now
    std::int64_t due_s = 0;  // else: due at this whole second
    bool warn = false;       // a delay warning is due now (delay_warning_time)
};

// After a failed attempt ending at whole second `end_s` of a message that
// arrived at whole second `arrival_s` (qmgr_active_done_3_generic):
//  - expired if end_s >= arrival_s + L, L = bounce_queue_lifetime for a null
//    sender, else maximal_queue_lifetime; expiry is only noticed here;
//  - otherwise due at end_s + clamp(end_s - arrival_s, minimal_backoff_time,
//    maximal_backoff_time): the backoff is the message's age, not the last gap.
// A delay warning is due when delay_warning_time > 0, none was sent yet, and
// end_s >= arrival_s + delay_warning_time - 1.
PostfixDeferral postfix_after_failure(const PostfixQueueSpec& q, std::int64_t arrival_s,
                                      std::int64_t end_s, bool null_sender, bool warned);

// Deferred-queue scans run at phase + k * queue_run_delay and take every
// message whose due time is <= scan + 1 s (qmgr_scan: files up to one second
// in the future count as due). Returns the index k of the first scan that
// takes a message due at `due_s`.
std::int64_t postfix_scan_slot(const PostfixQueueSpec& q, std::int64_t due_s);
std::int64_t postfix_scan_time_s(const PostfixQueueSpec& q, std::int64_t slot);

}  // namespace mxsim::model
