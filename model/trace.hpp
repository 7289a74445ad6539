// trace.hpp - the readable record of what happened to traced messages.
// Offers TraceRecord: one SMTP step or queue decision (see docs/results-format.md).
#pragma once

#include <cstdint>
#include <string>

#include "model/message.hpp"

namespace mxsim::model {

struct TraceRecord {
    SimTime t = 0;
    MessageId msg = kNoMessage;
    MessageId parent = kNoMessage;
    std::string from;      // host name of the acting side (client, or the queue's MTA)
    std::string to;        // host name of the other side, or "" for a local step
    std::string stage;     // dns | connect | mail | rcpt | data | queue
    int code = 0;          // SMTP reply code, 0 when none was exchanged
    std::string enhanced;  // RFC 3463 status
    std::string action;  // accepted | rejected | deferred | relayed | delivered | bounced | expired
                         // | dropped
    std::string reason;
};

}  // namespace mxsim::model
