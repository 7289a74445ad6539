// world_parts.hpp - the per-host and per-destination state inside World.
// Private to model/world*.cpp: what an MTA remembers between events.
#pragma once

#include <map>
#include <optional>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "model/exim_retry.hpp"
#include "model/mailbox_quota.hpp"
#include "model/rate_limit.hpp"
#include "model/world.hpp"

namespace mxsim::model {

enum EventKind : std::uint32_t {
    kInject,       // target: index into traffic.messages
    kStreamNext,   // target: index into traffic.streams
    kAttemptDone,  // target: slot in World::in_flight_; its SMTP session ends
    kQueueRun,     // target: host index; a deferred-queue scan / queue run
    kWormNext,     // target: index into traffic.worms
};

// A worm's state: its bots, its address book, and the stream it draws from.
struct WormState {
    std::vector<HostIndex> bots;
    std::vector<AddressRef> book;
    std::vector<NameId> book_domains;  // for made-up recipients
    std::vector<AddressRef> senders;   // forged senders
    sim::RandomStream rng;
};

// Messages waiting for a delivery slot, first in first out, in one vector.
class MessageFifo {
  public:
    bool empty() const { return head_ == items_.size(); }
    void push(MessageId m) { items_.push_back(m); }
    MessageId pop() {
        const MessageId m = items_[head_++];
        if (empty()) items_.clear(), head_ = 0;
        return m;
    }

  private:
    std::vector<MessageId> items_;
    std::size_t head_ = 0;
};

// Postfix's per-destination queue (transport + next hop = recipient domain):
// a concurrency window, and the dead-site throttle (qmgr_queue.c). Like
// qmgr's in-core queues it exists only while it has mail or is throttled.
struct World::Destination {
    double window = 5;
    int active = 0;
    SimTime throttled_until = -1;
    Status throttle_reason;
    MessageFifo waiting;
};

struct World::Host {
    HostIndex index = 0;
    NameId name = 0;
    const MtaSpec* mta = nullptr;  // nullptr: a client without a queue
    std::unordered_set<NameId> local_domains;
    std::unordered_map<NameId, RecipientCheck> relay_domains;
    std::unordered_map<NameId, HostIndex> next_hops;  // transport_maps for relay domains
    std::unordered_set<HostIndex> relay_clients;
    AddressRef postmaster;
    ResolverCache dns;
    sim::RandomStream shuffle;  // equal-preference MX order (smtp_randomize_addresses)
    std::map<SimTime, std::vector<MessageId>> runs;  // deferred mail by the run that takes it
    std::optional<sim::EventId> run_event;
    SimTime run_event_at = 0;
    std::unordered_map<NameId, Destination> destinations;
    int inbound_sessions = 0;
    struct Verified {
        bool deliverable;
        SimTime expires;
    };
    std::unordered_map<std::uint64_t, Verified> verify_cache;  // reject_unverified_recipient
    // Exim's host retry hints (key T:host:ip), by remote host.
    std::unordered_map<HostIndex, EximRetryRecord> exim_records;
    // Per-mailbox token buckets (MtaSpec::mailbox_rate_limit), by domain << 32 | local.
    struct Bucket {
        TokenBucket bucket;
        SimTime last;  // RCPT steps are worked out a little ahead: keep time monotone
    };
    std::unordered_map<std::uint64_t, Bucket> buckets;
    // Exim's smoothed rates (RateAlgorithm::EximSmoothed), by the same key.
    std::unordered_map<std::uint64_t, EximRateState> exim_rates;
    MailboxFill quota_fill;  // MtaSpec::mailbox_quota
    // Greylisting triplets (client, sender, recipient) -> when first seen, or passed.
    struct Triplet {
        SimTime first_seen;
        SimTime passed_at;  // -1 until a retry after the delay
    };
    std::map<std::tuple<HostIndex, std::uint64_t, std::uint64_t>, Triplet> greylist;
    std::optional<EximRetryRecord> exim_record(HostIndex remote) const {
        const auto it = exim_records.find(remote);
        if (it == exim_records.end()) return std::nullopt;
        return it->second;
    }
    std::uint64_t ndrs_generated = 0;
    std::uint64_t smtp_sessions = 0;
    std::uint64_t dns_queries = 0;

    Host(std::uint64_t seed, std::uint64_t replication, const std::string& hostname)
        : shuffle(seed, "mx-shuffle." + hostname, replication) {}
};

// One delivery attempt, worked out when it starts and applied when it ends.
struct World::Attempt {
    enum class Result { HandedOver, Bounce, Defer };
    Result result = Result::Defer;
    Status status;
    NameId domain = 0;
    HostIndex next_hop = 0;                 // with HandedOver
    std::optional<HostIndex> session_with;  // server whose session slot the attempt holds
    bool connect_failures_only = true;      // every MX failed to connect: a dead destination
    SimTime duration = 0;
    // Exim: hosts tried that failed to connect (their retry records are updated
    // at the end), and hosts skipped because their retry time had not come.
    HostList failed_hosts;
    HostList skipped_hosts;
    bool exim_all_expired = true;  // every skipped host has failed past the last cutoff
    bool exim_timed_out = false;   // set at the end: some failed host's retry item timed out
    bool discard = false;          // the server accepted it to throw it away
};

}  // namespace mxsim::model
