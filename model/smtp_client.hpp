// smtp_client.hpp - smtp(8): routing (transport_maps, MX lookup through the
// host's resolver cache, preference order, smtp_truncate_self) and the attempt,
// the whole SMTP dialogue worked out when it starts and applied when it ends.
// Offers SmtpClient: begin() an attempt, finish() it at kAttemptDone, and
// probe() for address verification (the receiving side's RecipientProber).
#pragma once

#include <absl/container/flat_hash_map.h>
#include <memory>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "model/attempt.hpp"
#include "model/retry_policy.hpp"
#include "model/smtpd.hpp"
#include "model/world_context.hpp"
#include "sim/random_stream.hpp"

namespace mxsim::model {

class SmtpClient final : public RecipientProber {
  public:
    SmtpClient(WorldContext& world, Smtpd& smtpd);

    // Starts an attempt for `m` from its owner; `hints` is the owner's retry
    // policy (Exim and Sendmail skip hosts by it), nullptr for a client without a queue.
    // `others`: further recipients of the same message for the same domain, sent in
    // the same transaction (a spammer's RCPTs); Attempt::others holds their outcomes.
    void begin(MessageId m, RetryPolicy* hints, const AttemptStart& start = {},
               std::span<const MessageId> others = {});
    // The attempt in `slot` ends: its message and outcome; the server's session
    // closes. The outcome stays in the slot until release(slot).
    struct Finished {
        MessageId m;
        Attempt& attempt;
    };
    Finished finish(std::uint32_t slot);
    void release(std::uint32_t slot);

    ProbeResult probe(HostIndex from, const Message& msg, SimTime at, int depth) override;
    // `from` will soon route mail to `domain`: its resolver's entry and the
    // authority's are fetched into the CPU's caches (no effect on results).
    void expect(HostIndex from, NameId domain) const;

  private:
    struct ClientState {
        ResolverCache dns;
        // Equal-preference MX order (smtp_randomize_addresses): made on first
        // use (a stream's draws depend only on its name), as most hosts never
        // shuffle; held apart (2.5 KiB) so that the states of all hosts stay small.
        std::unique_ptr<sim::RandomStream> shuffle;
        absl::flat_hash_map<NameId, HostIndex> next_hops;  // transport_maps for relay domains
    };
    // Works the attempt out into `a` (a fresh Attempt).
    void attempt(Attempt& a, MessageId m, RetryPolicy* hints, const AttemptStart& start,
                 std::span<const MessageId> others);
    SimTime answer_others(HostIndex server, const Message& msg, SimTime at, const RcptAnswer& first,
                          Attempt& a);
    void others_at_data(HostIndex server, const std::optional<struct DataRefusal>& refusal,
                        Attempt& a, SimTime at);
    Status busy_server(HostIndex server, std::string_view name) const;
    Status unroutable(MtaFlavor flavor, NameId domain, Status postfix) const;
    // `at` is when the step happens: an attempt is worked out when it starts,
    // but its later steps see the world as it is at their own time.
    HostList route(NameId domain, HostIndex from, Attempt& a, SimTime at);
    sim::RandomStream& shuffle_stream(HostIndex host);
    void refused_at_data(Attempt& a, MessageId m, HostIndex server, SimTime rtt, const Status& rcpt,
                         const struct DataRefusal& refusal);
    void trace(MessageId m, std::string_view stage, HostIndex from, std::optional<HostIndex> to,
               const Status& st, std::string_view action, SimTime at);

    WorldContext& world_;
    Smtpd& smtpd_;
    std::vector<ClientState> clients_;  // by host
    // Attempts in progress, by slot (the kAttemptDone event's target); free slots are reused.
    std::vector<std::pair<MessageId, std::unique_ptr<Attempt>>> in_flight_;
    std::vector<std::uint32_t> free_slots_;
};

}  // namespace mxsim::model
