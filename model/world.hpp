// world.hpp - the mail world of one run: hosts, MTAs, DNS, traffic, on the kernel.
// Offers World: built from a Scenario, run() simulates it to the end and returns
// RunResults (books checked); trace() holds the steps of traced messages.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "model/accounting.hpp"
#include "model/auto_reply.hpp"
#include "model/dns.hpp"
#include "model/host_list.hpp"
#include "model/message.hpp"
#include "model/network.hpp"
#include "model/run_results.hpp"
#include "model/scenario.hpp"
#include "model/smtp_status.hpp"
#include "model/trace.hpp"
#include "sim/quantiles.hpp"
#include "sim/random_stream.hpp"
#include "sim/simulator.hpp"
#include "sim/time_series.hpp"

namespace mxsim::model {

struct WormState;    // world_parts.hpp
struct DataRefusal;  // content_policy.hpp

struct WorldOptions {
    std::uint64_t seed = 1;
    std::uint64_t replication = 0;
    bool trace = false;  // record TraceRecords (all messages, or only those marked "trace")
};

class World {
  public:
    World(const Scenario& scenario, const WorldOptions& options);
    ~World();
    World(const World&) = delete;
    World& operator=(const World&) = delete;

    // Simulates to the scenario's end; throws AccountingError if the books fail.
    RunResults run();

    const std::vector<TraceRecord>& trace() const { return trace_; }
    void set_progress_hook(sim::ProgressHook hook, double interval_wall_seconds) {
        sim_.set_progress_hook(std::move(hook), interval_wall_seconds);
    }
    // Every message of the run, by id; kept only by a traced world (otherwise
    // settled messages' slots are reused), so this throws std::logic_error then.
    const std::vector<Message>& messages() const;
    // Messages created so far, and the most alive at once (queued or in a session).
    std::uint64_t messages_created() const { return created_; }
    std::uint64_t peak_live_messages() const { return peak_live_; }
    // "local@domain" of an interned address ("" for the null reverse path).
    std::string address_text(AddressRef a) const { return address(a); }

    // Kernel dispatch (called by Simulator::run_until).
    void operator()(const sim::Event& e);

  private:
    struct Destination;
    struct Host;
    struct Attempt;

    // set-up
    void build_hosts();
    void build_policies();
    void schedule_traffic();
    // traffic
    void inject(const MessageSpec& spec);
    void next_of_stream(std::uint32_t stream);
    void next_of_worm(std::uint32_t worm, bool send);
    AddressRef pick(const std::vector<Address>& list, sim::RandomStream& rng);
    std::vector<AddressRef> all_mailboxes() const;
    MessageId create(Origin origin, AddressRef sender, AddressRef recipient, MessageId parent,
                     HostIndex owner, std::int64_t size, bool direct);
    // the queue manager
    void start_delivery(MessageId m);
    void deliver_locally(MessageId m);
    void begin_attempt(MessageId m, Destination* dest);  // nullptr: a queue-less client
    void finish_attempt(std::uint32_t slot);
    void hand_over(MessageId m, HostIndex to);
    bool filter_content(MessageId m);  // true: the receiving MTA's scanner took it
    bool quota_bounces(MessageId m);   // true: local delivery found the mailbox full
    void auto_reply(MessageId m);
    void defer(MessageId m, const Status& why, const Attempt* attempt = nullptr);
    struct Retry {
        bool give_up = false;  // the queue lifetime is over: return the message now
        bool warn = false;     // a delay warning is due now
        SimTime run_at = 0;    // else: the queue run that takes it again
    };
    // Per MTA flavor (retry_schedule.cpp); `attempt` is the failed attempt, if any.
    Retry next_retry(MessageId m, const Attempt* attempt);
    Retry exim_retry(Host& h, const Message& msg, const Attempt* attempt);
    bool exim_update_hints(Host& h, const Message& msg, const Attempt& a);
    bool exim_skips(Host& client, HostIndex server, const Message& msg, Attempt& a);
    void exim_no_host_tried(Attempt& a);
    void throttle(Host& host, NameId domain, const Status& why);
    void pump(Host& host, NameId domain);
    void queue_run(HostIndex host);
    void schedule_run(HostIndex host, SimTime at, MessageId m);
    // the SMTP client and server
    Attempt attempt(MessageId m);
    // `at` is when the step happens: an attempt is worked out when it starts,
    // but its later steps see the world as it is at their own time.
    HostList route(NameId domain, Host& from, Attempt& a, SimTime at);
    Status rcpt_reply(Host& server, HostIndex client, const Message& msg, SimTime at,
                      SimTime& extra, int depth, bool* discard = nullptr);
    std::optional<Status> over_rate_limit(Host& server, const Message& msg, SimTime at,
                                          bool* discard);
    bool take_token(Host& server, std::uint64_t key, const MailboxRateLimit& limit, SimTime at);
    bool exim_rate_over(Host& server, std::uint64_t key, const MailboxRateLimit& limit, SimTime at);
    std::optional<Status> quota_reply(Host& server, const Message& msg) const;
    Attempt refused_at_data(MessageId m, Attempt a, HostIndex server, SimTime rtt,
                            const Status& rcpt, const DataRefusal& refusal);
    std::optional<Status> greylisted(Host& server, HostIndex client, const Message& msg,
                                     SimTime at);
    bool spf_fails(HostIndex client, const Message& msg) const;
    bool batv_refuses(const Message& msg) const;
    Status verify_recipient(Host& server, const Message& msg, SimTime at, SimTime& extra,
                            int depth);
    // bounces and fates
    void fail(MessageId m, const Status& why, bool expired);
    // Every notice about a message (NDR, delay warning, postmaster copy, antivirus
    // notice, auto-reply) is written here; `from` is its sender, <> unless given.
    void send_dsn(MessageId about, Origin origin, AddressRef to, HostIndex at,
                  AddressRef from = {});
    void settle(MessageId m, Fate fate);
    void count_backscatter(const Message& notice);
    void record(MessageId m, std::string_view stage, HostIndex from, std::optional<HostIndex> to,
                const Status& st, std::string_view action, SimTime at);
    AddressRef intern(const Address& a);
    HostIndex host_named(const std::string& name) const;
    std::uint32_t remember(const Status& st);
    std::string address(AddressRef a) const;
    bool mailbox_exists(AddressRef a) const;

