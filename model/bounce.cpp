// bounce.cpp - failed deliveries, their reports, and every other notice.
#include "model/bounce.hpp"

#include <algorithm>

namespace mxsim::model {
namespace {

// A Postfix NDR: ~1.5 KB of headers, notification and delivery report, plus the
// original up to bounce_size_limit, or only its headers (~600 B) when larger.
constexpr std::int64_t kDsnOverhead = 1500;
constexpr std::int64_t kHeadersOnly = 600;

// bounce_notify_service.c (Postfix), savemail.c and envelope.c (Sendmail);
// Exim sends none (deliver.c: a failed address of a <> message is ignored,
// errors_copy is unset).
PostmasterNotices postmaster_notices(const HostSpec& host, Directory& directory) {
    const MtaSpec& mta = *host.mta;
    const std::string postmaster = postmaster_of(host);
    PostmasterNotices p;
    switch (mta.flavor) {
        case MtaFlavor::Postfix:
            p.copy_bounces = mta.notify_bounce;
            p.report_failed_bounces = mta.notify_bounce || mta.notify_2bounce;
            if (!p.copy_bounces && !p.report_failed_bounces) break;
            p.copy_to = directory.intern(mta.bounce_notice_recipient.value_or(postmaster));
            p.failed_bounce_to = directory.intern(postmaster);
            p.from = directory.intern("double-bounce@" + host.name);  // mail_addr.c
            break;
        case MtaFlavor::Exim:
            break;
        case MtaFlavor::Sendmail: {
            const auto resolve = [&](const std::string& a) {
                return directory.intern(a == "postmaster" ? postmaster : a);
            };
            const std::string& dba = mta.sendmail.double_bounce_address.value_or("postmaster");
            p.report_failed_bounces = !dba.empty();
            if (p.report_failed_bounces) p.failed_bounce_to = resolve(dba);
            p.copy_bounces = mta.sendmail.postmaster_copy.has_value();
            if (p.copy_bounces) p.copy_to = resolve(*mta.sendmail.postmaster_copy);
            break;  // every DSN goes out from <> (usersmtp.c, smtpmailfrom)
        }
    }
    return p;
}

}  // namespace

Bounce::Bounce(WorldContext& world, MailSteps& steps)
    : world_(world), steps_(steps), postmaster_(world.scenario.hosts.size()) {
    for (std::size_t h = 0; h < world.scenario.hosts.size(); ++h)
        if (world.scenario.hosts[h].mta)
            postmaster_[h] = postmaster_notices(world.scenario.hosts[h], world.directory);
}

// RFC 5321 section 3.6.3 and 6.1: having accepted the message, the MTA must
// report its failure to the reverse path. A message with the null reverse
// path gets no report (RFC 3464 / 5321 6.1: never a bounce about a bounce).
void Bounce::fail(MessageId m, const Status& why, bool expired) {
    const Message msg = world_.messages[m];
    const HostIndex at = msg.owner;
    const SimTime now = world_.sim.now();
    // Postfix logs status=expired whatever the sender; for an expiry the DSN's
    // Status is the last transient code (postfix-queue.md rule 6).
    world_.trace.step(m, msg, "queue", at, std::nullopt, why, expired ? "expired" : "bounced", now);
    if (!reports_to_sender(msg)) return drop(m, msg, why, expired);
    world_.messages.settle(m, expired ? Fate::Expired : Fate::Bounced, now);
    if (msg.recipients <= 1) return report(m, at, 1);
    // bounce(8) keeps a message's failed recipients in its bounce log and qmgr
    // sends one NDR for them all when the message leaves the active queue
    // (qmgr_active.c, qmgr_active_done(): bounce_flush()); RFC 3464 section 2.3
    // gives each one its per-recipient fields.
    const Envelope e = world_.messages.envelope(m);
    for (PendingReport& p : pending_)
        if (p.envelope == e && p.at == at) {
            ++p.recipients;
            return;
        }
    pending_.push_back({e, at, m, 1});
}

void Bounce::flush() {
    if (pending_.empty()) return;
    std::vector<PendingReport> reports;
    reports.swap(pending_);  // a report's own failures (none today) go to the next flush
    for (const PendingReport& p : reports)
        report(p.first, p.at, p.recipients);
}

void Bounce::report(MessageId about, HostIndex at, std::uint64_t recipients) {
    world_.metrics.ndr_recipients(recipients);
    notify(about, Origin::Ndr, world_.messages[about].sender, at, {});
    const PostmasterNotices& pm = postmaster_[at];
    if (pm.copy_bounces)
        send(about, Origin::PostmasterNotice, pm.copy_to, at, pm.from, kHeadersOnly);
}

// A failed (or expired) message that reports to nobody. A postmaster notice is
// discarded ("undeliverable postmaster notification discarded",
// bounce_notify_service.c; Sendmail: "got an error sending a response -- can
// it"). Other <> mail is dropped, or its failure goes to the postmaster.
void Bounce::drop(MessageId m, const Message& msg, const Status& why, bool expired) {
    const HostIndex at = msg.owner;
    const SimTime now = world_.sim.now();
    world_.trace.step(m, msg, "queue", at, std::nullopt, why, "dropped", now);
    world_.messages.settle(m, expired ? Fate::Expired : Fate::Dropped, now);
    const PostmasterNotices& pm = postmaster_[at];
    if (msg.origin == Origin::PostmasterNotice || !pm.report_failed_bounces) return;
    const std::int64_t limit = world_.scenario.hosts[at].mta->bounce_size_limit;
    send(m, Origin::PostmasterNotice, pm.failed_bounce_to, at, pm.from,
         msg.size <= limit ? msg.size : kHeadersOnly);
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
    send(about, origin, to, at, from, excerpt);
}

void Bounce::send(MessageId about, Origin origin, AddressRef to, HostIndex at, AddressRef from,
                  std::int64_t excerpt) {
    const Message& orig = world_.messages[about];
    const bool answers_sender = origin != Origin::PostmasterNotice && orig.sender == to;
    const bool to_forged_sender = answers_sender && orig.forged;
    const bool traced = orig.traced;  // `orig` is not used after create(): its slot may move
    const MessageId dsn = steps_.create(origin, from, to, about, at, kDsnOverhead + excerpt, false);
    const SimTime now = world_.sim.now();
    Message& notice = world_.messages[dsn];
    notice.traced |= world_.options.trace && traced;
    notice.to_forged_sender = to_forged_sender;
    if (origin == Origin::Ndr) world_.metrics.ndr_written(now, at, to.domain);
    const Status queued =
        origin == Origin::AvNotice           ? status::notice_queued("antivirus notice")
        : origin == Origin::AutoReply        ? status::notice_queued("vacation auto-reply")
        : origin == Origin::PostmasterNotice ? status::notice_queued("postmaster notification")
                                             : status::queued();
    world_.trace.step(dsn, notice, "queue", at, std::nullopt, queued, "accepted", now);
    steps_.start_delivery(dsn);
}

}  // namespace mxsim::model
