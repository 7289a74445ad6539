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

    void fail(MessageId m, const Status& why, bool expired);
    // A notice about `about`, sent by the MTA `at` to `to`; `from` is its sender
    // (<> unless given: RFC 3464 / RFC 3834 section 3.3).
    void notify(MessageId about, Origin origin, AddressRef to, HostIndex at, AddressRef from);

  private:
    void drop(MessageId m, const Message& msg, const Status& why, bool expired);
    void send(MessageId about, Origin origin, AddressRef to, HostIndex at, AddressRef from,
              std::int64_t size);

    WorldContext& world_;
    MailSteps& steps_;
    std::vector<PostmasterNotices> postmaster_;  // by host
};

}  // namespace mxsim::model
