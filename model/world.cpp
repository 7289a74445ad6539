// world.cpp - the composition root and the event dispatch: builds the parts,
// hands each kernel event to the part it concerns, and moves messages between
// parts (MailSteps). The rules live in the parts.
#include "model/world.hpp"

#include <algorithm>
#include <stdexcept>

#include "model/content_policy.hpp"

namespace mxsim::model {
namespace {

bool only_marked_messages_traced(const Scenario& s) {
    return std::any_of(s.traffic.messages.begin(), s.traffic.messages.end(),
                       [](const MessageSpec& m) { return m.trace; });
}

}  // namespace

World::World(const Scenario& scenario, const WorldOptions& options)
    : scenario_(scenario),
      options_(options),
      dns_(scenario, names_),
      directory_(scenario, names_),
      network_(scenario),
      metrics_(scenario, scenario.hosts.size()),
      trace_(options.trace, only_marked_messages_traced(scenario), directory_.host_names()),
      messages_(metrics_, options.trace),
      context_{scenario_, options_, sim_, directory_, dns_, network_, messages_, metrics_, trace_},
      local_(context_, *this),
      smtpd_(scenario, directory_, dns_, local_, client_),
      client_(context_, smtpd_),
      bounce_(context_, *this),
      qmgrs_(scenario.hosts.size()),
      traffic_(context_, *this) {
    MailSteps& steps = *this;
    for (std::size_t h = 0; h < scenario.hosts.size(); ++h)
        if (scenario.hosts[h].mta)
            qmgrs_[h] = std::make_unique<QueueManager>(
                context_, steps, client_, static_cast<HostIndex>(h), *scenario.hosts[h].mta);
    traffic_.start();
}

const std::vector<Message>& World::messages() const {
    if (!messages_.keeps_all())
        throw std::logic_error("World::messages(): every message is kept only when tracing");
    return messages_.slots();
}

void World::operator()(const sim::Event& e) {
    switch (e.kind) {
        case kInject:
            traffic_.inject(e.target);
            break;
        case kStreamNext:
            traffic_.next_of_stream(e.target, true);
            break;
        case kWormNext:
            traffic_.next_of_worm(e.target, true);
            break;
        case kAttemptDone:
            finish_attempt(e.target);
            break;
        case kQueueRun:
            qmgrs_[e.target]->scan();
            break;
        case kDeliverySlots:
            qmgrs_[e.target]->fill_slots();
            break;
        default:
            throw std::logic_error("unknown event kind " + std::to_string(e.kind));
    }
    bounce_.flush();  // one NDR per message for the recipients that failed in this event
    messages_.release_settled();
}

MessageId World::create(Origin origin, AddressRef sender, AddressRef recipient, MessageId parent,
                        HostIndex owner, std::int64_t size, bool direct, Envelope envelope) {
    Message m;
    m.sender = sender;
    m.recipient = recipient;
    m.parent = parent;
    m.owner = owner;
    m.created = m.arrival = sim_.now();
    m.size = static_cast<std::int32_t>(std::min<std::int64_t>(size, INT32_MAX));
    m.origin = origin;
    m.direct = direct;
    m.hops = direct ? 0 : 1;  // an MTA that takes a message in adds its Received: header
    m.traced = trace_.traces_new(parent != kNoMessage ? &messages_[parent] : nullptr);
    if (envelope == kNewEnvelope) {
        envelope = messages_.new_envelope();
        metrics_.message_created(origin);
    }
    return messages_.create(m, sim_.now(), envelope);
}

void World::expect_delivery(HostIndex from, NameId domain) {
    client_.expect(from, domain);
}

// The owner takes the message on: a queue-less client makes one attempt; an
// MTA delivers its own domains locally and queues the rest.
void World::start_delivery(MessageId m) {
    const Message& msg = messages_[m];
    if (msg.direct) return client_.begin(m, nullptr);
    if (smtpd_.role(msg.owner, msg.recipient.domain) == DomainRole::Local) return local_.deliver(m);
    qmgrs_[msg.owner]->submit(m);
}

void World::send_transaction(MessageId first, std::span<const MessageId> others) {
    client_.begin(first, nullptr, {}, others);
}

void World::finish_attempt(std::uint32_t slot) {
    const auto [m, a] = client_.finish(slot);
    apply_attempt(m, a);
    client_.release(slot);
}

void World::apply_attempt(MessageId m, Attempt& a) {
    const Message& msg = messages_[m];
    if (!msg.direct) return qmgrs_[msg.owner]->attempt_done(m, a);
    taken_in(m, a);
    finish_direct(m, a.result, a.status, a.next_hop);
    for (const Attempt::OtherRecipient& o : a.others)
        if (o.answered)
            finish_direct(o.m, o.result, o.status, o.next_hop);
        else  // the transaction ended before RCPT: the first recipient's fate
            finish_direct(o.m, a.result, a.status, a.next_hop);
}

// The recipients a server took in are one message in its queue: one envelope
// (so that one NDR reports those of them that fail together), whose DATA was
// carried once.
void World::taken_in(MessageId first, const Attempt& a) {
    if (a.others.empty()) {  // one recipient: no lists to make (the flood's every attempt)
        if (a.result != Attempt::Result::HandedOver) return;
        Message& msg = messages_[first];
        if (msg.recipients > 1) {  // the last of its message here: a file of its own there
            messages_.move_to_envelope(first, messages_.new_envelope());
            msg.recipients = 1;
        }
        return metrics_.message_taken_in(sim_.now(), a.next_hop, msg.size);
    }
    const auto accepted_by = [&](HostIndex server) {
        std::vector<MessageId> ids;
        if (a.result == Attempt::Result::HandedOver && a.next_hop == server) ids.push_back(first);
        for (const Attempt::OtherRecipient& o : a.others)
            if (o.answered && o.result == Attempt::Result::HandedOver && o.next_hop == server)
                ids.push_back(o.m);
        return ids;
    };
    // The first recipient may have gone on to another MX than the others.
    std::vector<HostIndex> servers;
    if (a.result == Attempt::Result::HandedOver) servers.push_back(a.next_hop);
    if (!a.others.empty() && a.others.front().answered &&
        (servers.empty() || servers.front() != a.others.front().next_hop))
        servers.push_back(a.others.front().next_hop);
    for (const HostIndex server : servers) {
        const std::vector<MessageId> ids = accepted_by(server);
        if (ids.empty()) continue;
        const Envelope e = messages_.new_envelope();
        for (const MessageId id : ids) {
            messages_.move_to_envelope(id, e);
            messages_[id].recipients = static_cast<std::uint8_t>(ids.size());
        }
        metrics_.message_taken_in(sim_.now(), server, messages_[ids.front()].size);
    }
}

// No queue behind the client: a refusal is final.
void World::finish_direct(MessageId m, Attempt::Result result, const Status& why, HostIndex to) {
    if (result == Attempt::Result::HandedOver) return hand_over(m, to, 1);
    const Message& msg = messages_[m];
    trace_.step(m, msg, "queue", msg.owner, std::nullopt, why, "rejected", sim_.now());
    messages_.settle(m, Fate::Rejected, sim_.now());
}

void World::hand_over(MessageId m, HostIndex to, int nth) {
    Message& msg = messages_[m];
    const HostIndex from = msg.owner;
    metrics_.handed_over(sim_.now(), msg, to);
    msg.direct = false;  // from now on an MTA's queue holds it
    msg.owner = to;
    msg.arrival = sim_.now();
    ++msg.hops;
    trace_.step(m, msg, "data", from, to, status::queued(), "relayed", sim_.now());
    if (filter_content(m)) return;
    // Only a later message of a session can be held (the first is always
    // delivered at once): the common case never looks at the receiver's queue.
    if (nth > 1 && qmgrs_[to] && qmgrs_[to]->holds_for_queue_run(m, nth)) return;
    start_delivery(m);
}

// The receiving MTA's virus scanner after acceptance (amavisd-new as a
// content_filter): it drops the virus and, with $warnvirussender, notifies the
// envelope sender - the forged one, for a worm (BACKSCATTER_README's plea).
bool World::filter_content(MessageId m) {
    const Message& msg = messages_[m];
    const auto& mta = scenario_.hosts[msg.owner].mta;
    if (!mta) return false;
    // Exim (deliver.c, received_headers_max) and Sendmail (deliver.c sendall(),
    // MaxHopCount) accept a looping message and fail it at delivery; Postfix
    // refuses it at the end of DATA (CheckHopCount).
    if (mta->flavor != MtaFlavor::Postfix && msg.hops > hop_limit(*mta)) {
        qmgrs_[msg.owner]->fail_accepted(m, mta->flavor == MtaFlavor::Exim
                                                ? status::exim_too_many_received()
                                                : status::sendmail_too_many_hops());
        return true;
    }
    const AfterQueue action = after_queue(*mta, msg);
    if (action == AfterQueue::Deliver) return false;
    trace_.step(m, msg, "data", msg.owner, std::nullopt, status::virus_discarded(), "discarded",
                sim_.now());
    messages_.settle(m, Fate::Discarded, sim_.now());
    if (action == AfterQueue::DiscardAndNotify && !msg.sender.is_null())
        notify(m, Origin::AvNotice, msg.sender, msg.owner, {});
    return true;
}

void World::fail(MessageId m, const Status& why, bool expired) {
    // Postfix's soft_bounce (bounce.c bounce_append): what would be returned to
    // its sender, or expire, stays queued instead.
    const Message& msg = messages_[m];
    if (!msg.direct && scenario_.hosts[msg.owner].mta &&
        scenario_.hosts[msg.owner].mta->soft_bounce)
        return qmgrs_[msg.owner]->keep_queued(
            m, status::softened(why), expired,
            smtpd_.role(msg.owner, msg.recipient.domain) == DomainRole::Local);
    bounce_.fail(m, why, expired);
}

void World::notify(MessageId about, Origin origin, AddressRef to, HostIndex at, AddressRef from) {
    bounce_.notify(about, origin, to, at, from);
}

RunResults World::run() {
    const sim::RunEnd end = sim_.run_until(scenario_.duration, *this);
    if (end != sim::RunEnd::ReachedTime) throw std::logic_error("run ended early");
    check_books(messages_.slots(), metrics_.flows(), metrics_.fates(), directory_.host_names(),
                messages_.keeps_all());
    std::vector<bool> mta;
    for (const HostSpec& h : scenario_.hosts)
        mta.push_back(h.mta.has_value());
    return metrics_.finish(sim_.now(), sim_.dispatched(), directory_.host_names(), mta, names_);
}

}  // namespace mxsim::model
