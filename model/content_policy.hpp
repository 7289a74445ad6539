// content_policy.hpp - what a receiving MTA decides once it has the whole message:
// smtpd_data_restrictions and a virus scanner (a milter, or amavisd-new).
// Offers data_refusal() (the refusal at DATA, if any) and after_queue() (deliver,
// discard, or discard and notify the sender), pure functions of the MTA's spec.
#pragma once

#include <optional>
#include <string_view>

#include "model/message.hpp"
#include "model/scenario.hpp"
#include "model/smtp_status.hpp"

namespace mxsim::model {

struct DataRefusal {
    Status reply;
    std::string_view command;  // what it answers: "DATA" or "end of DATA"
};

// The reply that refuses `msg` at DATA, or nullopt when the server takes it.
std::optional<DataRefusal> data_refusal(const MtaSpec& spec, const Message& msg);

enum class AfterQueue {
    Deliver,
    Discard,           // the scanner drops the virus (amavisd-new D_DISCARD)
    DiscardAndNotify,  // ... and tells the envelope sender ($warnvirussender)
};

// What the receiving MTA's content filter does with an accepted message.
AfterQueue after_queue(const MtaSpec& spec, const Message& msg);

}  // namespace mxsim::model
