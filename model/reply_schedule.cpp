// reply_schedule.cpp - the first scripted reply that applies.
#include "model/reply_schedule.hpp"

#include <algorithm>

namespace mxsim::model {

ReplySchedule::ReplySchedule(const std::vector<ScheduledReply>& replies, Directory& directory) {
    for (const ScheduledReply& r : replies) {
        Entry e{r.command, Status{r.code, r.enhanced, r.text}, r.window, {}};
        for (const std::string& a : r.recipients)
            e.recipients.push_back(directory.intern(a));
        entries_.push_back(std::move(e));
    }
}

std::optional<Status> ReplySchedule::reply(SmtpCommand command, SimTime at,
                                           AddressRef recipient) const {
    for (const Entry& e : entries_) {
        if (e.command != command || at < e.window.from || at >= e.window.to) continue;
        if (!e.recipients.empty() &&
            std::find(e.recipients.begin(), e.recipients.end(), recipient) == e.recipients.end())
            continue;
        return e.reply;
    }
    return std::nullopt;
}

}  // namespace mxsim::model
