// destination_window.hpp - Postfix qmgr's concurrency window for one destination
// (qmgr_queue.c): slow start, positive and negative feedback with hysteresis,
// and the failed pseudo-cohort count that declares a destination dead.
// Offers DestinationWindow and the three reports that change it.
#pragma once

#include "model/scenario.hpp"

namespace mxsim::model {

struct DestinationWindow {
    int window = 5;      // deliveries that may run at once (qmgr's queue->window)
    double success = 0;  // accumulated positive feedback
    double failure = 0;  // accumulated negative feedback
    double fail_cohorts = 0;

    explicit DestinationWindow(const DestinationConcurrency& c) : window(c.initial) {}

    // qmgr_queue_unthrottle() on a live queue: a delivery ended without a site
    // problem (delivered, bounced, or deferred by a reply to RCPT). `busy`
    // counts the deliveries in progress, the one just ended included.
    void delivery_ok(const DestinationConcurrency& c, int busy);
    // qmgr_queue_throttle() on a live queue: no connection or no greeting.
    // True when the queue is now dead (fail_cohorts reached the limit).
    bool site_failed(const DestinationConcurrency& c);
    // qmgr_queue_unthrottle() of a dead queue, by its timer or by a delivery
    // that succeeded after all: "best concurrency is anyone's guess".
    void revive(const DestinationConcurrency& c, int busy);
};

// QMGR_FEEDBACK_VAL(): the feedback at this window.
double feedback_at(const ConcurrencyFeedback& f, int window);

}  // namespace mxsim::model
