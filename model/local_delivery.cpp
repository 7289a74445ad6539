// local_delivery.cpp - local(8): mailboxes, quota, discard and vacation.
#include "model/local_delivery.hpp"

#include <algorithm>

namespace mxsim::model {

LocalDelivery::LocalDelivery(WorldContext& world, MailSteps& steps)
    : world_(world), steps_(steps), quota_fill_(world.scenario.hosts.size()) {
    const Scenario& scenario = world.scenario;
    Directory& dir = world.directory;
    // Mailboxes that start full.
    for (std::size_t h = 0; h < scenario.hosts.size(); ++h) {
        const auto& mta = scenario.hosts[h].mta;
        if (!mta || !mta->mailbox_quota) continue;
        for (const std::string& full : mta->mailbox_quota->full)
            quota_fill_[h].add(mailbox_key(dir.intern(full)), mta->mailbox_quota->bytes);
    }
    for (const DomainSpec& d : scenario.domains) {
        if (!d.vacation) continue;
        const NameId domain = dir.names().id_of(d.name);
        vacations_.emplace(domain, &*d.vacation);
        const auto answer = [&](const std::string& local) {
            responders_.insert(mailbox_key({dir.names().id_of(local), domain}));
        };
        if (d.vacation->mailboxes.empty())
            std::for_each(d.mailboxes.begin(), d.mailboxes.end(), answer);
        else
            std::for_each(d.vacation->mailboxes.begin(), d.vacation->mailboxes.end(), answer);
    }
}

void LocalDelivery::deliver(MessageId m) {
    const Message& msg = world_.messages[m];
    const SimTime now = world_.sim.now();
    if (msg.discard) {
        world_.trace.step(m, msg, "data", msg.owner, std::nullopt, status::delivered_to_mailbox(),
                          "discarded", now);
        return world_.messages.settle(m, Fate::Discarded, now);
    }
    if (!world_.directory.mailbox_exists(msg.recipient))
        return steps_.fail(
            m, status::local_unknown_user(world_.directory.names().name(msg.recipient.local)),
            false);
    if (quota_bounces(m)) return;
    world_.trace.step(m, msg, "data", msg.owner, std::nullopt, status::delivered_to_mailbox(),
                      "delivered", now);
    world_.messages.settle(m, Fate::Delivered, now);
    auto_reply(m);
}

// local(8) with mailbox_size_limit: a message that would take the mailbox
// beyond its quota fails with 5.2.2 and bounces (mta-behaviour.md 1.7); one
// that fits fills it. Nothing drains a mailbox.
bool LocalDelivery::quota_bounces(MessageId m) {
    const Message& msg = world_.messages[m];
    const auto& mta = world_.scenario.hosts[msg.owner].mta;
    if (!mta || !mta->mailbox_quota) return false;
    MailboxFill& fill = quota_fill_[msg.owner];
    const std::uint64_t key = mailbox_key(msg.recipient);
    if (fill.fits(key, msg.size, mta->mailbox_quota->bytes)) {
        fill.add(key, msg.size);
        return false;
    }
    steps_.fail(m, status::local_mailbox_full(world_.directory.names().name(msg.recipient.local)),
                false);
    return true;
}

// A vacation responder answers the envelope sender of what it was delivered,
// within RFC 3834 section 2's limits (model/auto_reply.hpp).
void LocalDelivery::auto_reply(MessageId m) {
    const Message& msg = world_.messages[m];
    const std::uint64_t box = mailbox_key(msg.recipient);
    if (!responders_.count(box) || !may_auto_reply(msg)) return;
    const AutoReplySpec& spec = *vacations_.at(msg.recipient.domain);
    if (!reply_log_.take(box, mailbox_key(msg.sender), world_.sim.now(), spec.period)) return;
    steps_.notify(m, Origin::AutoReply, msg.sender, msg.owner,
                  spec.null_sender ? AddressRef{} : msg.recipient);
}

}  // namespace mxsim::model
