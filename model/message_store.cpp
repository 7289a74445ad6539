// message_store.cpp - message slots, their reuse, and the fate of each message.
#include "model/message_store.hpp"

#include <algorithm>
#include <stdexcept>

#include "model/accounting.hpp"
#include "model/run_metrics.hpp"

namespace mxsim::model {

MessageId MessageStore::create(const Message& m, SimTime now, Envelope envelope) {
    MessageId id = 0;
    if (!free_slots_.empty()) {
        id = free_slots_.back();
        free_slots_.pop_back();
        messages_[id] = m;
        envelopes_[id] = envelope;
    } else {
        if (messages_.size() >= kNoMessage)
            throw std::length_error("too many messages alive at once for one run");
        id = static_cast<MessageId>(messages_.size());
        messages_.push_back(m);
        envelopes_.push_back(envelope);
    }
    ++created_;
    peak_live_ = std::max(peak_live_, ++live_);
    metrics_.created(now, m);
    return id;
}

void MessageStore::settle(MessageId m, Fate fate, SimTime now) {
    Message& msg = messages_[m];
    if (msg.fate != Fate::Queued)
        throw AccountingError("message " + std::to_string(m) + " given a second fate");
    msg.fate = fate;
    --live_;
    if (!keep_all_) settled_now_.push_back(m);
    metrics_.settled(now, msg, fate);
}

std::uint32_t MessageStore::remember(const Status& st) {
    const StatusView key(st.enhanced, st.text);
    if (const auto it = status_index_.find(key); it != status_index_.end()) return it->second;
    const auto index = static_cast<std::uint32_t>(statuses_.size());
    status_index_.emplace(StatusKey(st.enhanced, st.text), index);
    statuses_.push_back(st);
    return index;
}

}  // namespace mxsim::model
