// bounce.hpp - bounce(8) and friends: what an MTA does when delivery fails for
// good, and every notice it writes (NDR, delay warning, postmaster copy,
// antivirus notice, auto-reply), made in one place.
// Offers Bounce::fail() (the fate and the report) and Bounce::notify().
#pragma once

#include <vector>

#include "model/world_context.hpp"

namespace mxsim::model {

class Bounce {
  public:
    Bounce(WorldContext& world, MailSteps& steps);

    void fail(MessageId m, const Status& why, bool expired);
    // A notice about `about`, sent by the MTA `at` to `to`; `from` is its sender
    // (<> unless given: RFC 3464 / RFC 3834 section 3.3).
    void notify(MessageId about, Origin origin, AddressRef to, HostIndex at, AddressRef from);

  private:
    WorldContext& world_;
    MailSteps& steps_;
    std::vector<AddressRef> postmasters_;  // by host; where postmaster copies go
};

}  // namespace mxsim::model
