// auto_reply.hpp - vacation auto-responders under the rules of RFC 3834 section 2.
// Offers may_auto_reply() (which delivered messages may be answered at all) and
// ReplyLog (at most one reply per sender per period, as vacation(1)'s database keeps).
#pragma once

#include <cstdint>
#include <map>
#include <utility>

#include "model/message.hpp"

namespace mxsim::model {

// RFC 3834 section 2: never answer the null reverse path <> ("MUST NOT
// generate any response for which the destination ... would be a null
// address"), nor a message that is itself automatic (Auto-Submitted other than
// "no": auto-replies, DSNs, antivirus notices) or bulk (Precedence: bulk).
bool may_auto_reply(const Message& msg);

// Who has been answered when, per responding mailbox (keys: domain << 32 | local).
class ReplyLog {
  public:
    // True, and remembered, when `mailbox` has not answered `sender` in the
    // `period` before `now` (RFC 3834 section 2: not "more than once within a
    // period of several days", 7 days recommended; vacation(1) -r).
    bool take(std::uint64_t mailbox, std::uint64_t sender, SimTime now, SimTime period);

  private:
    std::map<std::pair<std::uint64_t, std::uint64_t>, SimTime> last_;
};

}  // namespace mxsim::model
