// auto_reply.cpp - which messages a vacation responder answers, and how often.
#include "model/auto_reply.hpp"

namespace mxsim::model {

bool may_auto_reply(const Message& msg) {
    if (msg.sender.is_null() || msg.bulk) return false;
    switch (msg.origin) {
        case Origin::Legit:
        case Origin::Worm:
        case Origin::Spam:
            return true;
        default:  // DSNs, notices and auto-replies carry Auto-Submitted
            return false;
    }
}

bool ReplyLog::take(std::uint64_t mailbox, std::uint64_t sender, SimTime now, SimTime period) {
    const auto [it, fresh] = last_.try_emplace({mailbox, sender}, now);
    if (fresh) return true;
    if (now - it->second < period) return false;
    it->second = now;
    return true;
}

}  // namespace mxsim::model
