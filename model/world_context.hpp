// world_context.hpp - what every part of the mail world shares: the kernel, the
// scenario, names, DNS, the network, the message store, metrics and trace.
// Offers WorldContext (references, owned by World), EventKind, and MailSteps:
// the hand-offs between parts (a part calls another only through these).
#pragma once

#include <cstdint>
#include <span>

#include "model/attempt.hpp"
#include "model/directory.hpp"
#include "model/dns.hpp"
#include "model/message.hpp"
#include "model/message_store.hpp"
#include "model/network.hpp"
#include "model/run_metrics.hpp"
#include "model/scenario.hpp"
#include "model/smtp_status.hpp"
#include "model/trace_log.hpp"
#include "sim/simulator.hpp"

namespace mxsim::model {

// The kernel events of the mail world; `target` says which object each concerns.
enum EventKind : std::uint32_t {
    kInject,         // target: index into traffic.messages
    kStreamNext,     // target: index into traffic.streams
    kAttemptDone,    // target: an attempt slot of SmtpClient; its SMTP session ends
    kQueueRun,       // target: host index; a deferred-queue scan / queue run
    kWormNext,       // target: index into traffic.worms
    kDeliverySlots,  // target: host index; its queue manager fills freed delivery slots
};

struct WorldOptions {
    std::uint64_t seed = 1;
    std::uint64_t replication = 0;
    bool trace = false;  // record TraceRecords (all messages, or only those marked "trace")
};

struct WorldContext {
    const Scenario& scenario;
    const WorldOptions& options;
    sim::Simulator& sim;
    Directory& directory;
    const DnsAuthority& dns;
    Network& network;
    MessageStore& messages;
    RunMetrics& metrics;
    TraceLog& trace;
};

// How a message moves from one part to the next; World implements it, so no
// part needs to know which other part takes the message on.
class MailSteps {
  public:
    // A new message at `owner` (its queue, or a queue-less client when `direct`);
    // with `envelope`, a further recipient of that message instead.
    virtual MessageId create(Origin origin, AddressRef sender, AddressRef recipient,
                             MessageId parent, HostIndex owner, std::int64_t size, bool direct,
                             Envelope envelope = kNewEnvelope) = 0;
    // The owner takes the message on: local delivery, its queue, or one attempt.
    virtual void start_delivery(MessageId m) = 0;
    // A hint, with no effect on results: `from` will soon send to `domain`, so
    // the lookups that delivery makes may be fetched into the CPU's caches.
    virtual void expect_delivery(HostIndex from, NameId domain) = 0;
    // A queue-less client sends `first` and `others` (recipients of the same
    // message, one domain) in one SMTP transaction.
    virtual void send_transaction(MessageId first, std::span<const MessageId> others) = 0;
    // The server of attempt `a` (for `first` and a.others) took in some of its
    // recipients at the end of DATA: those for one server become one message
    // there (a new envelope), counted once. Called before hand_over() for them.
    virtual void taken_in(MessageId first, const Attempt& a) = 0;
    // The next hop accepted the recipient, the `nth` message of its SMTP session.
    virtual void hand_over(MessageId m, HostIndex to, int nth = 1) = 0;
    // Delivery failed for good (or the queue lifetime is over): bounce and notify.
    virtual void fail(MessageId m, const Status& why, bool expired) = 0;
    // A notice about `about` (NDR, delay warning, postmaster copy, AV notice, auto-reply).
    virtual void notify(MessageId about, Origin origin, AddressRef to, HostIndex at,
                        AddressRef from = {}) = 0;

  protected:
    ~MailSteps() = default;
};

}  // namespace mxsim::model
