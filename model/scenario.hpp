// scenario.hpp - a validated scenario as plain data: the world, its MTAs, traffic, run length.
// Offers the structs that scenario/scenario_loader fills from JSON and model/World runs.
// Every field has the default documented in docs/scenario-format.md; times are SimTime.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/mailbox_list.hpp"
#include "sim/sim_time.hpp"

namespace mxsim::model {

using sim::SimTime;

// ---- DNS -------------------------------------------------------------------

struct MxRecord {
    int preference = 10;  // 0..65535
    std::string host;     // a host name from Scenario::hosts, unless !has_address
    // false: the exchange is a name with no A or AAAA record (a retired MX
    // left in the zone); it is not one of Scenario::hosts.
    bool has_address = true;
};

// What a domain's zone says from some time on. A zone that does not exist
// answers NXDOMAIN (from its parent). RFC 7505: a null MX is a single MX
// record of preference 0 whose exchange is ".".
struct DnsState {
    bool exists = true;
    bool null_mx = false;
    std::vector<MxRecord> mx;           // empty and !null_mx: no MX, implicit MX via A
    std::optional<std::string> a_host;  // the host the domain's own A record points at
};

// Vacation auto-responders (vacation(1), Sieve vacation) on a domain's
// mailboxes, answering as RFC 3834 section 2 allows (model/auto_reply.hpp).
struct AutoReplySpec {
    std::vector<std::string> mailboxes;  // local parts that answer; empty: every mailbox
    SimTime period = 7 * sim::kDay;      // one reply per sender per period (vacation -r, 7 d)
    // RFC 3834 section 3.3: the reply goes out from the null reverse path <>;
    // false: from the mailbox itself, as classic vacation(1) does.
    bool null_sender = true;
};

struct DnsChange {
    SimTime at = 0;
    DnsState state;  // replaces the whole zone content from `at` on
};

struct TimeWindow {
    SimTime from = 0;
    SimTime to = 0;  // exclusive; from < to
};

struct DomainSpec {
    std::string name;       // lower case, e.g. "dest.example"
    MailboxList mailboxes;  // local parts that exist; "postmaster" always exists
    DnsState initial;
    std::vector<DnsChange> changes;     // sorted by `at`, strictly increasing
    std::vector<TimeWindow> servfail;   // the zone's servers answer SERVFAIL
    SimTime ttl = 3600 * sim::kSecond;  // of positive answers (MX, A)
    // RFC 2308 section 5: negative answers are cached for min(SOA TTL, SOA MINIMUM).
    SimTime negative_ttl = 900 * sim::kSecond;
    // An SPF record ending in "-all" (RFC 7208): only the domain's own mail
    // servers (its MX hosts and the MTAs that deliver it) may use it as sender.
    bool spf_hard_fail = false;
    // BATV: the domain's mail goes out with signed envelope senders, and its MX
    // refuses bounces to unsigned addresses (Exim's prvs sample ACL).
    bool batv = false;
    std::optional<AutoReplySpec> vacation;  // auto-responders on its mailboxes
};

struct DnsSpec {
    SimTime query_latency = 20 * sim::kMillisecond;  // a resolver round trip to an authority
    // NXDOMAIN for a domain that does not exist comes from its parent zone
    // (e.g. the TLD); this is that zone's negative TTL (.com: 900 s).
    SimTime parent_negative_ttl = 900 * sim::kSecond;
};

// ---- Network ---------------------------------------------------------------

enum class OutageMode {
    Refuse,   // connection refused at once
    Timeout,  // no answer: the client gives up after smtp_connect_timeout
};

struct Outage {
    TimeWindow window;
    OutageMode mode = OutageMode::Refuse;
};

struct LinkSpec {
    std::string a;
    std::string b;
    SimTime latency = 10 * sim::kMillisecond;  // one way
};

struct NetworkSpec {
    // Hosts with no path over explicit links reach each other over "the
    // Internet": a hub joined to every host by half of this one-way latency.
    SimTime internet_latency = 40 * sim::kMillisecond;
    std::vector<LinkSpec> links;
};

// ---- MTAs ------------------------------------------------------------------

enum class MtaFlavor { Postfix, Exim, Sendmail };

enum class RecipientCheck {
    None,    // accept every recipient of the relay domain (backup MX without a list)
    List,    // relay_recipient_maps: the domain's mailbox list; unknown -> 550 5.1.1
    Verify,  // reject_unverified_recipient: probe the primary MX
};

struct RelayDomain {
    std::string domain;
    RecipientCheck check = RecipientCheck::None;
    // Postfix transport_maps ("dest.example smtp:[inside.example]"): deliver to
    // this host instead of looking up MX records; a front end uses it to reach
    // the mail server behind it.
    std::optional<std::string> next_hop;
};

struct PostfixQueueSpec {
    SimTime queue_run_delay = 300 * sim::kSecond;
    SimTime minimal_backoff_time = 300 * sim::kSecond;
    SimTime maximal_backoff_time = 4000 * sim::kSecond;
    SimTime maximal_queue_lifetime = 5 * sim::kDay;
    SimTime bounce_queue_lifetime = 5 * sim::kDay;
    SimTime delay_warning_time = 0;  // 0: no delay warnings
    SimTime scan_phase = 0;          // deferred-queue scans at phase + k * queue_run_delay
};

struct EximRetryRule {
    char kind = 'F';          // 'F' fixed interval, 'G' geometric
    SimTime cutoff = 0;       // applies while time since first failure < cutoff
    SimTime interval = 0;     // F: the interval; G: the first interval
    double multiplier = 1.0;  // G only
};

struct EximQueueSpec {
    // Exim's default configure: F,2h,15m; G,16h,1h,1.5; F,4d,6h
    std::vector<EximRetryRule> retry_rules{{'F', 2 * sim::kHour, 15 * sim::kMinute, 1.0},
                                           {'G', 16 * sim::kHour, 1 * sim::kHour, 1.5},
                                           {'F', 4 * sim::kDay, 6 * sim::kHour, 1.0}};
    SimTime queue_run_interval = 30 * sim::kMinute;  // exim -q30m
    SimTime queue_run_phase = 0;  // the daemon's start: runs at phase + k x interval
    SimTime retry_interval_max = 24 * sim::kHour;  // cap on any retry interval
    int connection_max_messages = 500;             // smtp transport: messages per connection
    // Messages of one incoming SMTP session delivered at once; later ones wait
    // for a queue run (exim-queue.md rule 2). 0: no limit.
    int smtp_accept_queue_per_connection = 10;
    SimTime delay_warning = 24 * sim::kHour;  // repeated every delay_warning; 0: none
    // A bounce that fails for good is frozen until this age, then tried once
    // more and discarded (configure.default: 2d; deliver.c).
    SimTime ignore_bounce_errors_after = 2 * sim::kDay;
    SimTime timeout_frozen_after = 7 * sim::kDay;  // frozen mail is cancelled; 0: never
};

struct SendmailQueueSpec {
    SimTime queue_interval = 15 * sim::kMinute;  // sendmail -q15m
    SimTime queue_phase = 0;                     // the daemon's start: runs at phase + k x interval
    SimTime queuereturn = 5 * sim::kDay;         // Timeout.queuereturn
    SimTime queuewarn = 4 * sim::kHour;          // Timeout.queuewarn; 0: none
    // Where a failed bounce goes (savemail.c, ESM_POSTMASTER): DoubleBounceAddress,
    // "postmaster" by default (the MTA's postmaster); "": dropped.
    std::optional<std::string> double_bounce_address;
    // PostmasterCopy: a copy (headers only) of every return; unset by default.
    std::optional<std::string> postmaster_copy;
};

// What a mailbox answers when mail arrives faster than its limit allows
// (the NANOG thread: 450 to have legitimate mail retried, 550 to drop it).
enum class OverLimitAction {
    Defer,    // 450 4.2.1: the sender's MTA keeps it and retries
    Reject,   // 550 5.7.1: refused; the sender's MTA bounces it (or drops an NDR)
    Discard,  // 250, then thrown away
};

enum class RateAlgorithm {
    TokenBucket,   // burst + steady refill
    EximSmoothed,  // Exim's ratelimit ACL condition (an EWMA over `period`)
};

// A rate limit per local mailbox (docs/rate-limits.md).
struct MailboxRateLimit {
    int burst = 10;        // bucket capacity (token bucket only)
    double per_hour = 60;  // refill rate; Exim: the limit m = per_hour x period / 1h
    OverLimitAction over_limit = OverLimitAction::Defer;
    RateAlgorithm algorithm = RateAlgorithm::TokenBucket;
    SimTime period = sim::kHour;  // Exim's smoothing period p
    bool strict = false;          // Exim: strict instead of leaky
};

// What an MTA's virus scanner does with a message carrying a virus.
enum class VirusAction {
    None,     // no scanner
    Reject,   // at the end of DATA (a milter, or amavisd as a pre-queue proxy)
    Notify,   // accept, drop the virus, send the sender an antivirus notice (backscatter)
    Discard,  // accept and drop it silently
};

// Where a full mailbox is noticed: at RCPT by a quota policy service
// (Dovecot's quota-status), or only by local delivery after acceptance.
enum class QuotaCheck {
    None,    // accept; local(8) then bounces 5.2.2 (mailbox_size_limit)
    Defer,   // 452 4.2.2 at RCPT: the sender's MTA retries
    Reject,  // 552 5.2.2 at RCPT: refused
};

// A quota in bytes for every local mailbox of an MTA; deliveries fill it and
// nothing drains it (docs/scenario-format.md).
struct MailboxQuota {
    std::int64_t bytes = 0;
    QuotaCheck at_rcpt = QuotaCheck::None;
    std::vector<std::string> full;  // "local@domain" mailboxes that start full
};

// Greylisting (Harris 2003; Postgrey's defaults): the first delivery attempt of
// a (client, sender, recipient) triplet is answered 450 4.7.1; a retry after
// `delay` passes, and the triplet is remembered.
struct Greylist {
    SimTime delay = 300 * sim::kSecond;      // postgrey --delay
    SimTime max_age = 2 * sim::kDay;         // an unretried triplet is forgotten after this
    SimTime pass_lifetime = 35 * sim::kDay;  // postgrey --max-age: a passed triplet is kept
};

// Postfix's feedback syntax: "1/concurrency" (base 1, divided by the window)
// or a constant such as "1/8" or 0.5 (qmgr_feedback.c, qmgr_feedback_init).
struct ConcurrencyFeedback {
    double base = 1;         // 0..1
    bool per_window = true;  // "/concurrency"
};

// qmgr's per-destination concurrency (qmgr_queue.c, qmgr_transport.c), under
// the names of Postfix's smtp transport: smtp_initial_destination_concurrency,
// smtp_destination_concurrency_limit, ..._positive_feedback,
// ..._negative_feedback, ..._failed_cohort_limit (defaults: default_...).
struct DestinationConcurrency {
    int initial = 5;               // the window of a new in-core queue
    int limit = 20;                // 0: no limit
    ConcurrencyFeedback positive;  // added per delivery without a site problem
    ConcurrencyFeedback negative;  // taken per site failure (no connection, no greeting)
    int failed_cohort_limit = 1;   // dead after this many failed pseudo-cohorts; 0: never
};

// The SMTP command a server's reply answers.
enum class SmtpCommand { Connect, Mail, Rcpt, Data, EndOfData };

// A reply the scenario scripts for a server (a recorded incident replayed):
// at `command`, within `window`, for the listed recipients (all when empty),
// the server answers this instead of deciding. The first entry that applies
// wins; a 2xx at RCPT accepts without further checks, elsewhere it lets the
// dialogue go on (model/reply_schedule.hpp).
struct ScheduledReply {
    SmtpCommand command = SmtpCommand::Rcpt;
    int code = 450;
    std::string enhanced;  // "" when the reply has none
    std::string text;
    TimeWindow window{0, sim::kTimeMax};
    std::vector<std::string> recipients;  // "local@domain"
};

// Postfix's SMTP connection cache (smtp(8), postconf(5)): with a backlog for
// a destination, a session is kept after a delivery and reused by the next.
struct ConnectionCache {
    bool on_demand = true;                          // smtp_connection_cache_on_demand
    SimTime idle_limit = 2 * sim::kSecond;          // smtp_connection_cache_time_limit
    SimTime reuse_time_limit = 300 * sim::kSecond;  // smtp_connection_reuse_time_limit
    int reuse_count_limit = 0;                      // smtp_connection_reuse_count_limit; 0: none
};

struct MtaSpec {
    MtaFlavor flavor = MtaFlavor::Postfix;
    std::vector<std::string> local_domains;  // final destination (mydestination / virtual)
    bool reject_unlisted_recipient = true;   // smtpd_reject_unlisted_recipient
    std::vector<RelayDomain> relay_domains;  // backup MX for these
    std::vector<std::string> relay_clients;  // hosts allowed to relay anywhere (mynetworks)
    PostfixQueueSpec postfix;
    EximQueueSpec exim;
    SendmailQueueSpec sendmail;
    // notify_classes (bounce_notify_service.c): with `bounce` the postmaster
    // gets a copy of every bounce (headers only); with `bounce` or `2bounce` a
    // failed bounce goes to the postmaster instead of being dropped. Both come
    // from double-bounce@<host name> ($myhostname).
    bool notify_bounce = false;
    bool notify_2bounce = false;
    std::optional<std::string>
        postmaster;  // 2bounce_notice_recipient; default postmaster@<first local domain>
    std::optional<std::string> bounce_notice_recipient;  // default: the same postmaster
    // smtp_addr.c: when no MX host has an address, defer (4.4.4) instead of bouncing (5.4.4).
    bool smtp_defer_if_no_mx_address_found = false;
    // Received: headers that make a message a loop: Postfix hopcount_limit (50,
    // refused at DATA), Exim received_headers_max (30), Sendmail MaxHopCount
    // (25); the latter two accept the message and fail it at delivery.
    // nullopt: the flavor's default (hop_limit()).
    std::optional<int> hopcount_limit;
    SimTime smtp_connect_timeout = 30 * sim::kSecond;
    // Simultaneous inbound sessions: Postfix's smtpd processes (100; 421 4.3.2
    // when all are busy), Exim's smtp_accept_max (20; 421), Sendmail's
    // MaxDaemonChildren (0, no limit; when reached the daemon stops listening,
    // so clients are refused). nullopt: the flavor's default (session_limit()).
    std::optional<int> inbound_session_limit;
    DestinationConcurrency concurrency;
    int process_limit = 100;   // default_process_limit: smtp(8) processes, so deliveries at once
    int active_limit = 20000;  // qmgr_message_active_limit: messages in the active queue
    // Recipients of one message per delivery (one SMTP transaction) to one
    // destination; nullopt: the flavor's default (recipient_limit() below).
    std::optional<int> recipient_limit;
    ConnectionCache connection_cache;
    // How unauthorised relaying is refused. Postfix 3.x's default
    // smtpd_relay_restrictions end in defer_unauth_destination, which answers
    // relay_domains_reject_code - 100 (454 4.7.1); reject_unauth_destination
    // answers relay_domains_reject_code itself (554 5.7.1, or 550 if so set).
    bool defer_unauth_destination = true;
    int relay_domains_reject_code = 554;
    // Postfix's soft_bounce safety net: smtpd answers 4xx where it would answer
    // 5xx (smtpd_check.c), and mail that would bounce or expire stays queued
    // (bounce.c bounce_append: the record goes to the defer service).
    bool soft_bounce = false;
    // reject_unverified_recipient: Postfix's unverified_recipient_reject_code
    // (450: even an undeliverable address is only deferred unless set to 550).
    int unverified_recipient_reject_code = 450;
    std::int64_t bounce_size_limit = 50000;              // bytes of the original an NDR carries
    std::optional<MailboxRateLimit> mailbox_rate_limit;  // for every local mailbox
    std::optional<Greylist> greylist;                    // for local and relay domains
    bool check_spf = false;  // refuse MAIL FROM of a -all domain from a host it does not list
    VirusAction virus_scan = VirusAction::None;
    int virus_reject_code = 554;                 // with VirusAction::Reject
    std::optional<MailboxQuota> mailbox_quota;   // for every local mailbox
    bool reject_multi_recipient_bounce = false;  // smtpd_data_restrictions
    std::vector<ScheduledReply> replies;         // scripted replies, in order
};

// The flavor defaults of the limits above.
inline int hop_limit(const MtaSpec& m) {
    if (m.hopcount_limit) return *m.hopcount_limit;
    return m.flavor == MtaFlavor::Exim ? 30 : m.flavor == MtaFlavor::Sendmail ? 25 : 50;
}
// Postfix default_destination_recipient_limit (50); Exim's smtp transport
// max_rcpt (100); Sendmail's mailer r= (conf.h DEFAULT_MAX_RCPT, 100).
inline int recipient_limit(const MtaSpec& m) {
    if (m.recipient_limit) return *m.recipient_limit;
    return m.flavor == MtaFlavor::Postfix ? 50 : 100;
}
inline int session_limit(const MtaSpec& m) {  // 0: no limit
    if (m.inbound_session_limit) return *m.inbound_session_limit;
    return m.flavor == MtaFlavor::Exim ? 20 : m.flavor == MtaFlavor::Sendmail ? 0 : 100;
}

struct HostSpec {
    std::string name;             // lower case host name, e.g. "mx1.dest.example"
    std::string address;          // IPv4 or IPv6 literal; "": assigned by the world
    std::optional<MtaSpec> mta;   // hosts without an MTA can only send directly
    std::vector<Outage> outages;  // sorted, non-overlapping
};

// ---- Traffic ---------------------------------------------------------------

struct Address {
    std::string local;  // "" for the null reverse path <>
    std::string domain;
    bool is_null() const { return local.empty() && domain.empty(); }
};

struct MessageSpec {
    SimTime at = 0;
    Address from;
    Address to;
    std::string via;           // the host that sends it
    bool direct = false;       // false: submitted into via's MTA queue; true: via speaks SMTP
                               // itself, tries each MX once and gives up (no queue, no NDR)
    std::int64_t size = 4000;  // bytes
    bool trace = false;        // always traced in trace.jsonl
};

// A point of a ramp schedule: from `at` on, the rate moves linearly towards
// the next point's rate (nothing is sent before the first point; the last
// point's rate holds after it).
struct RampPoint {
    SimTime at = 0;
    double rate_per_hour = 0;
};

struct StreamSpec {
    std::string name;           // stable key of its random stream
    std::vector<Address> from;  // each message's sender: uniform from this list
    std::vector<Address> to;    // each message's recipient: uniform from this list
    std::string via;
    bool direct = false;
    double rate_per_hour = 1;  // Poisson
    SimTime start = 0;
    SimTime stop = 0;  // exclusive; 0: the end of the run
    std::int64_t size = 4000;
    std::vector<RampPoint> ramp;  // non-empty: replaces rate_per_hour (model/ramp.hpp)
    bool bulk = false;            // Precedence: bulk
};

// A Klez-like mass-mailing worm: infected hosts with their own SMTP engine
// send straight to the recipient's MX, once, never retrying; every envelope
// sender is forged from the harvested address book, so the NDRs go to
// innocent people (backscatter).
struct WormSpec {
    std::string name;                     // stable key of its random stream
    bool spam = false;                    // a spammer: same engine, counted as origin "spam"
    int infected_hosts = 100;             // client hosts "<name>-bot<i>", added to the world
    std::vector<Address> address_book;    // empty: every mailbox of every domain
    std::vector<Address> forged_senders;  // empty: the address book
    double rate_per_hour = 10;            // messages per infected host, Poisson
    double random_recipient_share = 0;    // recipients with a made-up local part at a book domain
    double backup_mx_share = 0;           // messages aimed at the worst-preference MX
    SimTime start = 0;
    SimTime stop = 0;                // exclusive; 0: the end of the run
    std::int64_t size = 30000;       // bytes (Klez carried an executable)
    std::vector<RampPoint> ramp;     // per infected host; non-empty: replaces rate_per_hour
    std::optional<bool> virus;       // carries a virus; default: a worm does, a spammer not
    int recipients_per_message = 1;  // envelope recipients per SMTP transaction
    double null_sender_share = 0;    // messages sent from <> (fake bounces)
    bool bulk = false;               // Precedence: bulk
};

// The host name of a worm's bot number `i`: "<worm>-bot<i>".
inline std::string worm_bot_name(const std::string& worm, int i) {
    std::string name = worm;
    name += "-bot";
    name += std::to_string(i);
    return name;
}

struct TrafficSpec {
    std::vector<MessageSpec> messages;
    std::vector<StreamSpec> streams;
    std::vector<WormSpec> worms;
};

// ---- The whole scenario ----------------------------------------------------

struct Scenario {
    std::string name;
    std::string question;
    std::string description;
    std::uint64_t seed = 1;
    SimTime duration = 7 * sim::kDay;
    SimTime bin_width = sim::kHour;  // of the result time series
    DnsSpec dns;
    NetworkSpec network;
    std::vector<HostSpec> hosts;
    std::vector<DomainSpec> domains;
    TrafficSpec traffic;
};

}  // namespace mxsim::model
