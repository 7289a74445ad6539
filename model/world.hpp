// world.hpp - the mail world of one run, composed of its parts: traffic sources,
// each MTA's receiving side (smtpd), queue manager, SMTP client, bounce and
// local delivery, with metrics and trace fed as the parts act.
// Offers World: built from a Scenario, run() simulates it to the end and returns
// RunResults (books checked); trace() holds the steps of traced messages.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "model/bounce.hpp"
#include "model/directory.hpp"
#include "model/dns.hpp"
#include "model/local_delivery.hpp"
#include "model/message_store.hpp"
#include "model/network.hpp"
#include "model/queue_manager.hpp"
#include "model/run_metrics.hpp"
#include "model/run_results.hpp"
#include "model/scenario.hpp"
#include "model/smtp_client.hpp"
#include "model/smtpd.hpp"
#include "model/trace_log.hpp"
#include "model/traffic.hpp"
#include "model/world_context.hpp"
#include "sim/simulator.hpp"

namespace mxsim::model {

class World final : private MailSteps {
  public:
    // `scenario` must outlive the World.
    World(const Scenario& scenario, const WorldOptions& options);
    World(const World&) = delete;
    World& operator=(const World&) = delete;

    // Simulates to the scenario's end; throws AccountingError if the books fail.
    RunResults run();

    const std::vector<TraceRecord>& trace() const { return trace_.records(); }
    const Directory& directory() const { return directory_; }
    void set_progress_hook(sim::ProgressHook hook, double interval_wall_seconds) {
        sim_.set_progress_hook(std::move(hook), interval_wall_seconds);
    }
    // Every message of the run, by id; kept only by a traced world (otherwise
    // settled messages' slots are reused), so this throws std::logic_error then.
    const std::vector<Message>& messages() const;
    // Messages created so far, and the most alive at once (queued or in a session).
    std::uint64_t messages_created() const { return messages_.created(); }
    std::uint64_t peak_live_messages() const { return messages_.peak_live(); }
    // "local@domain" of an interned address ("" for the null reverse path).
    std::string address_text(AddressRef a) const { return directory_.address(a); }

    // Kernel dispatch (called by Simulator::run_until).
    void operator()(const sim::Event& e);

  private:
    // MailSteps: how a message moves from one part to the next.
    MessageId create(Origin origin, AddressRef sender, AddressRef recipient, MessageId parent,
                     HostIndex owner, std::int64_t size, bool direct, Envelope envelope) override;
    void start_delivery(MessageId m) override;
    void expect_delivery(HostIndex from, NameId domain) override;
    void send_transaction(MessageId first, std::span<const MessageId> others) override;
    void taken_in(MessageId first, const Attempt& a) override;
    void hand_over(MessageId m, HostIndex to, int nth) override;
    void fail(MessageId m, const Status& why, bool expired) override;
    void notify(MessageId about, Origin origin, AddressRef to, HostIndex at,
                AddressRef from) override;

    void finish_attempt(std::uint32_t slot);
    void apply_attempt(MessageId m, Attempt& a);  // its owner's queue, or a direct client's books
    void finish_direct(MessageId m, Attempt::Result result, const Status& why, HostIndex to);
    bool filter_content(MessageId m);  // true: the receiving MTA's scanner took it

    const Scenario& scenario_;
    WorldOptions options_;
    sim::Simulator sim_;
    NameTable names_;
    DnsAuthority dns_;
    Directory directory_;
    Network network_;
    RunMetrics metrics_;
    TraceLog trace_;
    MessageStore messages_;
    WorldContext context_;
    LocalDelivery local_;
    Smtpd smtpd_;
    SmtpClient client_;
    Bounce bounce_;
    std::vector<std::unique_ptr<QueueManager>> qmgrs_;  // by host; nullptr: no MTA
    TrafficSources traffic_;
};

}  // namespace mxsim::model
