// local_delivery.hpp - local(8): delivery into the MTA's own mailboxes, with
// mailbox quotas (mailbox_size_limit), accept-and-discard, and vacation
// auto-replies. Offers LocalDelivery::deliver() and each host's quota fill.
#pragma once

#include <absl/container/flat_hash_map.h>
#include <absl/container/flat_hash_set.h>
#include <cstdint>
#include <vector>

#include "model/auto_reply.hpp"
#include "model/mailbox_quota.hpp"
#include "model/world_context.hpp"

namespace mxsim::model {

class LocalDelivery {
  public:
    LocalDelivery(WorldContext& world, MailSteps& steps);

    // The message has reached the MTA whose local domain its recipient is in.
    void deliver(MessageId m);
    const MailboxFill& quota_fill(HostIndex h) const { return quota_fill_[h]; }

  private:
    bool quota_bounces(MessageId m);
    void auto_reply(MessageId m);

    WorldContext& world_;
    MailSteps& steps_;
    std::vector<MailboxFill> quota_fill_;  // by host (MtaSpec::mailbox_quota)
    // Vacation responders: domain -> its spec; mailboxes that answer; who was answered.
    absl::flat_hash_map<NameId, const AutoReplySpec*> vacations_;
    absl::flat_hash_set<std::uint64_t> responders_;
    ReplyLog reply_log_;
};

}  // namespace mxsim::model
