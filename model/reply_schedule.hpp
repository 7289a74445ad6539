// reply_schedule.hpp - a server's scripted replies (MtaSpec::replies), with
// their recipients interned, so that a recorded incident can be replayed:
// "450 4.7.1 try again later to every RCPT until 45 s, then accept".
// Offers ReplySchedule: reply() for a command at a time, for a recipient.
#pragma once

#include <optional>
#include <vector>

#include "model/directory.hpp"
#include "model/scenario.hpp"
#include "model/smtp_status.hpp"

namespace mxsim::model {

class ReplySchedule {
  public:
    ReplySchedule() = default;
    ReplySchedule(const std::vector<ScheduledReply>& replies, Directory& directory);

    bool empty() const { return entries_.empty(); }
    // The first entry for `command` whose window holds `at` and that lists
    // `recipient` (or lists none); nullopt: the server decides as usual.
    std::optional<Status> reply(SmtpCommand command, SimTime at, AddressRef recipient) const;

  private:
    struct Entry {
        SmtpCommand command;
        Status reply;
        TimeWindow window;
        std::vector<AddressRef> recipients;
    };
    std::vector<Entry> entries_;
};

}  // namespace mxsim::model
