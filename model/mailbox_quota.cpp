// mailbox_quota.cpp - the fill of mailboxes against their quota.
#include "model/mailbox_quota.hpp"

namespace mxsim::model {

std::int64_t MailboxFill::used(std::uint64_t mailbox) const {
    const auto it = used_.find(mailbox);
    return it == used_.end() ? 0 : it->second;
}

}  // namespace mxsim::model