    const Scenario& scenario_;
    WorldOptions options_;
    sim::Simulator sim_;
    NameTable names_;
    NameId postmaster_local_ = 0;
    DnsAuthority dns_;
    Network network_;
    std::vector<std::unique_ptr<Host>> hosts_;
    std::vector<std::string> host_names_;
    std::unordered_map<std::string, HostIndex> host_index_;
    std::unordered_set<std::uint64_t> mailboxes_;  // domain << 32 | local
    // SPF "-all" domains -> the hosts allowed to send for them; BATV domains.
    std::unordered_map<NameId, std::unordered_set<HostIndex>> spf_senders_;
    std::unordered_set<NameId> batv_domains_;
    std::vector<Message> messages_;
    // Without a trace, the slot of a settled message is reused once the event
    // that settled it is over: memory follows the messages alive, not all ever made.
    bool reuse_slots_ = true;
    std::vector<MessageId> settled_now_;
    std::vector<MessageId> free_slots_;
    std::vector<MtaFlows> flows_;
    FateTable fates_{};
    std::vector<Status> statuses_;  // transient statuses, by Message::last_status
    std::unordered_map<std::string, std::uint32_t> status_index_;  // enhanced + text -> index
    // Attempts in progress, by slot (the kAttemptDone event's target); free slots are reused.
    std::vector<std::pair<MessageId, std::unique_ptr<Attempt>>> in_flight_;
    std::vector<std::uint32_t> free_attempt_slots_;
    std::vector<sim::RandomStream> stream_rng_;
    std::vector<WormState> worms_;
    std::vector<AddressRef> mailbox_list_;  // every mailbox, in scenario order
    // Vacation responders: domain -> its spec; mailboxes that answer; who was answered.
    std::unordered_map<NameId, const AutoReplySpec*> vacations_;
    std::unordered_set<std::uint64_t> responders_;
    ReplyLog reply_log_;
    bool trace_marked_only_ = false;
    std::vector<TraceRecord> trace_;
    RunResults results_;
    sim::Quantiles legit_delay_;
    sim::LevelSeries queue_depth_;
    sim::TimeSeries ndr_series_;
    sim::TimeSeries backscatter_series_;
    // Hashed while running, sorted when the results are made.
    std::unordered_map<std::uint64_t, std::uint64_t> backscatter_victims_;  // domain << 32 | local
    std::unordered_map<std::uint64_t, std::uint64_t> ndr_flows_;  // MTA << 32 | recipient domain
    sim::TimeSeries delivered_series_;
    RunSeries series_;
    void queue_changed(HostIndex mta) { series_.queue_level(sim_.now(), mta, flows_[mta].queued); }
    std::uint64_t total_queued_ = 0;
    std::uint64_t created_ = 0;
    std::uint64_t live_ = 0;
    std::uint64_t peak_live_ = 0;
};

}  // namespace mxsim::model
