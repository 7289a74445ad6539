// postfix_queue.cpp - backoff, expiry and scan-slot arithmetic of Postfix's qmgr.
#include "model/postfix_queue.hpp"

#include <algorithm>

namespace mxsim::model {

PostfixDeferral postfix_after_failure(const PostfixQueueSpec& q, std::int64_t arrival_s,
                                      std::int64_t end_s, bool null_sender, bool warned) {
    const SimTime lifetime = null_sender ? q.bounce_queue_lifetime : q.maximal_queue_lifetime;
    PostfixDeferral d;
    if (end_s >= arrival_s + sim::whole_seconds(lifetime)) {
        d.expired = true;
        return d;
    }
    const std::int64_t age = end_s - arrival_s;
    d.due_s = end_s + std::clamp(age, sim::whole_seconds(q.minimal_backoff_time),
                                 sim::whole_seconds(q.maximal_backoff_time));
    const std::int64_t warn_s = sim::whole_seconds(q.delay_warning_time);
    d.warn = warn_s > 0 && !warned && end_s >= arrival_s + warn_s - 1;
    return d;
}

std::int64_t postfix_scan_slot(const PostfixQueueSpec& q, std::int64_t due_s) {
    const std::int64_t period = sim::whole_seconds(q.queue_run_delay);
    const std::int64_t earliest = due_s - 1 - sim::whole_seconds(q.scan_phase);
    // ceil(earliest / period) for any sign
    const std::int64_t floor_div = earliest / period - (earliest % period < 0 ? 1 : 0);
    return earliest % period == 0 ? floor_div : floor_div + 1;
}

std::int64_t postfix_scan_time_s(const PostfixQueueSpec& q, std::int64_t slot) {
    return sim::whole_seconds(q.scan_phase) + slot * sim::whole_seconds(q.queue_run_delay);
}

}  // namespace mxsim::model
