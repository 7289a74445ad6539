// bounce.cpp - failed deliveries, their reports, and every other notice.
#include "model/bounce.hpp"

#include <algorithm>

namespace mxsim::model {
namespace {

// A Postfix NDR: ~1.5 KB of headers, notification and delivery report, plus the
// original up to bounce_size_limit, or only its headers (~600 B) when larger.
constexpr std::int64_t kDsnOverhead = 1500;
constexpr std::int64_t kHeadersOnly = 600;

}  // namespace

Bounce::Bounce(WorldContext& world, MailSteps& steps)
    : world_(world), steps_(steps), postmasters_(world.scenario.hosts.size()) {
    for (std::size_t h = 0; h < world.scenario.hosts.size(); ++h)
        if (world.scenario.hosts[h].mta)
            postmasters_[h] = world.directory.intern(postmaster_of(world.scenario.hosts[h]));
}

// RFC 5321 section 3.6.3 and 6.1: having accepted the message, the MTA must
// report its failure to the reverse path. A message with the null reverse
// path gets no report (RFC 3464 / 5321 6.1: never a bounce about a bounce);
// Postfix drops it, or copies it to the postmaster when notify_classes
// contains bounce or 2bounce (postfix-queue.md rule 7).
void Bounce::fail(MessageId m, const Status& why, bool expired) {
    const Message msg = world_.messages[m];
    const HostIndex at = msg.owner;
    const SimTime now = world_.sim.now();
    // For an expiry the DSN's Status is the last transient code (postfix-queue.md rule 6).
    if (msg.sender.is_null()) {
        world_.trace.step(m, msg, "queue", at, std::nullopt, why, "dropped", now);
        world_.messages.settle(m, Fate::Dropped, now);
        if (msg.origin != Origin::PostmasterNotice && world_.scenario.hosts[at].mta->notify_bounce)
            notify(m, Origin::PostmasterNotice, postmasters_[at], at, {});
        return;
    }
    world_.trace.step(m, msg, "queue", at, std::nullopt, why, expired ? "expired" : "bounced", now);
    world_.messages.settle(m, expired ? Fate::Expired : Fate::Bounced, now);
    notify(m, Origin::Ndr, msg.sender, at, {});
}

// A DSN is a new message from the reporting MTA, sender <>, with its own
// arrival time and the bounce_queue_lifetime (postfix-queue.md rule 6).
void Bounce::notify(MessageId about, Origin origin, AddressRef to, HostIndex at, AddressRef from) {
    const Message& orig = world_.messages[about];
    const std::int64_t limit = world_.scenario.hosts[at].mta->bounce_size_limit;
    const bool headers_only = origin == Origin::DelayWarning || origin == Origin::AvNotice;
    const std::int64_t excerpt = origin == Origin::AutoReply ? 0
                                 : headers_only              ? kHeadersOnly
                                 : orig.size <= limit        ? orig.size
                                                             : kHeadersOnly;
    const bool answers_sender = origin != Origin::PostmasterNotice && orig.sender == to;
    const bool to_forged_sender = answers_sender && orig.forged;
    const bool traced = orig.traced;  // `orig` is not used after create(): its slot may move
    const MessageId dsn = steps_.create(origin, from, to, about, at, kDsnOverhead + excerpt, false);
    const SimTime now = world_.sim.now();
    Message& notice = world_.messages[dsn];
    notice.traced |= world_.options.trace && traced;
    notice.to_forged_sender = to_forged_sender;
    if (origin == Origin::Ndr) world_.metrics.ndr_written(now, at, to.domain);
    const Status queued = origin == Origin::AvNotice ? status::notice_queued("antivirus notice")
                          : origin == Origin::AutoReply
                              ? status::notice_queued("vacation auto-reply")
                              : status::queued();
    world_.trace.step(dsn, notice, "queue", at, std::nullopt, queued, "accepted", now);
    steps_.start_delivery(dsn);
}

}  // namespace mxsim::model
