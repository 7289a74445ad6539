// destination_window.cpp - qmgr_queue_unthrottle() and qmgr_queue_throttle(),
// line by line (Postfix src/qmgr/qmgr_queue.c); hysteresis is 1 as in
// qmgr_feedback_init().
#include "model/destination_window.hpp"

namespace mxsim::model {

double feedback_at(const ConcurrencyFeedback& f, int window) {
    return f.per_window ? f.base / window : f.base;
}

void DestinationWindow::delivery_ok(const DestinationConcurrency& c, int busy) {
    // The negative hysteresis cycle restarts only at a positive adjustment.
    fail_cohorts = 0;
    if (c.limit != 0 && c.limit <= window) return;
    // Keep the window within reach of the real concurrency, or negative
    // feedback would be ineffective.
    if (window >= busy + c.initial) return;
    const double fb = feedback_at(c.positive, window);
    success += fb;
    while (success + fb / 2 >= 1) {  // "prepare for overshoot"
        window += 1;
        success -= 1;
        failure = 0;
    }
    if (c.limit > 0 && window > c.limit) window = c.limit;
}

bool DestinationWindow::site_failed(const DestinationConcurrency& c) {
    fail_cohorts += 1.0 / window;
    if (c.failed_cohort_limit > 0 && fail_cohorts >= c.failed_cohort_limit) return true;
    // Based on the window, not the actual concurrency; the cycle goes on at 1
    // so that negative feedback can cancel positive feedback.
    const double fb = feedback_at(c.negative, window);
    failure -= fb;
    while (failure - fb / 2 < 0) {
        window -= 1;
        success = 0;
        failure += 1;
    }
    if (window < 1) window = 1;
    return false;
}

void DestinationWindow::revive(const DestinationConcurrency& c, int busy) {
    fail_cohorts = 0;
    window = busy > 0 ? busy : c.initial;
    success = failure = 0;
}

}  // namespace mxsim::model
