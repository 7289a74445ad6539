// message_store.hpp - every message alive in a run, addressed by MessageId.
// Offers MessageStore: create() and settle() are the one place a message is born
// and given its fate (and tell RunMetrics so); slots of settled messages are
// reused after the event that settled them, unless every message is kept.
// A slot holds one envelope recipient; the recipients of one queue file (one
// SMTP transaction's accepted RCPTs) share an envelope number, new_envelope().
#pragma once

#include <absl/container/flat_hash_map.h>
#include <absl/hash/hash.h>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/message.hpp"
#include "model/smtp_status.hpp"

namespace mxsim::model {

class RunMetrics;

class MessageStore {
  public:
    MessageStore(RunMetrics& metrics, bool keep_all) : metrics_(metrics), keep_all_(keep_all) {}

    Message& operator[](MessageId m) { return messages_[m]; }
    const Message& operator[](MessageId m) const { return messages_[m]; }

    // A recipient of envelope `envelope` (new_envelope() for a message of its own).
    MessageId create(const Message& m, SimTime now, Envelope envelope);
    Envelope new_envelope() { return next_envelope_++; }
    Envelope envelope(MessageId m) const { return envelopes_[m]; }
    // The recipients taken in by one transaction become one queue file at the receiver.
    void move_to_envelope(MessageId m, Envelope e) { envelopes_[m] = e; }
    // Gives `m` its fate; throws AccountingError for a second one.
    void settle(MessageId m, Fate fate, SimTime now);
    // Called between events: settled slots become free (nothing refers to them now).
    void release_settled() {
        free_slots_.insert(free_slots_.end(), settled_now_.begin(), settled_now_.end());
        settled_now_.clear();
    }

    bool keeps_all() const { return keep_all_; }
    // The slots (every message when keeps_all(), else those alive and recycled ones).
    const std::vector<Message>& slots() const { return messages_; }
    std::uint64_t created() const { return created_; }
    std::uint64_t peak_live() const { return peak_live_; }

    // Transient statuses a queued message remembers (Message::last_status), interned.
    std::uint32_t remember(const Status& st);
    const Status& status(std::uint32_t index) const { return statuses_[index]; }

  private:
    RunMetrics& metrics_;
    bool keep_all_;
    std::vector<Message> messages_;
    std::vector<Envelope> envelopes_;  // by slot, beside the 56-byte Message
    Envelope next_envelope_ = 0;
    std::vector<MessageId> settled_now_;
    std::vector<MessageId> free_slots_;
    std::uint64_t created_ = 0;
    std::uint64_t live_ = 0;
    std::uint64_t peak_live_ = 0;
    std::vector<Status> statuses_;
    // (enhanced code, text) -> index; looked up by views, so a status already
    // remembered (nearly every deferral) makes no key.
    using StatusKey = std::pair<std::string, std::string>;
    using StatusView = std::pair<std::string_view, std::string_view>;
    struct StatusKeyHash {
        using is_transparent = void;
        std::size_t operator()(const StatusView& k) const { return absl::HashOf(k); }
        std::size_t operator()(const StatusKey& k) const { return (*this)(StatusView(k)); }
    };
    struct StatusKeyEq {
        using is_transparent = void;
        bool operator()(const StatusView& a, const StatusView& b) const { return a == b; }
    };
    absl::flat_hash_map<StatusKey, std::uint32_t, StatusKeyHash, StatusKeyEq> status_index_;
};

}  // namespace mxsim::model
