// message.hpp - a message in flight through the mail world, and its one fate.
// Offers Message (compact; World reuses the slots of settled messages unless
// it traces), Origin, Fate and their names.
// A Message is one envelope recipient with its own state, as a queue file keeps
// each recipient's; the recipients of one message share its Envelope number
// (MessageStore).
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "model/dns.hpp"
#include "model/name_table.hpp"

namespace mxsim::model {

using MessageId = std::uint32_t;
// A queue file: the recipients one SMTP transaction delivered to an MTA (or one
// submission) share it; an NDR reports on the failed recipients of one envelope.
using Envelope = std::uint32_t;
inline constexpr Envelope kNewEnvelope = UINT32_MAX;  // "a message of its own"
inline constexpr MessageId kNoMessage = UINT32_MAX;
inline constexpr NameId kNoName = UINT32_MAX;

struct AddressRef {
    NameId local = kNoName;
    NameId domain = kNoName;
    bool is_null() const { return local == kNoName; }  // the null reverse path <>
    bool operator==(const AddressRef&) const = default;
};

enum class Origin : std::uint8_t {
    Legit,             // from the scenario's traffic
    Worm,              // from a mass-mailing worm, with a forged sender
    Spam,              // from a spammer (dictionary attacks), with a forged sender
    Ndr,               // a non-delivery report (RFC 3464), sender <>
    DelayWarning,      // a delayed-delivery DSN, sender <>
    PostmasterNotice,  // a copy of a failed bounce to the postmaster (notify_classes)
    AvNotice,          // an antivirus gateway's "you sent a virus" notice to the sender
    AutoReply,         // a vacation auto-reply (RFC 3834) to the sender
};
inline constexpr std::size_t kOriginCount = 8;

enum class Fate : std::uint8_t {
    Queued,     // no fate yet: still in some MTA's queue (or in an SMTP session)
    Delivered,  // in a mailbox
    Rejected,   // refused during SMTP by the next hop, with no MTA queue behind it
    Bounced,    // failed permanently; an NDR went to the sender
    Dropped,    // failed with sender <>: discarded, never bounced (RFC 3464/5321 6.1)
    Expired,    // queue lifetime exceeded; an NDR went to the sender if there was one
    Discarded,  // accepted, then thrown away on purpose (a policy's "accept and discard")
};
inline constexpr std::size_t kFateCount = 7;

constexpr std::array<std::string_view, kOriginCount> kOriginNames{
    "legit",     "worm",      "spam", "ndr", "delay_warning", "postmaster_notice",
    "av_notice", "auto_reply"};
constexpr std::array<std::string_view, kFateCount> kFateNames{
    "queued", "delivered", "rejected", "bounced", "dropped", "expired", "discarded"};

// 56 bytes: the hot state of a queued message (flags are single bits).
struct Message {
    AddressRef sender;
    AddressRef recipient;
    MessageId parent = kNoMessage;  // for a DSN: the message it reports on (kept only when tracing)
    HostIndex owner = 0;            // the host whose queue (or client) holds it
    SimTime created = 0;            // when it entered the mail system
    SimTime arrival = 0;            // when its current owner accepted it (Postfix create_time)
    std::int32_t size = 0;          // bytes
    std::uint32_t last_status = 0;  // index of its last transient failure status
    std::uint16_t hops = 0;         // Received: headers it carries
    Origin origin = Origin::Legit;
    Fate fate = Fate::Queued;
    bool direct : 1 = false;         // sent by a client without a queue
    bool traced : 1 = false;         // its steps go to the trace
    bool forged : 1 = false;         // the envelope sender did not send it
    bool aim_at_backup : 1 = false;  // a worm's choice of the worst-preference MX
    bool discard : 1 = false;        // accepted under an "accept and discard" policy
    // A notice (NDR, delay warning, AV notice, auto-reply) sent to the forged
    // sender of the message it answers: someone who never sent that message.
    bool to_forged_sender : 1 = false;
    // What receiving policies look at (model/content_policy.hpp, auto_reply.hpp).
    bool virus : 1 = false;       // carries a virus (a worm's payload)
    bool bulk : 1 = false;        // Precedence: bulk, so no auto-reply (RFC 3834 section 2)
    bool frozen : 1 = false;      // Exim: a failed bounce waiting in the queue for its thaw
    std::uint8_t recipients = 1;  // envelope recipients of the SMTP transaction carrying it
    std::uint8_t warnings = 0;    // delay warnings sent about it
};
static_assert(sizeof(Message) <= 56, "a queued message's hot state is budgeted at 56 bytes");

// Whether the sender hears of this message's failure or delay: not the null
// reverse path (RFC 5321 section 6.1), nor a postmaster notice, whose sender
// (Postfix's double-bounce@$myhostname) is discarded (qmgr_message.c).
inline bool reports_to_sender(const Message& m) {
    return !m.sender.is_null() && m.origin != Origin::PostmasterNotice;
}
}  // namespace mxsim::model
