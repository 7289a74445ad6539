// explain.cpp - a message's story, behind `mxsim explain` and mxsim-gui's teaching view:
// picks the messages a query is about and tells their story from the trace, step by
// step, each step with the rule behind it (a table from stage, action, codes and text
// to an RFC or MTA behaviour); tell_story() makes the traced run first.
#include "experiment/explain.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <set>
#include <stdexcept>
#include <unordered_map>

#include "model/world.hpp"
#include "sim/sim_time.hpp"

namespace mxsim::experiment {
namespace {

using model::Message;
using model::MessageId;
using model::TraceRecord;

// ---- the rules ----------------------------------------------------------------------

enum class Dsn { Any, No, Yes };  // must the step's message be a DSN (TraceRecord::parent)?

// One row: empty strings and code 0 match anything; `enhanced` is an exact
// RFC 3463 code, or a class prefix when it ends in '.'; `text` is a substring
// of the reason. The first matching row wins, so specific rows come first.
struct Rule {
    std::string_view stage;
    std::string_view action;
    std::string_view enhanced;
    int code;
    std::string_view text;
    Dsn dsn;
    std::string_view rule;
};

constexpr std::array kRules{
    // -- Exim's default ACL and Sendmail's default rulesets -----------------------------
    Rule{"rcpt", "", "", 550, "relay not permitted", Dsn::Any,
         "Exim's configure.default refuses relaying: \"require message = relay not permitted, "
         "domains = +local_domains : +relay_to_domains\"; the domain is neither"},
    Rule{"rcpt", "", "", 550, "Sender verify failed", Dsn::Any,
         "Exim's configure.default has \"require verify = sender\": the sender's domain does "
         "not route (no MX, no A), or a local sender does not exist, so every RCPT is refused "
         "(a forged sender at a made-up domain ends here)"},
    Rule{"rcpt", "", "", 550, "Unrouteable address", Dsn::Any,
         "Exim's \"require verify = recipient\": no router accepts the local part, so the "
         "unknown recipient is refused during SMTP (route.c; Debian's routers give this text)"},
    Rule{"rcpt", "", "", 451, "Temporary local problem", Dsn::Any,
         "Exim could not finish a verification (a DNS lookup failed for now): 451, try later "
         "(acl_temp_details unset, so no detail)"},
    Rule{"rcpt", "", "", 550, "... Relaying denied", Dsn::Any,
         "Sendmail's check_rcpt (proto.m4 Basic_check_rcpt): the domain is not local ($=w) nor "
         "a relay domain ($=R), and the client is not allowed to relay"},
    Rule{"rcpt", "", "", 550, "... User unknown", Dsn::Any,
         "Sendmail's recipient(): no such local user (EX_NOUSER), refused during SMTP"},
    Rule{"mail", "", "", 0, "Domain of sender address", Dsn::Any,
         "Sendmail's check_mail (proto.m4 Basic_check_mail): the sender's domain does not "
         "resolve, so MAIL FROM is refused: 553 5.1.8 if it does not exist, 451 4.1.8 if the "
         "lookup failed for now"},
    Rule{"connect", "", "", 421, "Too many concurrent SMTP connections", Dsn::Any,
         "Exim at smtp_accept_max (20) answers 421 before any greeting (daemon.c); the client "
         "tries the next MX host and defers after the last"},
    Rule{"queue", "bounced", "", 0, "suspected mail loop", Dsn::Any,
         "Exim accepted the message, then found more Received: headers than "
         "received_headers_max (30) at delivery and failed it (deliver.c), 5.0.0"},
    Rule{"queue", "bounced", "5.4.6", 0, "Too many hops", Dsn::Any,
         "Sendmail accepted the message, then found more hops than MaxHopCount (25) at "
         "delivery and failed it (deliver.c sendall()), 554 5.4.6"},
    // -- queue decisions --------------------------------------------------------------
    Rule{"queue", "accepted", "", 0, "antivirus notice", Dsn::Yes,
         "the virus scanner (amavisd-new with $warnvirussender) tells the envelope sender that "
         "its message carried a virus, in a report from <>; a worm forged that sender, so the "
         "notice lands on an innocent person: antivirus backscatter (Postfix BACKSCATTER_README "
         "asks scanners not to do this)"},
    Rule{"queue", "accepted", "", 0, "vacation auto-reply", Dsn::Yes,
         "RFC 3834 section 2: a vacation responder answers the envelope sender, at most once "
         "per sender per period (vacation(1): 7 days), never <>, never an automatic or bulk "
         "message; to a forged sender the reply is backscatter"},
    Rule{"queue", "accepted", "", 0, "postmaster notification", Dsn::Yes,
         "a notice to the postmaster: Postfix (notify_classes bounce or 2bounce) reports a "
         "failed bounce, or copies every bounce, from double-bounce@$myhostname; Sendmail "
         "sends a failed bounce to DoubleBounceAddress. A notice that fails is discarded"},
    Rule{"queue", "frozen", "", 0, "", Dsn::Any,
         "Exim freezes a bounce that failed for good while younger than "
         "ignore_bounce_errors_after (2d): it waits in the queue, skipped by queue runs "
         "(deliver.c); Exim never sends a double bounce"},
    Rule{"queue", "queued", "", 0, "", Dsn::Any,
         "Exim delivers at most smtp_accept_queue_per_connection (10) messages of one "
         "incoming SMTP session at once; the later ones wait for the next queue run "
         "(daemon.c: \"no immediate delivery\")"},
    Rule{"queue", "thawed", "", 0, "", Dsn::Any,
         "the frozen bounce is now older than ignore_bounce_errors_after: \"Unfrozen by "
         "errmsg timer\", tried once more; if that fails it is discarded"},
    Rule{"queue", "accepted", "", 0, "", Dsn::Yes,
         "RFC 3464: the MTA holding the failed message writes a delivery status notification "
         "to its envelope sender, from the null reverse path <> (RFC 5321 4.5.5), so that it "
         "can never cause another one"},
    Rule{"queue", "accepted", "", 0, "", Dsn::Any,
         "the first MTA takes the message into its queue and tries it at once (Postfix qmgr: "
         "new mail is tried immediately); from now on this MTA answers for it"},
    Rule{"queue", "sent", "", 0, "", Dsn::Any,
         "a client without a queue (a worm's or spammer's own SMTP engine) talks straight to "
         "the MX: nothing will retry it, and a refusal goes back to the client, not as an NDR"},
    Rule{"queue", "rejected", "", 0, "", Dsn::Any,
         "the client has no queue, so the refusal is final: no MTA ever accepted the message, "
         "so no NDR is written (rejecting at SMTP time makes no backscatter)"},
    Rule{"queue", "dropped", "", 0, "", Dsn::Any,
         "never a bounce about a bounce: the sender is <>, so no NDR is sent (RFC 5321 6.1, "
         "RFC 3464); Postfix discards it, and copies it to the postmaster only when "
         "notify_classes has bounce or 2bounce"},
    Rule{"queue", "expired", "", 0, "retry timeout exceeded", Dsn::Any,
         "Exim retry rules: the key (host, or address) has failed past the last rule's cutoff "
         "(4 d by default), so the address fails at this try; Exim's NDR says 5.0.0"},
    Rule{"queue", "expired", "4.4.7", 0, "Cannot send message for", Dsn::Any,
         "Sendmail Timeout.queuereturn (5 d): at the first try past it the message is "
         "returned, Status 4.4.7 (envelope.c dropenvelope())"},
    Rule{"queue", "expired", "", 0, "", Dsn::Any,
         "the queue lifetime ran out (Postfix maximal_queue_lifetime, 5d, or "
         "bounce_queue_lifetime for <>; Exim's last retry cutoff; Sendmail "
         "Timeout.queuereturn): noticed after a failed try, the message goes back to the "
         "sender with its last temporary status"},
    Rule{"queue", "deferred", "", 0, "delivery temporarily suspended", Dsn::Any,
         "dead destination throttle: after a failed connection Postfix marks the destination "
         "dead for minimal_backoff_time (300s) and defers its mail at once, without a DNS "
         "lookup or a connection (qmgr_queue.c, qmgr_message.c)"},
    Rule{"queue", "", "", 0, "after a long failure period", Dsn::Any,
         "Exim retry rules: every host has failed past its final cutoff, so with "
         "delay_after_cutoff the address fails without another try"},
    Rule{"queue", "deferred", "", 0, "retry time not reached for any host", Dsn::Any,
         "Exim retry rules: retry times are kept per host, shared by every message routed "
         "there; a host whose retry time has not come is skipped without a connection, and "
         "with no host left the message waits for a later queue run (every run visits it)"},
    Rule{"queue", "deferred", "", 0, "retry time not reached", Dsn::Any,
         "Exim retry rules: a 4xx to RCPT wrote a retry record for the address (recipient and "
         "sender); the queue run routes the message but does not try the address before its "
         "retry time"},
    Rule{"queue", "deferred", "", 0, "", Dsn::Any,
         "Postfix backoff: a temporary failure keeps the message queued, due again after its "
         "age clamped between minimal_backoff_time (300s) and maximal_backoff_time (4000s), "
         "taken by the deferred-queue scan every queue_run_delay (300s); Exim follows its "
         "retry rules, Sendmail retries at every queue run"},
    Rule{"queue", "bounced", "", 0, "unknown user:", Dsn::Any,
         "the final MTA said 250 and only local(8) found no such mailbox "
         "(smtpd_reject_unlisted_recipient = no): it must bounce, so an NDR goes to the sender "
         "(accept-then-bounce, the root of backscatter)"},
    Rule{"queue", "bounced", "5.4.4", 0, "", Dsn::Any,
         "'host not found' is permanent: NXDOMAIN, no MX and no A record, or no MX host of the "
         "domain with an address (Postfix smtp_addr.c: 5.4.4), so the MTA that accepted the "
         "message must return it: an NDR goes to the sender (RFC 5321 3.6.3)"},
    Rule{"queue", "bounced", "5.1.0", 0, "", Dsn::Any,
         "RFC 7505: the domain publishes a null MX and accepts no mail, so the message fails "
         "at once (Postfix: 5.1.0) and an NDR goes to the sender"},
    Rule{"queue", "bounced", "5.4.6", 0, "", Dsn::Any,
         "RFC 5321 5.1: no MX better than this relay is left (Postfix smtp_truncate_self()), "
         "so the mail would loop back to it; it bounces and an NDR goes to the sender"},
    Rule{"data", "discarded", "", 0, "INFECTED", Dsn::Any,
         "the MTA accepted the message, then its virus scanner dropped it (amavisd-new "
         "D_DISCARD: 250 2.7.0 Ok, discarded); nothing is refused at SMTP time, so a notice to "
         "the sender, if any, is the scanner's choice"},
    Rule{"queue", "bounced", "5.2.2", 0, "cannot update mailbox", Dsn::Any,
         "the final MTA said 250, then local(8) could not write the message: the mailbox is at "
         "its quota (mailbox_size_limit, EFBIG -> 5.2.2 in Postfix mbox_open.c), so it must "
         "bounce, and the NDR goes to the sender, forged or not (accept-then-bounce)"},
    Rule{"data", "rejected", "5.5.3", 0, "Multi-recipient bounce", Dsn::Any,
         "Postfix reject_multi_recipient_bounce (smtpd_data_restrictions): mail from <> is a "
         "bounce, and a bounce reports to one sender, so one with several recipients is forged: "
         "550 5.5.3 at DATA"},
    Rule{"data", "rejected", "", 0, "VIRUS", Dsn::Any,
         "a virus scanner at the end of DATA (a milter such as clamav-milter, or amavisd-new as "
         "a pre-queue filter) refused the content with 5.7.1: the receiver keeps nothing and "
         "writes no NDR; a worm's engine just fails, a relaying MTA bounces to the sender"},
    Rule{"data", "discarded", "", 0, "", Dsn::Any,
         "accepted and thrown away on purpose (a mailbox limit's \"discard\"): no NDR, and "
         "the sender believes the mail was delivered"},
    Rule{"queue", "bounced", "5.4.0", 0, "", Dsn::Any,
         "the next hop counted too many Received: headers (Postfix hopcount_limit, RFC 5321 "
         "6.3 loop detection): a permanent error, so an NDR goes to the sender"},
    Rule{"queue", "bounced", "", 0, "Relay access denied", Dsn::Any,
         "the next hop does not relay for this domain (Postfix reject_unauth_destination, "
         "5.7.1): a permanent error, so this MTA bounces the message with an NDR to the sender"},
    Rule{"queue", "bounced", "5.1.1", 0, "", Dsn::Any,
         "the next hop refused the recipient at RCPT time: a 5xx is permanent (Postfix "
         "smtp_trouble.c), so this MTA, the client, writes the NDR to the sender (RFC 3464)"},
    Rule{"queue", "bounced", "5.", 0, "", Dsn::Any,
         "a permanent (5xx) failure: the MTA holding the message returns it to the sender with "
         "an NDR (RFC 5321 3.6.3, RFC 3464)"},
    // -- DNS -------------------------------------------------------------------------------
    Rule{"dns", "", "5.0.0", 0, "Unrouteable address", Dsn::Any,
         "Exim's router finds no MX and no A record (NXDOMAIN): the address is unrouteable; "
         "every queue run routes each message again, so this is noticed at the next run "
         "(exim-queue.md rule 3); DSN 5.0.0"},
    Rule{"dns", "", "5.1.2", 0, "Host unknown", Dsn::Any,
         "Sendmail finds no MX and no A record: EX_NOHOST, 550 Host unknown, Status 5.1.2 "
         "(deliver.c hostsignature()); routing is redone at every try"},
    Rule{"dns", "", "5.4.4", 0, "", Dsn::Any,
         "'host not found' is permanent: NXDOMAIN, or no MX record and no A record for the "
         "implicit MX (RFC 5321 5.1), or MX records whose hosts have no address (Postfix "
         "smtp_domain_addr(): 'no MX host has a valid address record'); Postfix smtp_addr.c "
         "makes it a hard error, 5.4.4, not a retry"},
    Rule{"dns", "", "4.4.3", 0, "", Dsn::Any,
         "SERVFAIL is temporary: Postfix smtp_addr.c defers with 4.4.3 and asks again at the "
         "next try; a resolver caches such a failure for at most 5 minutes (RFC 2308 7.1)"},
    Rule{"dns", "", "5.1.0", 0, "", Dsn::Any,
         "RFC 7505: a null MX (preference 0, host \".\") says the domain accepts no mail, so "
         "delivery fails at once (Postfix smtp_addr.c: 5.1.0)"},
    Rule{"dns", "", "5.4.6", 0, "", Dsn::Any,
         "RFC 5321 5.1: a relay drops MX records at or worse than its own preference (Postfix "
         "smtp_truncate_self()); nothing is left, so the mail loops back to itself (5.4.6)"},
    Rule{"dns", "", "4.4.4", 0, "unable to find primary relay", Dsn::Any,
         "RFC 5321 5.1: better MX hosts than this one exist but none has an address; Postfix "
         "smtp_addr.c defers (4.4.4) rather than deliver to itself or a worse MX"},
    Rule{"dns", "", "4.4.4", 0, "", Dsn::Any,
         "no MX host has an address, and smtp_defer_if_no_mx_address_found = yes: Postfix "
         "smtp_addr.c defers (4.4.4) instead of bouncing (5.4.4)"},
    // -- connecting ------------------------------------------------------------------------
    Rule{"", "", "4.3.2", 0, "", Dsn::Any,
         "421 4.3.2, server busy: the server is at its process limit (Postfix postscreen, "
         "smtpd process limit); a temporary refusal, so the client tries the next MX host and "
         "defers after the last (RFC 5321 3.8)"},
    Rule{"connect", "", "", 0, "(no MTA)", Dsn::Any,
         "nothing listens on port 25 there: a refused connection is a soft error (4.4.1); RFC "
         "5321 5.1: try the next MX host, defer after the last (Postfix smtp_connect.c)"},
    Rule{"connect", "", "", 0, "timed out", Dsn::Any,
         "no answer within smtp_connect_timeout (30s): a soft error (4.4.1); RFC 5321 5.1: try "
         "the next MX host; Postfix smtp_trouble.c moves on, and defers only after the last"},
    Rule{"connect", "", "4.4.1", 0, "", Dsn::Any,
         "RFC 5321 5.1: try the next MX host; Postfix smtp_trouble.c: a soft error moves on, "
         "and the message is deferred only when the last MX host fails"},
    Rule{"connect", "", "4.", 0, "", Dsn::Any,
         "a temporary failure before any reply: RFC 5321 5.1, try the next MX host (Postfix "
         "smtp_trouble.c), and defer after the last"},
    // -- RCPT TO ---------------------------------------------------------------------------
    Rule{"rcpt", "accepted", "", 0, "", Dsn::Any,
         "RFC 5321 3.6.3 and 6.1: by saying 250 the server takes over the message and must "
         "deliver it or bounce it: \"You 250 OK the mail, you gotta deliver it or bounce it\""},
    Rule{"rcpt", "", "5.4.0", 0, "", Dsn::Any,
         "Postfix hopcount_limit (50 Received: headers, counted by cleanup(8)) refuses the "
         "message with 554 5.4.0: RFC 5321 6.3 loop detection"},
    Rule{"rcpt", "", "4.7.1", 0, "Greylisted", Dsn::Any,
         "greylisting: the first attempt of a new (client, sender, recipient) triplet is "
         "deferred; an MTA that retries after the delay gets through, a worm that never "
         "retries does not (Postgrey, Harris 2003)"},
    Rule{"rcpt", "", "", 0, "Mailbox is full", Dsn::Any,
         "a quota policy service (Dovecot quota-status) found the mailbox full at RCPT: 452 "
         "4.2.2 makes the sender's MTA retry, 552 5.2.2 refuses, so the sender's MTA, not this "
         "server, writes any NDR"},
    Rule{"rcpt", "", "", 0, "mailbox rate limit", Dsn::Any,
         "the mailbox's rate limit is exhausted: 450 4.2.1 makes the sender's MTA retry "
         "later, 550 5.7.1 refuses for good (the NANOG thread's choice between the two)"},
    Rule{"rcpt", "", "5.7.23", 0, "", Dsn::Any,
         "SPF (RFC 7208): the sender's domain publishes -all and does not list this client, "
         "so the message is refused at MAIL FROM (RFC 7372: 5.7.23)"},
    Rule{"rcpt", "", "", 0, "BATV", Dsn::Any,
         "BATV: the domain signs its own senders, so a bounce to an unsigned address is "
         "about a message that forged it: backscatter, refused"},
    Rule{"rcpt", "", "4.7.1", 0, "Relay access denied", Dsn::Any,
         "this server does not relay for that domain: Postfix defer_unauth_destination answers "
         "relay_domains_reject_code - 100 (454 4.7.1 by default), a temporary refusal, so the "
         "client tries again later"},
    Rule{"rcpt", "", "5.7.1", 0, "Relay access denied", Dsn::Any,
         "this server does not relay for that domain: Postfix reject_unauth_destination answers "
         "relay_domains_reject_code with 5.7.1 (554 by default), a permanent refusal, so the "
         "client's MTA writes the NDR"},
    Rule{"rcpt", "", "", 0, "Address verification in progress", Dsn::Any,
         "Postfix reject_unverified_recipient: the probe to the better MX hosts had no answer "
         "within address_verify_poll_count x poll_delay (6s), so 450 4.1.1: try again later"},
    Rule{"rcpt", "", "", 0, "undeliverable address", Dsn::Any,
         "Postfix reject_unverified_recipient: the probe bounced (remembered for 3d), so 550 "
         "5.1.1 at SMTP time: the sender's MTA, not this server, writes the NDR"},
    Rule{"rcpt", "", "", 0, "unverified address", Dsn::Any,
         "Postfix reject_unverified_recipient: the probe was deferred, so the recipient is "
         "refused with 450 4.1.1 (unverified_recipient_defer_code) until it can be checked"},
    Rule{"rcpt", "", "", 0, "relay recipient table", Dsn::Any,
         "the backup MX validates recipients at SMTP time (Postfix relay_recipient_maps), so "
         "the sender's MTA, not the receiver, writes the NDR"},
    Rule{"rcpt", "", "", 0, "local recipient table", Dsn::Any,
         "the receiving server validates recipients at SMTP time (Postfix "
         "smtpd_reject_unlisted_recipient, local_recipient_maps), so the sender's MTA, not the "
         "receiver, writes the NDR"},
    Rule{"rcpt", "", "5.1.1", 0, "", Dsn::Any,
         "the receiving server validates recipients at SMTP time (Postfix "
         "smtpd_reject_unlisted_recipient / relay_recipient_maps), so the sender's MTA, not the "
         "receiver, writes the NDR"},
    Rule{"rcpt", "", "4.", 0, "", Dsn::Any,
         "a 4xx reply to RCPT is temporary (RFC 5321 4.2.1): Postfix smtp_trouble.c tries the "
         "next MX host, and defers after the last"},
    Rule{"rcpt", "", "5.", 0, "", Dsn::Any,
         "a 5xx reply to RCPT is permanent (RFC 5321 4.2.1): Postfix smtp_trouble.c bounces the "
         "recipient even at the first MX and tries no backup"},
    // -- DATA and delivery -------------------------------------------------------------
    Rule{"data", "relayed", "", 0, "", Dsn::Any,
         "RFC 5321 6.1: the 250 after DATA hands the message over; the next MTA queues it and "
         "from now on runs its own retries"},
    Rule{"data", "delivered", "", 0, "", Dsn::Any,
         "final delivery: local(8) stores the message in the mailbox (2.0.0); this message's "
         "journey ends here"},
};

// A class prefix ("5.") also matches a reply without an enhanced code (Exim's)
// by its code's first digit.
bool enhanced_matches(std::string_view pattern, const TraceRecord& s) {
    if (pattern.empty()) return true;
    std::string actual = s.enhanced;
    if (actual.empty() && s.code != 0) actual = std::to_string(s.code).substr(0, 1) + ".0.0";
    if (pattern.back() == '.') return actual.substr(0, pattern.size()) == pattern;
    return s.enhanced == pattern;
}

bool matches(const Rule& r, const TraceRecord& s) {
    const bool is_dsn = s.parent != model::kNoMessage;
    return (r.stage.empty() || r.stage == s.stage) && (r.action.empty() || r.action == s.action) &&
           enhanced_matches(r.enhanced, s) && (r.code == 0 || r.code == s.code) &&
           (r.text.empty() || s.reason.find(r.text) != std::string::npos) &&
           (r.dsn == Dsn::Any || (r.dsn == Dsn::Yes) == is_dsn);
}

// ---- text helpers -------------------------------------------------------------------

constexpr std::size_t kWidth = 100;
constexpr std::string_view kBody = "            ";  // the indent of a step's lines

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// "bob@x", "<bob@x>", " <BOB@X> " -> "bob@x"; "<>" -> "".
std::string normalized_address(std::string_view a) {
    while (!a.empty() && a.front() == ' ')
        a.remove_prefix(1);
    while (!a.empty() && a.back() == ' ')
        a.remove_suffix(1);
    if (a.size() >= 2 && a.front() == '<' && a.back() == '>') a = a.substr(1, a.size() - 2);
    return lower(a);
}

std::string address_or_null(model::AddressRef a, const AddressText& address_of) {
    return a.is_null() ? "<>" : address_of(a);
}

// Simulated time as "1h20m", on whole seconds.
std::string when(sim::SimTime t) {
    return sim::format_duration(sim::whole_seconds(t) * sim::kSecond);
}

// `text` broken at spaces into lines of at most kWidth: the first starts with
// `first`, the others with `rest`. Runs of spaces inside a line are kept; a word
// too long for any line is cut.
void wrap(std::string& out, std::string_view first, std::string_view rest, std::string_view text) {
    std::string line(first);
    std::size_t start = line.size();  // where this line's words begin
    std::size_t i = 0;
    while (i < text.size()) {
        const std::size_t w = std::min(text.find_first_not_of(' ', i), text.size());
        const std::size_t end = std::min(text.find(' ', w), text.size());
        std::string_view gap = text.substr(i, w - i);
        std::string_view word = text.substr(w, end - w);
        i = end;
        if (word.empty()) break;  // trailing spaces
        if (line.size() > start && line.size() + gap.size() + word.size() > kWidth) {
            out += line;
            out += '\n';
            line = std::string(rest);
            start = line.size();
            gap = {};
        }
        line += gap;
        while (line.size() + word.size() > kWidth) {
            const std::size_t room = kWidth - std::min(kWidth, line.size());
            line += word.substr(0, room);
            out += line;
            out += '\n';
            line = std::string(rest);
            start = line.size();
            word.remove_prefix(room);
        }
        line += word;
    }
    out += line;
    out += '\n';
}

// The reply itself, without Postfix's "host X said: 421 4.3.2 " and
// " (in reply to RCPT TO command)" around it (smtp_status.cpp remote_said()).
std::string reply_text(const TraceRecord& s) {
    std::string_view t = s.reason;
    const std::size_t said = t.find(" said: ");
    if (t.substr(0, 5) == "host " && said != std::string_view::npos) t.remove_prefix(said + 7);
    const std::string codes = std::to_string(s.code) + " " + s.enhanced + " ";
    if (t.substr(0, codes.size()) == codes) t.remove_prefix(codes.size());
    const std::size_t tail = t.rfind(" (in reply to ");
    if (tail != std::string_view::npos) t = t.substr(0, tail);
    return std::string(t);
}

std::string reply(const TraceRecord& s) {
    return std::to_string(s.code) + " " + s.enhanced + " " + reply_text(s);
}

std::string connect_outcome(const TraceRecord& s) {
    if (s.code != 0) return "connect  <- " + reply(s);
    const std::string& t = s.reason;
    const std::string what = t.find("(no MTA)") != std::string::npos ? "refused, no MTA listening"
                             : t.find("Connection refused") != std::string::npos ? "refused"
                             : t.find("timed out") != std::string::npos          ? "timed out"
                                                                                 : t;
    return "connect: " + what + " (" + s.enhanced + ")";
}

std::string queue_outcome(const TraceRecord& s) {
    if (s.action == "accepted" && s.parent != model::kNoMessage)
        return "queue: created here, about message " + std::to_string(s.parent);
    if (s.action == "accepted") return "queue: accepted from the sender (" + s.enhanced + ")";
    if (s.action == "sent") return "sent by a client without a queue";
    return "queue: " + s.action + " (" + s.enhanced + ") " + s.reason;
}

// The step as a line of the SMTP dialogue (or of the queue's log).
std::string dialogue(const TraceRecord& s, const std::string& rcpt) {
    if (s.stage == "rcpt") return "RCPT TO:<" + rcpt + ">  <- " + reply(s);
    if (s.stage == "connect") return connect_outcome(s);
    if (s.stage == "dns") return "DNS: " + s.reason + " (" + s.enhanced + ")";
    if (s.stage == "data" && s.action == "delivered")
        return "local delivery: " + s.reason + " (" + s.enhanced + ")";
    if (s.stage == "data") return "DATA  <- " + reply(s);
    if (s.stage == "queue") return queue_outcome(s);
    return s.stage + ": " + s.action + " (" + s.enhanced + ") " + s.reason;
}

// ---- the story of one message ---------------------------------------------------------

struct StoryContext {
    const std::vector<TraceRecord>& trace;
    const std::vector<Message>& messages;
    const AddressText& address_of;
    const std::set<MessageId>& selected;
    const std::multimap<MessageId, MessageId>& dsns;  // parent -> DSNs about it
};

// "NDR", "delay warning" or "postmaster notice"; "" for a message that is not a DSN.
std::string_view dsn_kind(const Message& m) {
    if (m.parent == model::kNoMessage) return "";
    switch (m.origin) {
        case model::Origin::Ndr:
            return "NDR";
        case model::Origin::DelayWarning:
            return "delay warning";
        case model::Origin::PostmasterNotice:
            return "postmaster notice";
        case model::Origin::AvNotice:
            return "antivirus notice";
        case model::Origin::AutoReply:
            return "auto-reply";
        default:
            return "";
    }
}

std::string header(MessageId id, const Message& m, const AddressText& address_of) {
    const std::string path =
        address_or_null(m.sender, address_of) + " -> " + address_or_null(m.recipient, address_of);
    const std::string prefix = "message " + std::to_string(id) + ": ";
    const std::string_view kind = dsn_kind(m);
    if (!kind.empty())
        return prefix + std::string(kind) + " about message " + std::to_string(m.parent) + ", " +
               path;
    return prefix + path + " (" + std::string(model::kOriginNames[std::size_t(m.origin)]) + ")";
}

// A relay (a host the message was handed to) tries only MX hosts better than itself.
bool first_try_by_relay(const StoryContext& c, const std::vector<std::size_t>& steps,
                        std::size_t k) {
    const TraceRecord& s = c.trace[steps[k]];
    if (s.stage != "connect" && s.stage != "rcpt") return false;
    bool relayed_here = false;
    for (std::size_t j = 0; j < k; ++j) {
        const TraceRecord& p = c.trace[steps[j]];
        if (p.from == s.from && (p.stage == "connect" || p.stage == "rcpt")) return false;
        relayed_here |= p.action == "relayed" && p.to == s.from;
    }
    return relayed_here;
}

// Extra lines that need the steps around this one: when the next try came,
// whether the MX hosts ran out, why a relay skips itself.
std::vector<std::string> notes(const StoryContext& c, const std::vector<std::size_t>& steps,
                               std::size_t k) {
    const TraceRecord& s = c.trace[steps[k]];
    const TraceRecord* next = k + 1 < steps.size() ? &c.trace[steps[k + 1]] : nullptr;
    std::vector<std::string> out;
    if (first_try_by_relay(c, steps, k))
        out.push_back(
            "note: a relay tries only MX hosts better than itself: it drops itself and "
            "every MX of equal or worse preference (RFC 5321 5.1, Postfix "
            "smtp_truncate_self())");
    if (s.stage == "queue" && s.action == "deferred" && next) {
        const auto wait =
            std::max<std::int64_t>(0, sim::whole_seconds(next->t) - sim::whole_seconds(s.t));
        out.push_back("next try: at " + when(next->t) + ", " +
                      sim::format_duration(wait * sim::kSecond) + " later");
    }
    if ((s.stage == "connect" || s.stage == "rcpt") && s.action == "deferred" && next &&
        next->stage == "queue" && next->action == "deferred" && next->from == s.from)
        out.push_back("note: that was the last MX host to try, so the message stays queued");
    return out;
}

std::string fate_line(MessageId id, const Message& m, const StoryContext& c) {
    std::string line = "  fate: " + std::string(model::kFateNames[std::size_t(m.fate)]);
    const auto [first, last] = c.dsns.equal_range(id);
    for (auto it = first; it != last; ++it) {
        const Message& d = c.messages[it->second];
        line += "; " + std::string(dsn_kind(d)) + " to " +
                address_or_null(d.recipient, c.address_of) + " is message " +
                std::to_string(it->second) + " (" +
                std::string(model::kFateNames[std::size_t(d.fate)]) + ")";
        if (!c.selected.count(it->second))
            line += ", see: mxsim explain --message " + std::to_string(it->second);
    }
    return line;
}

// A repeated rule is named by its opening words, when they are short: " (RFC 5321 5.1)".
std::string rule_tag(std::string_view rule) {
    const std::size_t colon = rule.find(':');
    if (colon == std::string_view::npos || colon > 40) return "";
    return " (" + std::string(rule.substr(0, colon)) + ")";
}

void tell_step(std::string& out, const StoryContext& c, const std::vector<std::size_t>& steps,
               std::size_t k, std::map<std::string, sim::SimTime>& told, const std::string& rcpt) {
    const TraceRecord& s = c.trace[steps[k]];
    std::string head = "  " + when(s.t);
    head.resize(std::max<std::size_t>(head.size() + 2, kBody.size()), ' ');
    out += head + s.from + (s.to.empty() ? "" : " -> " + s.to) + "\n";
    wrap(out, kBody, std::string(kBody) + "    ", dialogue(s, rcpt));
    const std::string rule = rule_behind(s);
    const auto [seen, fresh] = told.emplace(rule, s.t);
    const std::string why = fresh ? rule : "as at " + when(seen->second) + rule_tag(rule);
    wrap(out, std::string(kBody) + "why: ", std::string(kBody) + "     ", why);
    for (const std::string& n : notes(c, steps, k))
        wrap(out, kBody, std::string(kBody) + "    ", n);
}

void tell_message(std::string& out, MessageId id, const std::vector<std::size_t>& steps,
                  const StoryContext& c) {
    const Message& m = c.messages[id];
    wrap(out, "", "    ", header(id, m, c.address_of));
    if (steps.empty())
        wrap(out, "  ", "  ",
             "(no trace records for this message: run with tracing on; when some message in "
             "the scenario has \"trace\": true, only those messages and their DSNs are traced)");
    const std::string rcpt = m.recipient.is_null() ? "" : c.address_of(m.recipient);
    std::map<std::string, sim::SimTime> told;  // rule -> when it was first given
    for (std::size_t k = 0; k < steps.size(); ++k)
        tell_step(out, c, steps, k, told, rcpt);
    wrap(out, "", "        ", fate_line(id, m, c));
}

}  // namespace

// ---- the API --------------------------------------------------------------------------

std::string rule_behind(const TraceRecord& step) {
    for (const Rule& r : kRules)
        if (matches(r, step)) return std::string(r.rule);
    return std::string(kFallbackRule);
}

std::vector<MessageId> select_messages(const std::vector<Message>& messages,
                                       const AddressText& address_of, const ExplainQuery& query) {
    if (!query.message && !query.address)
        throw std::invalid_argument("explain: give --message ID or --address ADDR");
    if (query.message && *query.message >= messages.size())
        throw std::invalid_argument("explain: there is no message " +
                                    std::to_string(*query.message) + " (the run created " +
                                    std::to_string(messages.size()) + ")");
    const std::string wanted = query.address ? normalized_address(*query.address) : "";
    const auto touches = [&](model::AddressRef a) {
        return a.is_null() ? wanted.empty() : lower(address_of(a)) == wanted;
    };
    std::vector<bool> tree(messages.size(), false);  // the message and its DSNs, however deep
    std::vector<MessageId> out;
    for (MessageId id = 0; id < messages.size(); ++id) {
        const Message& m = messages[id];
        // A DSN is created after the message it reports on: its parent's id is smaller.
        tree[id] = query.message && (id == *query.message || (m.parent < id && tree[m.parent]));
        const bool by_address = query.address && (touches(m.sender) || touches(m.recipient));
        if (tree[id] || by_address) out.push_back(id);
    }
    if (query.address && out.empty())
        throw std::invalid_argument("explain: no message of this run is to or from " +
                                    *query.address);
    return out;
}

std::string explain_story(const std::vector<TraceRecord>& trace,
                          const std::vector<MessageId>& selected,
                          const std::vector<Message>& messages, const AddressText& address_of) {
    const std::set<MessageId> chosen(selected.begin(), selected.end());
    std::unordered_map<MessageId, std::vector<std::size_t>> steps;
    for (std::size_t i = 0; i < trace.size(); ++i)
        if (chosen.count(trace[i].msg)) steps[trace[i].msg].push_back(i);
    std::multimap<MessageId, MessageId> dsns;
    for (MessageId id = 0; id < messages.size(); ++id)
        if (messages[id].parent != model::kNoMessage && chosen.count(messages[id].parent))
            dsns.emplace(messages[id].parent, id);
    const StoryContext c{trace, messages, address_of, chosen, dsns};
    std::string out;
    for (const MessageId id : selected) {
        if (id >= messages.size())
            throw std::invalid_argument("explain: there is no message " + std::to_string(id));
        if (!out.empty()) out += "\n";
        tell_message(out, id, steps[id], c);
    }
    return out;
}

Story tell_story(const model::Scenario& scenario, std::uint64_t seed, const ExplainQuery& query) {
    model::Scenario traced = scenario;
    for (model::MessageSpec& m : traced.traffic.messages)
        m.trace = false;  // trace everything
    model::World world(traced, {seed, 0, true});
    world.run();
    const AddressText address_of = [&world](model::AddressRef r) { return world.address_text(r); };
    Story story;
    story.selected = select_messages(world.messages(), address_of, query);
    for (const model::TraceRecord& t : world.trace())
        if (std::binary_search(story.selected.begin(), story.selected.end(), t.msg))
            story.steps.push_back(t);
    story.text = explain_story(world.trace(), story.selected, world.messages(), address_of);
    return story;
}

}  // namespace mxsim::experiment
