// bounce.hpp - bounce(8) and friends: what an MTA does when delivery fails for
// good, and every notice it writes (NDR, delay warning, postmaster notices,
// antivirus notice, auto-reply), made in one place.
// Offers Bounce::fail() (the fate and the report) and Bounce::notify().
#pragma once

#include <vector>

#include "model/world_context.hpp"

namespace mxsim::model {

// Who tells the postmaster about bounces, per MTA and flavor.
struct PostmasterNotices {
    bool copy_bounces = false;  // a copy (headers only) of every bounce
    AddressRef copy_to;
    bool report_failed_bounces = false;  // a failed bounce goes to the postmaster, else dropped
    AddressRef failed_bounce_to;
    AddressRef from;  // Postfix: double-bounce@$myhostname; Sendmail: <>
};

class Bounce {
  public:
    Bounce(WorldContext& world, MailSteps& steps);

    // A recipient failed for good: its fate, and its report to the sender. The
    // failed recipients of one multi-recipient message are reported together,
    // in one NDR, by flush().
    void fail(MessageId m, const Status& why, bool expired);
    // Writes the NDRs of this event's failures (World calls it after every event).
    void flush();
    // A notice about `about`, sent by the MTA `at` to `to`; `from` is its sender
    // (<> unless given: RFC 3464 / RFC 3834 section 3.3).
    void notify(MessageId about, Origin origin, AddressRef to, HostIndex at, AddressRef from);

  private:
    // An NDR to write at the end of the event: one per message (envelope) and MTA.
    struct PendingReport {
        Envelope envelope;
        HostIndex at;
        MessageId first;  // the first recipient that failed: what the NDR is about
        std::uint64_t recipients = 0;
    };
    void report(MessageId about, HostIndex at, std::uint64_t recipients);
    void drop(MessageId m, const Message& msg, const Status& why, bool expired);
    void send(MessageId about, Origin origin, AddressRef to, HostIndex at, AddressRef from,
              std::int64_t size);

    WorldContext& world_;
    MailSteps& steps_;
    std::vector<PostmasterNotices> postmaster_;  // by host
    std::vector<PendingReport> pending_;         // this event's, in order of failure
};

}  // namespace mxsim::model
