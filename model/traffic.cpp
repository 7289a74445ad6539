// traffic.cpp - scripted messages, Poisson streams (optionally ramped) and worms.
// Each source draws from its own named random stream, so two policy variants
// see the same traffic (common random numbers).
#include "model/traffic.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <unordered_set>

#include "model/ramp.hpp"

namespace mxsim::model {

TrafficSources::TrafficSources(WorldContext& world, MailSteps& steps)
    : world_(world), steps_(steps) {}

void TrafficSources::start() {
    const TrafficSpec& t = world_.scenario.traffic;
    const WorldOptions& o = world_.options;
    for (std::size_t i = 0; i < t.messages.size(); ++i)
        world_.sim.schedule_at(t.messages[i].at, kInject, static_cast<std::uint32_t>(i));
    for (std::size_t i = 0; i < t.streams.size(); ++i) {
        stream_rng_.emplace_back(o.seed, "traffic.stream." + t.streams[i].name, o.replication);
        next_of_stream(static_cast<std::uint32_t>(i), false);
    }
    for (std::size_t i = 0; i < t.worms.size(); ++i) {
        worms_.push_back(make_worm(t.worms[i]));
        next_of_worm(static_cast<std::uint32_t>(i), false);
    }
}

TrafficSources::Worm TrafficSources::make_worm(const WormSpec& spec) const {
    const WorldOptions& o = world_.options;
    Directory& dir = world_.directory;
    Worm w{{},
           {},
           {},
           {},
           sim::RandomStream(o.seed, "traffic.worm." + spec.name, o.replication),
           std::nullopt};
    for (int b = 0; b < spec.infected_hosts; ++b)
        w.bots.push_back(dir.host_named(worm_bot_name(spec.name, b)));
    for (const Address& a : spec.address_book)
        w.book.list.push_back(dir.intern(a));
    w.book.all = w.book.list.empty();  // no book: every mailbox
    for (const Address& a : spec.forged_senders)
        w.senders.list.push_back(dir.intern(a));
    if (w.senders.list.empty()) w.senders = w.book;
    if (w.book.all && dir.mailbox_count() == 0)
        throw std::invalid_argument("worm " + spec.name + ": empty address book");
    if (w.book.all) {
        w.book_domains = dir.mailbox_domains();
        return w;
    }
    std::unordered_set<NameId> seen;  // book domains in first-seen order
    for (const AddressRef& a : w.book.list)
        if (seen.insert(a.domain).second) w.book_domains.push_back(a.domain);
    return w;
}

AddressRef TrafficSources::draw(const AddressPool& pool, sim::RandomStream& rng) const {
    if (!pool.all) return pool.list[rng.uniform_int(0, pool.list.size() - 1)];
    return world_.directory.mailbox_at(rng.uniform_int(0, world_.directory.mailbox_count() - 1));
}

AddressRef TrafficSources::pick(const std::vector<Address>& list, sim::RandomStream& rng) {
    if (list.empty()) {  // "all": every mailbox
        if (world_.directory.mailbox_count() == 0)
            throw std::invalid_argument("traffic from or to \"all\" but no mailboxes");
        return draw({{}, true}, rng);
    }
    return world_.directory.intern(list[rng.uniform_int(0, list.size() - 1)]);
}

// A user's message enters its MTA's queue (or, `direct`, leaves by SMTP at once).
void TrafficSources::queue_legit(MessageId m, HostIndex via, bool direct) {
    world_.trace.step(m, world_.messages[m], "queue", via, std::nullopt, status::queued(),
                      direct ? "sent" : "accepted", world_.sim.now());
    steps_.start_delivery(m);
}

void TrafficSources::inject(std::uint32_t index) {
    const MessageSpec& spec = world_.scenario.traffic.messages[index];
    Directory& dir = world_.directory;
    const HostIndex via = dir.host_named(spec.via);
    const MessageId m = steps_.create(Origin::Legit, dir.intern(spec.from), dir.intern(spec.to),
                                      kNoMessage, via, spec.size, spec.direct);
    if (spec.trace && world_.options.trace) world_.messages[m].traced = true;
    queue_legit(m, via, spec.direct);
}

void TrafficSources::next_of_stream(std::uint32_t s, bool send) {
    const StreamSpec& spec = world_.scenario.traffic.streams[s];
    sim::RandomStream& rng = stream_rng_[s];
    if (send) {
        const AddressRef from = pick(spec.from, rng);
        const AddressRef to = pick(spec.to, rng);
        const HostIndex via = world_.directory.host_named(spec.via);
        const MessageId m =
            steps_.create(Origin::Legit, from, to, kNoMessage, via, spec.size, spec.direct);
        world_.messages[m].bulk = spec.bulk;
        queue_legit(m, via, spec.direct);
    }
    const SimTime stop = spec.stop > 0 ? spec.stop : world_.scenario.duration;
    const SimTime from = std::max(world_.sim.now(), spec.start);
    if (!spec.ramp.empty()) {
        if (auto next = next_ramp_arrival(spec.ramp, 1.0, from, stop, rng))
            world_.sim.schedule_at(*next, kStreamNext, s);
        return;
    }
    const auto mean_gap = static_cast<SimTime>(std::llround(sim::kHour / spec.rate_per_hour));
    const SimTime at = from + rng.exponential_time(std::max<SimTime>(mean_gap, 1));
    if (at < stop) world_.sim.schedule_at(at, kStreamNext, s);
}

// Klez-like: a bot picks a forged sender and a recipient from its address book
// (or makes one up at a book domain) and speaks SMTP itself: one attempt, no queue.
TrafficSources::Shot TrafficSources::draw_shot(const WormSpec& spec, Worm& w) const {
    Shot shot;
    shot.bot = w.bots[w.rng.uniform_int(0, w.bots.size() - 1)];
    const AddressRef forged = draw(w.senders, w.rng);
    shot.to = draw(w.book, w.rng);
    if (w.rng.bernoulli(spec.random_recipient_share)) {
        // A made-up local part at a domain from the book (a dictionary guess).
        shot.to.domain = w.book_domains[w.rng.uniform_int(0, w.book_domains.size() - 1)];
        shot.to.local = NameTable::numbered_id(
            static_cast<std::uint32_t>(w.rng.uniform_int(0, 999'999)));  // "x<n>"
    }
    shot.backup = w.rng.bernoulli(spec.backup_mx_share);
    // Fake bounces from <>: drawn only when asked for, so other draws stay put.
    const bool null_sender = spec.null_sender_share > 0 && w.rng.bernoulli(spec.null_sender_share);
    shot.sender = null_sender ? AddressRef{} : forged;
    // A spam run's transaction: more RCPTs at the same domain (one MX takes them
    // all), each a mailbox there or, by random_recipient_share, a made-up one.
    const std::span<const NameId> locals = spec.recipients_per_message > 1
                                               ? world_.directory.local_parts(shot.to.domain)
                                               : std::span<const NameId>{};
    for (int i = 1; i < spec.recipients_per_message; ++i) {
        AddressRef more{kNoName, shot.to.domain};
        if (locals.empty() || w.rng.bernoulli(spec.random_recipient_share))
            more.local =
                NameTable::numbered_id(static_cast<std::uint32_t>(w.rng.uniform_int(0, 999'999)));
        else
            more.local = locals[w.rng.uniform_int(0, locals.size() - 1)];
        shot.more_to.push_back(more);
    }
    return shot;
}

void TrafficSources::send_from_worm(const WormSpec& spec, const Shot& shot) {
    const Origin origin = spec.spam ? Origin::Spam : Origin::Worm;
    const auto make = [&](AddressRef recipient, Envelope envelope) {
        const MessageId id = steps_.create(origin, shot.sender, recipient, kNoMessage, shot.bot,
                                           spec.size, true, envelope);
        Message& msg = world_.messages[id];
        msg.forged = true;
        msg.aim_at_backup = shot.backup;
        msg.virus = spec.virus.value_or(!spec.spam);
        msg.bulk = spec.bulk;
        msg.recipients = static_cast<std::uint8_t>(spec.recipients_per_message);
        return id;
    };
    const MessageId m = make(shot.to, kNewEnvelope);
    if (shot.more_to.empty()) return steps_.start_delivery(m);
    std::vector<MessageId> others;
    const Envelope envelope = world_.messages.envelope(m);
    for (const AddressRef& more : shot.more_to)
        others.push_back(make(more, envelope));
    steps_.send_transaction(m, others);
}

void TrafficSources::next_of_worm(std::uint32_t index, bool send) {
    const WormSpec& spec = world_.scenario.traffic.worms[index];
    Worm& w = worms_[index];
    if (send) send_from_worm(spec, w.next ? *w.next : draw_shot(spec, w));
    w.next.reset();
    const SimTime stop = spec.stop > 0 ? spec.stop : world_.scenario.duration;
    const SimTime now = world_.sim.now();
    std::optional<SimTime> at;
    if (!spec.ramp.empty()) {
        at = next_ramp_arrival(spec.ramp, spec.infected_hosts, std::max(now, spec.start), stop,
                               w.rng);
    } else {
        const double per_hour = spec.rate_per_hour * spec.infected_hosts;
        const auto mean_gap = static_cast<SimTime>(std::llround(sim::kHour / per_hour));
        at = std::max(now, spec.start) + w.rng.exponential_time(std::max<SimTime>(mean_gap, 1));
        if (*at >= stop) at.reset();
    }
    if (!at) return;
    world_.sim.schedule_at(*at, kWormNext, index);
    w.next = draw_shot(spec, w);
    steps_.expect_delivery(w.next->bot, w.next->to.domain);
}

}  // namespace mxsim::model
