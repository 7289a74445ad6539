// mailbox_quota.hpp - how full each mailbox is, against a quota in bytes.
// Offers MailboxFill: the bytes deliveries put in each mailbox (nothing drains
// them) and whether one more message fits.
#pragma once

#include <absl/container/flat_hash_map.h>
#include <cstdint>

namespace mxsim::model {

class MailboxFill {
  public:
    // Bytes in `mailbox` (domain << 32 | local).
    std::int64_t used(std::uint64_t mailbox) const;
    // Postfix mailbox_size_limit and Dovecot quota: the message fits when the
    // mailbox does not grow beyond the quota.
    bool fits(std::uint64_t mailbox, std::int64_t size, std::int64_t quota) const {
        return used(mailbox) + size <= quota;
    }
    void add(std::uint64_t mailbox, std::int64_t size) { used_[mailbox] += size; }

  private:
    absl::flat_hash_map<std::uint64_t, std::int64_t> used_;
};

}  // namespace mxsim::model
