// accounting.hpp - the books of a run: every message in, every message out.
// Offers MtaFlows (per MTA: in = received + submitted + generated; out =
// delivered + relayed + bounced + expired + dropped; the rest is queued) and
// check_books(), which throws AccountingError when anything does not balance.
#pragma once

#include <array>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "model/message.hpp"

namespace mxsim::model {

struct MtaFlows {
    // in
    std::uint64_t received = 0;   // accepted over SMTP from another host
    std::uint64_t submitted = 0;  // handed in by the scenario's local users
    std::uint64_t generated = 0;  // DSNs and notices this MTA wrote
    // out
    std::uint64_t delivered = 0;  // into a local mailbox
    std::uint64_t relayed = 0;    // accepted by the next hop
    std::uint64_t bounced = 0;
    std::uint64_t expired = 0;
    std::uint64_t dropped = 0;
    std::uint64_t discarded = 0;  // accepted, then thrown away by policy
    // still held
    std::uint64_t queued = 0;
    std::uint64_t peak_queued = 0;

    std::uint64_t in() const { return received + submitted + generated; }
    std::uint64_t out() const {
        return delivered + relayed + bounced + expired + dropped + discarded;
    }
};

// Origin x fate counts over every message ever created.
using FateTable = std::array<std::array<std::uint64_t, kFateCount>, kOriginCount>;

class AccountingError : public std::logic_error {
  public:
    using std::logic_error::logic_error;
};

// Checks, for every host, in == out + queued, that the queued counts match the
// messages without a fate held there, and that the fate table matches the
// messages one by one (with `every_message_kept`; otherwise settled messages'
// slots were reused, and only the unsettled ones are recounted).
// `host_names` names hosts in the error message.
void check_books(const std::vector<Message>& messages, const std::vector<MtaFlows>& flows,
                 const FateTable& fates, const std::vector<std::string>& host_names,
                 bool every_message_kept = true);

}  // namespace mxsim::model
