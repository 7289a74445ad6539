// world.cpp - set-up, traffic, the queue manager, bounces and the books.
// The SMTP client and server side of an attempt live in smtp_session.cpp.
#include "model/world.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "model/content_policy.hpp"
#include "model/postfix_queue.hpp"
#include "model/ramp.hpp"
#include "model/world_parts.hpp"

namespace mxsim::model {
namespace {

// A Postfix NDR: ~1.5 KB of headers, notification and delivery report, plus the
// original up to bounce_size_limit, or only its headers (~600 B) when larger.
constexpr std::int64_t kDsnOverhead = 1500;
constexpr std::int64_t kHeadersOnly = 600;

}  // namespace

World::World(const Scenario& scenario, const WorldOptions& options)
    : scenario_(scenario),
      options_(options),
      dns_(scenario, names_),
      network_(scenario),
      queue_depth_(scenario.bin_width, scenario.duration),
      ndr_series_(scenario.bin_width, scenario.duration),
      backscatter_series_(scenario.bin_width, scenario.duration),
      delivered_series_(scenario.bin_width, scenario.duration),
      series_(scenario.bin_width, scenario.duration, scenario.hosts.size()) {
    reuse_slots_ = !options.trace;
    postmaster_local_ = names_.id_of("postmaster");
    for (const DomainSpec& d : scenario.domains) {
        const NameId domain = names_.id_of(d.name);
        for (const std::string& local : d.mailboxes) {
            const NameId l = names_.id_of(local);
            mailboxes_.insert(std::uint64_t{domain} << 32 | l);
            mailbox_list_.push_back({l, domain});
        }
    }
    build_hosts();
    build_policies();
    for (const MessageSpec& m : scenario.traffic.messages)
        trace_marked_only_ |= m.trace;
    schedule_traffic();
}

World::~World() = default;

const std::vector<Message>& World::messages() const {
    if (reuse_slots_)
        throw std::logic_error("World::messages(): every message is kept only when tracing");
    return messages_;
}

void World::build_hosts() {
    for (std::size_t i = 0; i < scenario_.hosts.size(); ++i) {
        const HostSpec& spec = scenario_.hosts[i];
        auto h = std::make_unique<Host>(options_.seed, options_.replication, spec.name);
        h->index = static_cast<HostIndex>(i);
        h->name = names_.id_of(spec.name);
        host_names_.push_back(spec.name);
        host_index_.emplace(spec.name, h->index);
        if (spec.mta) {
            const MtaSpec& m = *spec.mta;
            h->mta = &m;
            for (const std::string& d : m.local_domains)
                h->local_domains.insert(names_.id_of(d));
            for (const RelayDomain& r : m.relay_domains)
                h->relay_domains.emplace(names_.id_of(r.domain), r.check);
            const std::string postmaster = m.postmaster.value_or(
                "postmaster@" + (m.local_domains.empty() ? spec.name : m.local_domains.front()));
            const auto at = postmaster.find('@');
            h->postmaster = {names_.id_of(postmaster.substr(0, at)),
                             names_.id_of(postmaster.substr(at + 1))};
        }
        hosts_.push_back(std::move(h));
    }
    for (std::size_t i = 0; i < scenario_.hosts.size(); ++i) {
        const HostSpec& spec = scenario_.hosts[i];
        if (!spec.mta) continue;
        for (const std::string& client : spec.mta->relay_clients)
            hosts_[i]->relay_clients.insert(host_named(client));
        for (const RelayDomain& r : spec.mta->relay_domains)
            if (r.next_hop)
                hosts_[i]->next_hops.emplace(names_.id_of(r.domain), host_named(*r.next_hop));
    }
    flows_.resize(hosts_.size());
    // SPF: a -all domain's own MX hosts and the MTAs that deliver it may send for it.
    for (const DomainSpec& d : scenario_.domains) {
        const NameId domain = names_.id_of(d.name);
        if (d.batv) batv_domains_.insert(domain);
        if (!d.spf_hard_fail) continue;
        auto& allowed = spf_senders_[domain];
        for (const MxRecord& mx : d.initial.mx)
            allowed.insert(host_named(mx.host));
        for (const auto& h : hosts_)
            if (h->local_domains.count(domain)) allowed.insert(h->index);
    }
}

// Mailboxes that start full (MtaSpec::mailbox_quota) and vacation responders.
void World::build_policies() {
    for (const auto& h : hosts_) {
        if (!h->mta || !h->mta->mailbox_quota) continue;
        for (const std::string& full : h->mta->mailbox_quota->full) {
            const auto at = full.find('@');
            const AddressRef a{names_.id_of(full.substr(0, at)), names_.id_of(full.substr(at + 1))};
            h->quota_fill.add(std::uint64_t{a.domain} << 32 | a.local,
                              h->mta->mailbox_quota->bytes);
        }
    }
    for (const DomainSpec& d : scenario_.domains) {
        if (!d.vacation) continue;
        const NameId domain = names_.id_of(d.name);
        vacations_.emplace(domain, &*d.vacation);
        const auto& locals = d.vacation->mailboxes.empty() ? d.mailboxes : d.vacation->mailboxes;
        for (const std::string& local : locals)
            responders_.insert(std::uint64_t{domain} << 32 | names_.id_of(local));
    }
}

void World::schedule_traffic() {
    const auto& t = scenario_.traffic;
    for (std::size_t i = 0; i < t.messages.size(); ++i)
        sim_.schedule_at(t.messages[i].at, kInject, static_cast<std::uint32_t>(i));
    for (std::size_t i = 0; i < t.streams.size(); ++i) {
        stream_rng_.emplace_back(options_.seed, "traffic.stream." + t.streams[i].name,
                                 options_.replication);
        next_of_stream(static_cast<std::uint32_t>(i));
    }
    for (std::size_t i = 0; i < t.worms.size(); ++i) {
        const WormSpec& spec = t.worms[i];
        WormState w{
            {},
            {},
            {},
            {},
            sim::RandomStream(options_.seed, "traffic.worm." + spec.name, options_.replication)};
        for (int b = 0; b < spec.infected_hosts; ++b)
            w.bots.push_back(host_named(worm_bot_name(spec.name, b)));
        for (const Address& a : spec.address_book)
            w.book.push_back(intern(a));
        if (w.book.empty()) w.book = mailbox_list_;
        for (const Address& a : spec.forged_senders)
            w.senders.push_back(intern(a));
        if (w.senders.empty()) w.senders = w.book;
        if (w.book.empty())
            throw std::invalid_argument("worm " + spec.name + ": empty address book");
        std::unordered_set<NameId> seen;  // book domains in first-seen order
        for (const AddressRef& a : w.book)
            if (seen.insert(a.domain).second) w.book_domains.push_back(a.domain);
        worms_.push_back(std::move(w));
        next_of_worm(static_cast<std::uint32_t>(i), false);
    }
}

AddressRef World::pick(const std::vector<Address>& list, sim::RandomStream& rng) {
    if (list.empty()) {  // "all": every mailbox
        if (mailbox_list_.empty())
            throw std::invalid_argument("traffic from or to \"all\" but no mailboxes");
        return mailbox_list_[rng.uniform_int(0, mailbox_list_.size() - 1)];
    }
    return intern(list[rng.uniform_int(0, list.size() - 1)]);
}

// One Poisson stream for the whole infected population (the superposition of
// the bots' streams); each message comes from a bot chosen uniformly.
void World::next_of_worm(std::uint32_t index, bool send) {
    const WormSpec& spec = scenario_.traffic.worms[index];
    WormState& w = worms_[index];
    if (send) {
        const HostIndex bot = w.bots[w.rng.uniform_int(0, w.bots.size() - 1)];
        const AddressRef forged = w.senders[w.rng.uniform_int(0, w.senders.size() - 1)];
        AddressRef to = w.book[w.rng.uniform_int(0, w.book.size() - 1)];
        if (w.rng.bernoulli(spec.random_recipient_share)) {
            // A made-up local part at a domain from the book (a dictionary guess).
            to.domain = w.book_domains[w.rng.uniform_int(0, w.book_domains.size() - 1)];
            to.local = NameTable::numbered_id(
                static_cast<std::uint32_t>(w.rng.uniform_int(0, 999'999)));  // "x<n>"
        }
        const bool backup = w.rng.bernoulli(spec.backup_mx_share);
        const Origin origin = spec.spam ? Origin::Spam : Origin::Worm;
        // Fake bounces from <>: drawn only when asked for, so other draws stay put.
        const bool null_sender =
            spec.null_sender_share > 0 && w.rng.bernoulli(spec.null_sender_share);
        const MessageId m = create(origin, null_sender ? AddressRef{} : forged, to, kNoMessage, bot,
                                   spec.size, true);
        messages_[m].forged = true;
        messages_[m].aim_at_backup = backup;
        messages_[m].virus = spec.virus.value_or(!spec.spam);
        messages_[m].bulk = spec.bulk;
        messages_[m].recipients = static_cast<std::uint8_t>(spec.recipients_per_message);
        start_delivery(m);
    }
    const SimTime stop = spec.stop > 0 ? spec.stop : scenario_.duration;
    if (!spec.ramp.empty()) {
        const auto next = next_ramp_arrival(spec.ramp, spec.infected_hosts,
                                            std::max(sim_.now(), spec.start), stop, w.rng);
        if (next) sim_.schedule_at(*next, kWormNext, index);
        return;
    }
    const double per_hour = spec.rate_per_hour * spec.infected_hosts;
    const auto mean_gap = static_cast<SimTime>(std::llround(sim::kHour / per_hour));
    const SimTime at =
        std::max(sim_.now(), spec.start) + w.rng.exponential_time(std::max<SimTime>(mean_gap, 1));
    if (at < stop) sim_.schedule_at(at, kWormNext, index);
}

// ---- traffic -----------------------------------------------------------------

void World::next_of_stream(std::uint32_t s) {
    const StreamSpec& spec = scenario_.traffic.streams[s];
    const SimTime stop = spec.stop > 0 ? spec.stop : scenario_.duration;
    const SimTime from = std::max(sim_.now(), spec.start);
    if (!spec.ramp.empty()) {
        if (auto next = next_ramp_arrival(spec.ramp, 1.0, from, stop, stream_rng_[s]))
            sim_.schedule_at(*next, kStreamNext, s);
        return;
    }
    const auto mean_gap = static_cast<SimTime>(std::llround(sim::kHour / spec.rate_per_hour));
    const SimTime at = from + stream_rng_[s].exponential_time(std::max<SimTime>(mean_gap, 1));
    if (at < stop) sim_.schedule_at(at, kStreamNext, s);
}

MessageId World::create(Origin origin, AddressRef sender, AddressRef recipient, MessageId parent,
                        HostIndex owner, std::int64_t size, bool direct) {
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
    m.traced = options_.trace &&
               (!trace_marked_only_ || (parent != kNoMessage && messages_[parent].traced));
    MessageId id = 0;
    if (!free_slots_.empty()) {
        id = free_slots_.back();
        free_slots_.pop_back();
        messages_[id] = m;
    } else {
        if (messages_.size() >= kNoMessage)
            throw std::length_error("too many messages alive at once for one run");
        id = static_cast<MessageId>(messages_.size());
        messages_.push_back(m);
    }
    ++created_;
    peak_live_ = std::max(peak_live_, ++live_);
    ++fates_[static_cast<std::size_t>(origin)][static_cast<std::size_t>(Fate::Queued)];
    series_.created(sim_.now(), origin);
    if (!direct) {
        MtaFlows& f = flows_[owner];
        (origin == Origin::Legit ? f.submitted : f.generated) += 1;
        f.peak_queued = std::max(f.peak_queued, ++f.queued);
        queue_depth_.set(sim_.now(), static_cast<double>(++total_queued_));
        queue_changed(owner);
    }
    return id;
}

AddressRef World::intern(const Address& a) {
    if (a.is_null()) return {};
    return {names_.id_of(a.local), names_.id_of(a.domain)};
}

HostIndex World::host_named(const std::string& name) const {
    const auto it = host_index_.find(name);
    if (it == host_index_.end()) throw std::invalid_argument("unknown host '" + name + "'");
    return it->second;
}

void World::inject(const MessageSpec& spec) {
    const HostIndex via = host_named(spec.via);
    const MessageId m = create(Origin::Legit, intern(spec.from), intern(spec.to), kNoMessage, via,
                               spec.size, spec.direct);
    if (spec.trace && options_.trace) messages_[m].traced = true;
    record(m, "queue", via, std::nullopt, status::queued(), spec.direct ? "sent" : "accepted",
           sim_.now());
    start_delivery(m);
}

// ---- kernel dispatch ------------------------------------------------------------

void World::operator()(const sim::Event& e) {
    switch (e.kind) {
        case kInject:
            inject(scenario_.traffic.messages[e.target]);
            break;
        case kStreamNext: {
            const StreamSpec& s = scenario_.traffic.streams[e.target];
            sim::RandomStream& rng = stream_rng_[e.target];
            const AddressRef from = pick(s.from, rng);
            const AddressRef to = pick(s.to, rng);
            const HostIndex via = host_named(s.via);
            const MessageId m = create(Origin::Legit, from, to, kNoMessage, via, s.size, s.direct);
            messages_[m].bulk = s.bulk;
            record(m, "queue", via, std::nullopt, status::queued(), s.direct ? "sent" : "accepted",
                   sim_.now());
            start_delivery(m);
            next_of_stream(e.target);
            break;
        }
        case kWormNext:
            next_of_worm(e.target, true);
            break;
        case kAttemptDone:
            finish_attempt(e.target);
            break;
        case kQueueRun:
            queue_run(e.target);
            break;
        default:
            throw std::logic_error("unknown event kind " + std::to_string(e.kind));
    }
    if (!settled_now_.empty()) {
        free_slots_.insert(free_slots_.end(), settled_now_.begin(), settled_now_.end());
        settled_now_.clear();
    }
}

// ---- the queue manager -------------------------------------------------------------

void World::start_delivery(MessageId m) {
    const Message msg = messages_[m];
    Host& h = *hosts_[msg.owner];
    if (msg.direct) return begin_attempt(m, nullptr);  // a client without a queue: one attempt
    if (h.local_domains.count(msg.recipient.domain)) return deliver_locally(m);

    auto [it, fresh] = h.destinations.try_emplace(msg.recipient.domain);
    Destination& dest = it->second;
    if (fresh) dest.window = h.mta->initial_destination_concurrency;
    // postfix-queue.md rule 4: mail for a dead destination is deferred at once,
    // without a connection or a DNS lookup.
    if (dest.throttled_until > sim_.now()) return defer(m, status::suspended(dest.throttle_reason));
    if (dest.active >= static_cast<int>(dest.window)) {
        dest.waiting.push(m);
        return;
    }
    begin_attempt(m, &dest);
}

void World::deliver_locally(MessageId m) {
    const Message& msg = messages_[m];
    if (msg.discard) {
        record(m, "data", msg.owner, std::nullopt, status::delivered_to_mailbox(), "discarded",
               sim_.now());
        return settle(m, Fate::Discarded);
    }
    if (!mailbox_exists(msg.recipient))
        return fail(m, status::local_unknown_user(names_.name(msg.recipient.local)), false);
    if (quota_bounces(m)) return;
    record(m, "data", msg.owner, std::nullopt, status::delivered_to_mailbox(), "delivered",
           sim_.now());
    settle(m, Fate::Delivered);
    auto_reply(m);
}

// local(8) with mailbox_size_limit: a message that would take the mailbox
// beyond its quota fails with 5.2.2 and bounces (mta-behaviour.md 1.7); one
// that fits fills it. Nothing drains a mailbox.
bool World::quota_bounces(MessageId m) {
    Host& h = *hosts_[messages_[m].owner];
    if (!h.mta || !h.mta->mailbox_quota) return false;
    const Message& msg = messages_[m];
    const std::uint64_t key = std::uint64_t{msg.recipient.domain} << 32 | msg.recipient.local;
    if (h.quota_fill.fits(key, msg.size, h.mta->mailbox_quota->bytes)) {
        h.quota_fill.add(key, msg.size);
        return false;
    }
    fail(m, status::local_mailbox_full(names_.name(msg.recipient.local)), false);
    return true;
}

// A vacation responder answers the envelope sender of what it was delivered,
// within RFC 3834 section 2's limits (model/auto_reply.hpp).
void World::auto_reply(MessageId m) {
    const Message& msg = messages_[m];
    const std::uint64_t box = std::uint64_t{msg.recipient.domain} << 32 | msg.recipient.local;
    if (!responders_.count(box) || !may_auto_reply(msg)) return;
    const AutoReplySpec& spec = *vacations_.at(msg.recipient.domain);
    const std::uint64_t sender = std::uint64_t{msg.sender.domain} << 32 | msg.sender.local;
    if (!reply_log_.take(box, sender, sim_.now(), spec.period)) return;
    send_dsn(m, Origin::AutoReply, msg.sender, msg.owner,
             spec.null_sender ? AddressRef{} : msg.recipient);
}

void World::begin_attempt(MessageId m, Destination* dest) {
    if (dest) ++dest->active;
    std::uint32_t slot = 0;
    if (free_attempt_slots_.empty()) {
        slot = static_cast<std::uint32_t>(in_flight_.size());
        in_flight_.emplace_back(m, std::make_unique<Attempt>());
    } else {
        slot = free_attempt_slots_.back();
        free_attempt_slots_.pop_back();
        in_flight_[slot].first = m;
    }
    Attempt& a = *in_flight_[slot].second;
    a = attempt(m);
    if (a.session_with) ++hosts_[*a.session_with]->inbound_sessions;
    sim_.schedule_in(a.duration, kAttemptDone, slot);
}

void World::finish_attempt(std::uint32_t slot) {
    const MessageId m = in_flight_.at(slot).first;
    if (m == kNoMessage) throw std::logic_error("attempt finished twice");
    in_flight_[slot].first = kNoMessage;
    Attempt a = std::move(*in_flight_[slot].second);
    free_attempt_slots_.push_back(slot);
    if (a.session_with) --hosts_[*a.session_with]->inbound_sessions;
    const Message msg = messages_[m];
    Host& h = *hosts_[msg.owner];
    if (h.mta && h.mta->flavor == MtaFlavor::Exim) a.exim_timed_out = exim_update_hints(h, msg, a);

    if (msg.direct) {  // no queue behind the client: a refusal is final
        if (a.result == Attempt::Result::HandedOver) return hand_over(m, a.next_hop);
        record(m, "queue", msg.owner, std::nullopt, a.status, "rejected", sim_.now());
        return settle(m, Fate::Rejected);
    }
    Destination& dest = h.destinations.at(a.domain);
    --dest.active;
    switch (a.result) {
        case Attempt::Result::HandedOver:
            // Postfix concurrency feedback: +1/window per success, up to the limit.
            dest.window = std::min<double>(h.mta->destination_concurrency_limit,
                                           dest.window + 1.0 / dest.window);
            h.exim_records.erase(a.next_hop);  // Exim deletes a host's retry record on success
            messages_[m].discard = a.discard;
            hand_over(m, a.next_hop);
            break;
        case Attempt::Result::Bounce:
            fail(m, a.status, false);
            break;
        case Attempt::Result::Defer:
            // Postfix: a failure to connect (or to be greeted) throttles the
            // destination; a 4xx reply to RCPT does not (postfix-queue.md rule 4).
            if (a.connect_failures_only && h.mta->flavor == MtaFlavor::Postfix)
                throttle(h, a.domain, a.status);
            defer(m, a.status, &a);
            break;
    }
    pump(h, a.domain);
}

void World::hand_over(MessageId m, HostIndex to) {
    Message& msg = messages_[m];
    const HostIndex from = msg.owner;
    if (msg.direct) {
        msg.direct = false;  // from now on an MTA's queue holds it
        queue_depth_.set(sim_.now(), static_cast<double>(++total_queued_));
    } else {
        ++flows_[from].relayed;
        --flows_[from].queued;
        queue_changed(from);
    }
    msg.owner = to;
    msg.arrival = sim_.now();
    ++msg.hops;
    MtaFlows& f = flows_[to];
    ++f.received;
    f.peak_queued = std::max(f.peak_queued, ++f.queued);
    queue_changed(to);
    series_.smtp_data(sim_.now(), msg.size);
    record(m, "data", from, to, status::queued(), "relayed", sim_.now());
    if (filter_content(m)) return;
    start_delivery(m);
}

// The receiving MTA's virus scanner after acceptance (amavisd-new as a
// content_filter): it drops the virus and, with $warnvirussender, notifies the
// envelope sender - the forged one, for a worm (BACKSCATTER_README's plea).
bool World::filter_content(MessageId m) {
    const Message& msg = messages_[m];
    const Host& h = *hosts_[msg.owner];
    if (!h.mta) return false;
    const AfterQueue action = after_queue(*h.mta, msg);
    if (action == AfterQueue::Deliver) return false;
    record(m, "data", msg.owner, std::nullopt, status::virus_discarded(), "discarded", sim_.now());
    settle(m, Fate::Discarded);
    if (action == AfterQueue::DiscardAndNotify && !messages_[m].sender.is_null())
        send_dsn(m, Origin::AvNotice, messages_[m].sender, messages_[m].owner);
    return true;
}

void World::throttle(Host& h, NameId domain, const Status& why) {
    Destination& dest = h.destinations.at(domain);
    // qmgr_queue_throttle(): dead for minimal_backoff_time, window back to the
    // start. Postfix timers run on whole seconds (events.c: event_present is
    // time()), so a throttle set during second s lifts at s + minimal_backoff_time.
    dest.throttled_until =
        (sim::whole_seconds(sim_.now()) + sim::whole_seconds(h.mta->postfix.minimal_backoff_time)) *
        sim::kSecond;
    dest.throttle_reason = why;
    dest.window = h.mta->initial_destination_concurrency;
    while (!dest.waiting.empty())
        defer(dest.waiting.pop(), status::suspended(why));
}

// Starts waiting mail as the window allows; an idle queue that is not
// throttled is deleted (qmgr_queue_done), so its window starts afresh.
void World::pump(Host& h, NameId domain) {
    const auto it = h.destinations.find(domain);
    Destination& dest = it->second;
    while (!dest.waiting.empty() && dest.active < static_cast<int>(dest.window))
        begin_attempt(dest.waiting.pop(), &dest);
    if (dest.active == 0 && dest.waiting.empty() && dest.throttled_until <= sim_.now())
        h.destinations.erase(it);
}

void World::defer(MessageId m, const Status& why, const Attempt* attempt) {
    messages_[m].last_status = remember(why);
    const Retry next = next_retry(m, attempt);
    if (next.give_up) return fail(m, statuses_[messages_[m].last_status], true);
    const HostIndex owner = messages_[m].owner;
    record(m, "queue", owner, std::nullopt, why, "deferred", sim_.now());
    if (next.warn) {
        messages_[m].warned = true;
        if (!messages_[m].sender.is_null())
            send_dsn(m, Origin::DelayWarning, messages_[m].sender, owner);
    }
    schedule_run(owner, next.run_at, m);
}

void World::schedule_run(HostIndex host, SimTime at, MessageId m) {
    Host& h = *hosts_[host];
    h.runs[at].push_back(m);
    if (h.run_event && h.run_event_at <= at) return;
    if (h.run_event) sim_.cancel(*h.run_event);
    h.run_event = sim_.schedule_at(at, kQueueRun, host);
    h.run_event_at = at;
}

// A deferred-queue scan: everything due by now starts again, in queue order.
// Messages deferred together stay in lock step (postfix-queue.md rule 5).
void World::queue_run(HostIndex host) {
    Host& h = *hosts_[host];
    h.run_event.reset();
    std::vector<MessageId> due;
    while (!h.runs.empty() && h.runs.begin()->first <= sim_.now()) {
        due.insert(due.end(), h.runs.begin()->second.begin(), h.runs.begin()->second.end());
        h.runs.erase(h.runs.begin());
    }
    for (const MessageId m : due)
        start_delivery(m);
    if (!h.runs.empty() && !h.run_event) {
        h.run_event = sim_.schedule_at(h.runs.begin()->first, kQueueRun, host);
        h.run_event_at = h.runs.begin()->first;
    }
}

// ---- bounces and fates -----------------------------------------------------------

// RFC 5321 section 3.6.3 and 6.1: having accepted the message, the MTA must
// report its failure to the reverse path. A message with the null reverse
// path gets no report (RFC 3464 / 5321 6.1: never a bounce about a bounce);
// Postfix drops it, or copies it to the postmaster when notify_classes
// contains bounce or 2bounce (postfix-queue.md rule 7).
void World::fail(MessageId m, const Status& why, bool expired) {
    const Message msg = messages_[m];
    const HostIndex at = msg.owner;
    // For an expiry the DSN's Status is the last transient code (postfix-queue.md rule 6).
    const Status& final_status = why;
    const char* action = expired ? "expired" : "bounced";
    if (msg.sender.is_null()) {
        record(m, "queue", at, std::nullopt, why, "dropped", sim_.now());
        settle(m, Fate::Dropped);
        if (msg.origin != Origin::PostmasterNotice && hosts_[at]->mta->notify_bounce)
            send_dsn(m, Origin::PostmasterNotice, hosts_[at]->postmaster, at);
        return;
    }
    record(m, "queue", at, std::nullopt, final_status, action, sim_.now());
    settle(m, expired ? Fate::Expired : Fate::Bounced);
    send_dsn(m, Origin::Ndr, msg.sender, at);
}

// A DSN is a new message from the reporting MTA, sender <>, with its own
// arrival time and the bounce_queue_lifetime (postfix-queue.md rule 6).
void World::send_dsn(MessageId about, Origin origin, AddressRef to, HostIndex at, AddressRef from) {
    const Message& orig = messages_[about];
    const std::int64_t limit = hosts_[at]->mta->bounce_size_limit;
    const bool headers_only = origin == Origin::DelayWarning || origin == Origin::AvNotice;
    const std::int64_t excerpt = origin == Origin::AutoReply ? 0
                                 : headers_only              ? kHeadersOnly
                                 : orig.size <= limit        ? orig.size
                                                             : kHeadersOnly;
    const bool answers_sender = origin != Origin::PostmasterNotice && orig.sender == to;
    const bool to_forged_sender = answers_sender && orig.forged;
    const bool traced = orig.traced;  // `orig` is not used after create(): its slot may move
    const MessageId dsn = create(origin, from, to, about, at, kDsnOverhead + excerpt, false);
    messages_[dsn].traced |= options_.trace && traced;
    messages_[dsn].to_forged_sender = to_forged_sender;
    if (origin == Origin::Ndr) {
        ++hosts_[at]->ndrs_generated;
        ndr_series_.add(sim_.now());
        series_.ndr_written(sim_.now(), at);
        ++ndr_flows_[std::uint64_t{at} << 32 | to.domain];
    }
    const Status queued = origin == Origin::AvNotice ? status::notice_queued("antivirus notice")
                          : origin == Origin::AutoReply
                              ? status::notice_queued("vacation auto-reply")
                              : status::queued();
    record(dsn, "queue", at, std::nullopt, queued, "accepted", sim_.now());
    start_delivery(dsn);
}

void World::settle(MessageId m, Fate fate) {
    Message& msg = messages_[m];
    if (msg.fate != Fate::Queued)
        throw AccountingError("message " + std::to_string(m) + " given a second fate");
    msg.fate = fate;
    --live_;
    if (reuse_slots_) settled_now_.push_back(m);
    auto& row = fates_[static_cast<std::size_t>(msg.origin)];
    --row[static_cast<std::size_t>(Fate::Queued)];
    ++row[static_cast<std::size_t>(fate)];
    series_.settled(sim_.now(), msg.origin, fate);
    if (fate == Fate::Delivered) {
        delivered_series_.add(sim_.now());
        if (msg.origin == Origin::Legit) {
            legit_delay_.add(sim::to_seconds(sim_.now() - msg.created));
            series_.legit_delivered(sim_.now(), sim_.now() - msg.created);
        }
        if (msg.origin == Origin::Ndr) ++results_.ndrs_delivered;
        count_backscatter(msg);
    }
    if (msg.direct) return;
    MtaFlows& f = flows_[msg.owner];
    --f.queued;
    queue_depth_.set(sim_.now(), static_cast<double>(--total_queued_));
    queue_changed(msg.owner);
    switch (fate) {
        case Fate::Delivered:
            ++f.delivered;
            break;
        case Fate::Bounced:
            ++f.bounced;
            break;
        case Fate::Expired:
            ++f.expired;
            break;
        case Fate::Discarded:
            ++f.discarded;
            break;
        case Fate::Dropped:
            ++f.dropped;
            break;
        default:
            throw AccountingError("an MTA cannot give fate " +
                                  std::string(kFateNames[static_cast<std::size_t>(fate)]));
    }
}

// Backscatter: an NDR, delay notice, antivirus notice or auto-reply delivered
// to the envelope sender of a message that sender never sent (a forged reverse path).
void World::count_backscatter(const Message& notice) {
    if (!notice.to_forged_sender) return;
    ++results_.backscatter_delivered;
    ++backscatter_victims_[std::uint64_t{notice.recipient.domain} << 32 | notice.recipient.local];
    series_.backscatter(sim_.now(), notice.recipient);
    backscatter_series_.add(sim_.now());
}

std::uint32_t World::remember(const Status& st) {
    std::string key = st.enhanced;
    key += '\n';
    key += st.text;
    const auto [it, fresh] =
        status_index_.try_emplace(std::move(key), static_cast<std::uint32_t>(statuses_.size()));
    if (fresh) statuses_.push_back(st);
    return it->second;
}

std::string World::address(AddressRef a) const {
    if (a.is_null()) return "";
    return names_.name(a.local) + "@" + names_.name(a.domain);
}

bool World::mailbox_exists(AddressRef a) const {
    if (a.is_null()) return false;
    // RFC 5321 section 4.5.1: every domain that accepts mail has a postmaster.
    return a.local == postmaster_local_ ||
           mailboxes_.count(std::uint64_t{a.domain} << 32 | a.local) > 0;
}

void World::record(MessageId m, std::string_view stage, HostIndex from, std::optional<HostIndex> to,
                   const Status& st, std::string_view action, SimTime at) {
    const Message& msg = messages_[m];
    if (!msg.traced) return;
    trace_.push_back({at, m, msg.parent, host_names_[from], to ? host_names_[*to] : "",
                      std::string(stage), st.code, st.enhanced, std::string(action), st.text});
}

// ---- the run ------------------------------------------------------------------------

RunResults World::run() {
    const sim::RunEnd end = sim_.run_until(scenario_.duration, *this);
    if (end != sim::RunEnd::ReachedTime) throw std::logic_error("run ended early");
    check_books(messages_, flows_, fates_, host_names_, !reuse_slots_);

    RunResults r = results_;
    r.fates = fates_;
    r.events = sim_.dispatched();
    r.end = sim_.now();
    for (const auto& h : hosts_) {
        r.smtp_sessions += h->smtp_sessions;
        if (!h->mta) continue;
        r.mtas.push_back({host_names_[h->index], flows_[h->index], h->ndrs_generated,
                          h->smtp_sessions, h->dns_queries});
    }
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const bool any = legit_delay_.count() > 0;
    r.legit_delay_p50_s = any ? legit_delay_.quantile(0.50) : nan;
    r.legit_delay_p95_s = any ? legit_delay_.quantile(0.95) : nan;
    r.legit_delay_p99_s = any ? legit_delay_.quantile(0.99) : nan;
    r.bin_width = scenario_.bin_width;
    r.ndrs_generated_per_bin = ndr_series_.bins();
    r.delivered_per_bin = delivered_series_.bins();
    r.queued_mean_per_bin = queue_depth_.means(scenario_.duration);
    r.backscatter_per_bin = backscatter_series_.bins();
    std::vector<std::pair<std::uint64_t, std::uint64_t>> flows(ndr_flows_.begin(),
                                                               ndr_flows_.end());
    std::sort(flows.begin(), flows.end());  // by MTA, then domain id: scenario order
    for (const auto& [edge, n] : flows)
        r.ndr_flows.push_back(
            {host_names_[edge >> 32], names_.name(static_cast<NameId>(edge & 0xFFFFFFFF)), n});
    struct Victim {
        AddressRef address;
        std::string name;
        std::uint64_t count;
    };
    std::vector<Victim> victims;
    for (const auto& [key, n] : backscatter_victims_) {
        const AddressRef victim{static_cast<NameId>(key & 0xFFFFFFFF),
                                static_cast<NameId>(key >> 32)};
        victims.push_back({victim, address(victim), n});
    }
    std::sort(victims.begin(), victims.end(), [](const Victim& a, const Victim& b) {
        return a.count != b.count ? a.count > b.count : a.name < b.name;
    });
    std::vector<AddressRef> victim_refs;
    std::vector<std::string> victim_names;
    for (const Victim& v : victims) {
        r.backscatter_victims.emplace_back(v.name, v.count);
        victim_refs.push_back(v.address);
        victim_names.push_back(v.name);
    }
    r.series = series_.finish(scenario_.duration, host_names_, victim_refs, victim_names);
    r.smtp_bytes = series_.smtp_bytes();
    return r;
}

}  // namespace mxsim::model
