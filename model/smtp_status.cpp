// smtp_status.cpp - the reply and status texts, worded as Postfix 3.x words them.
#include "model/smtp_status.hpp"

#include <initializer_list>

namespace mxsim::model::status {
namespace {

Status make(int code, std::string_view enhanced, std::string text) {
    return {code, std::string(enhanced), std::move(text)};
}

// Concatenation by appends: GCC 12 at -O3 warns falsely (-Wrestrict, bug 105651)
// about chains of std::string operator+ that start from a literal.
// One allocation per text: texts are made for every reply.
std::string cat(std::initializer_list<std::string_view> parts) {
    std::size_t size = 0;
    for (const std::string_view p : parts)
        size += p.size();
    std::string out;
    out.reserve(size);
    for (const std::string_view p : parts)
        out.append(p);
    return out;
}

}  // namespace

Status softened(Status s) {
    if (s.code / 100 == 5) s.code -= 100;
    if (!s.enhanced.empty() && s.enhanced[0] == '5') s.enhanced[0] = '4';
    return s;
}

const Status& accepted() {
    static const Status reply = make(250, "2.1.5", "Ok");
    return reply;
}
const Status& queued() {
    static const Status reply = make(250, "2.0.0", "Ok: queued");
    return reply;
}
const Status& delivered_to_mailbox() {
    static const Status reply = make(250, "2.0.0", "delivered to mailbox");
    return reply;
}

// smtpd_check.c, check_relay_domains()/reject_unauth_destination: relay_domains_reject_code.
Status relay_denied(int code, std::string_view rcpt) {
    return make(code, code >= 500 ? "5.7.1" : "4.7.1", cat({"<", rcpt, ">: Relay access denied"}));
}
// smtpd_check.c, check_rcpt_maps(): unknown_local_recipient_reject_code = 550.
Status unknown_local_recipient(std::string_view rcpt) {
    return make(
        550, "5.1.1",
        cat({"<", rcpt, ">: Recipient address rejected: User unknown in local recipient table"}));
}
// smtpd_check.c, check_rcpt_maps(): unknown_relay_recipient_reject_code = 550.
Status unknown_relay_recipient(std::string_view rcpt) {
    return make(
        550, "5.1.1",
        cat({"<", rcpt, ">: Recipient address rejected: User unknown in relay recipient table"}));
}
// smtpd_check.c, reject_unverified_address(): a probe still pending after
// address_verify_poll_count x poll_delay answers unverified_recipient_defer_code.
Status unverified_pending(std::string_view rcpt) {
    return make(450, "4.1.1",
                cat({"<", rcpt,
                     ">: Recipient address rejected: unverified address: Address verification in "
                     "progress"}));
}
// reject_unverified_address(): a deferred or bounced probe answers with the
// probe's reason; the code is unverified_recipient_reject_code for a bounce.
Status unverified(int code, std::string_view rcpt, const Status& probe) {
    const bool hard = code >= 500;
    return make(code, hard ? "5.1.1" : "4.1.1",
                cat({"<", rcpt, ">: Recipient address rejected: ",
                     hard ? "undeliverable address: " : "unverified address: ", probe.text}));
}
// A plain smtpd at its process limit leaves clients in the listen queue;
// postscreen, the usual front, answers this (postscreen.c).
Status too_many_sessions() {
    return make(421, "4.3.2", "All server ports are busy");
}
// A per-mailbox rate limit, as policy services answer it (Postfix has no
// per-recipient limit of its own): 450 4.2.1 asks the client to try later,
// 550 5.7.1 refuses. RFC 3463: X.2.1 "mailbox disabled, not accepting messages".
Status mailbox_rate_exceeded(int code, std::string_view rcpt) {
    return code >= 500
               ? make(
                     550, "5.7.1",
                     cat({"<", rcpt, ">: Recipient address rejected: mailbox rate limit exceeded"}))
               : make(450, "4.2.1",
                      cat({"<", rcpt,
                           ">: Recipient address rejected: mailbox rate limit exceeded, try again "
                           "later"}));
}

// Greylisting as Postfix's policy services answer it (postgrey: "450 4.7.1
// ... Greylisted"; RFC 3463 X.7.1: delivery not authorized).
Status greylisted(std::string_view rcpt, long long delay_seconds) {
    return make(450, "4.7.1",
                cat({"<", rcpt, ">: Recipient address rejected: Greylisted for ",
                     std::to_string(delay_seconds), " seconds"}));
}

// RFC 7208 section 8.4 and RFC 7372: a "fail" result may be rejected with
// 550 5.7.23 (policyd-spf's wording).
Status spf_fail(std::string_view sender) {
    return make(
        550, "5.7.23",
        cat({"<", sender,
             ">: Sender address rejected: Message rejected due to: SPF fail - not authorized"}));
}
// BATV: a bounce (null sender) to an address that never signed a message.
Status batv_unsigned(std::string_view rcpt) {
    return make(
        550, "5.7.1",
        cat({"<", rcpt, ">: Recipient address rejected: bounce to an unsigned address (BATV)"}));
}

// A quota policy service (Dovecot's quota-status: quota_status_overquota =
// "552 5.2.2 Mailbox is full"), as Postfix's check_policy_service words its
// action at RCPT; 452 4.2.2 is the temporary form (RFC 3463 X.2.2, RFC 5321 4.2.3).
Status mailbox_full(int code, std::string_view rcpt) {
    return make(code, code >= 500 ? "5.2.2" : "4.2.2",
                cat({"<", rcpt, ">: Recipient address rejected: Mailbox is full"}));
}

// smtpd_check.c, reject_multi_recipient_bounce in smtpd_data_restrictions:
// multi_recipient_bounce_reject_code (550), as Postfix logs it.
Status multi_recipient_bounce() {
    return make(550, "5.5.3", "<DATA>: Data command rejected: Multi-recipient bounce");
}
// A virus found at the end of DATA by a milter or a pre-queue amavisd:
// amavisd-new answers "550 5.7.1 Message content rejected, id=... - VIRUS:
// <name>" (later "554 5.7.0 Reject, id=... - INFECTED: <name>"); clamav-milter
// answers 550 5.7.1 with its RejectMsg. The model knows no id or virus name.
Status virus_rejected(int code) {
    return make(code, "5.7.1", "Message content rejected - VIRUS found");
}
// amavisd-new's D_DISCARD: "250 2.7.0 Ok, discarded, id=... - INFECTED: <name>".
const Status& virus_discarded() {
    static const Status reply = make(250, "2.7.0", "Ok, discarded - INFECTED");
    return reply;
}

// cleanup_message.c counts Received: headers; at hopcount_limit cleanup_stat.c
// makes smtpd answer 554 5.4.0 at the end of DATA.
Status too_many_hops() {
    return make(554, "5.4.0", "Error: too many hops");
}

// smtp_connect.c, smtp_connect_sock(): "connect to %s[%s]:%d: %m", 4.4.1;
// `peer` is "name[address]".
Status connection_refused(std::string_view peer) {
    return make(0, "4.4.1", cat({"connect to ", peer, ":25: Connection refused"}));
}
Status connection_timed_out(std::string_view peer) {
    return make(0, "4.4.1", cat({"connect to ", peer, ":25: Connection timed out"}));
}
// A host that runs no MTA refuses port 25 like a down one; mxsim says which.
Status no_smtp_service(std::string_view peer) {
    return make(0, "4.4.1", cat({"connect to ", peer, ":25: Connection refused (no MTA)"}));
}
// smtp_addr.c, smtp_domain_addr(): DNS_RETRY -> 4.4.3, DNS_NOTFOUND -> 5.4.4.
Status dns_servfail(std::string_view name, std::string_view type) {
    return make(0, "4.4.3",
                cat({"Host or domain name not found. Name service error for name=", name,
                     " type=", type, ": Host not found, try again"}));
}
Status dns_not_found(std::string_view name, std::string_view type) {
    return make(0, "5.4.4",
                cat({"Host or domain name not found. Name service error for name=", name,
                     " type=", type, ": Host not found"}));
}
// smtp_addr.c: DNS_NULLMX -> 5.1.0 (RFC 7505 itself suggests 556 5.1.10).
Status null_mx(std::string_view domain) {
    return make(0, "5.1.0", cat({"Domain ", domain, " does not accept mail (nullMX)"}));
}
// smtp_addr.c, smtp_truncate_self(): nothing left once self and worse are removed.
Status loops_back_to_myself(std::string_view domain) {
    return make(0, "5.4.6", cat({"mail for ", domain, " loops back to myself"}));
}
// smtp_addr.c, smtp_domain_addr(): better MX hosts exist but none has an address.
Status no_primary_relay(std::string_view domain) {
    return make(0, "4.4.4", cat({"unable to find primary relay for ", domain}));
}
Status with_enhanced(const Status& st, std::string_view enhanced) {
    return make(st.code, enhanced, st.text);
}
// qmgr_message.c: mail for a throttled (dead) destination is deferred with the stored reason.
Status suspended(const Status& why) {
    return make(0, why.enhanced.empty() ? "4.4.1" : why.enhanced,
                cat({"delivery temporarily suspended: ", why.text}));
}
// Exim deliver.c: a frozen bounce old enough for ignore_bounce_errors_after,
// and one that timeout_frozen_after cancels first.
Status unfrozen() {
    return make(0, "", "Unfrozen by errmsg timer");
}
Status frozen_cancelled() {
    return make(0, "5.0.0", "cancelled by timeout_frozen_after");
}
// local(8): unknown user with smtpd_reject_unlisted_recipient = no.
Status local_unknown_user(std::string_view local) {
    return make(0, "5.1.1", cat({"unknown user: \"", local, "\""}));
}
// local(8) mailbox.c "cannot update mailbox %s for user %s. " + mail_copy.c
// "error writing message: %m": mailbox_size_limit is a file size limit, so the
// write fails with EFBIG, which mbox_open.c mbox_dsn() maps to 5.2.2 (a bounce).
Status local_mailbox_full(std::string_view local) {
    return make(0, "5.2.2",
                cat({"cannot update mailbox /var/mail/", local, " for user ", local,
                     ". error writing message: File too large"}));
}
// A notice an MTA (or its content filter or auto-responder) writes and queues.
Status notice_queued(std::string_view kind) {
    return make(250, "2.0.0", cat({"Ok: queued (", kind, ")"}));
}
namespace {

// A reply as Postfix's smtp(8) quotes it: every line with its code, "550-"
// before the last and "550 " on it (smtp_proto.c: translit(resp->str, "\n", " ")).
std::string quoted(const Status& reply) {
    const std::string code = std::to_string(reply.code);
    std::string text;
    std::string_view rest = reply.text;
    for (;;) {
        const auto nl = rest.find('\n');
        text += cat({code, nl == std::string_view::npos ? " " : "-"});
        if (!reply.enhanced.empty()) text += cat({reply.enhanced, " "});
        text += rest.substr(0, nl);
        if (nl == std::string_view::npos) return text;
        text += ' ';
        rest.remove_prefix(nl + 1);
    }
}

// smtp_chat.c, smtp_chat_resp(): a reply without an enhanced code gets X.0.0.
std::string dsn_of(const Status& reply) {
    if (!reply.enhanced.empty()) return reply.enhanced;
    return std::to_string(reply.code).substr(0, 1) + ".0.0";
}

}  // namespace

// smtp_trouble.c: the remote server's own reply, quoted, after "host
// name[address] said:" (session->namaddr).
Status remote_said(std::string_view host, const Status& reply, std::string_view command) {
    return make(
        reply.code, dsn_of(reply),
        cat({"host ", host, " said: ", quoted(reply), " (in reply to ", command, " command)"}));
}
// smtp_proto.c, smtp_helo(): a greeting (or EHLO reply) that is not 2xx.
Status refused_to_talk(std::string_view host, const Status& reply) {
    return make(reply.code, dsn_of(reply),
                cat({"host ", host, " refused to talk to me: ", quoted(reply)}));
}

// ---- Exim ------------------------------------------------------------------

const Status& exim_accepted() {
    static const Status reply = make(250, "", "Accepted");
    return reply;
}
// configure.default: require message = relay not permitted, domains =
// +local_domains : +relay_to_domains.
Status exim_relay_not_permitted() {
    return make(550, "", "relay not permitted");
}
// require verify = recipient: route.c's "Unrouteable address" for an unknown
// local part, as Debian 12's Exim answers (shared/domain/exim-queue.md rule
// 10: its last router, mail4root, has no cannot_route_message; upstream's
// configure.default would say "Unknown user", the localuser router's).
Status exim_unrouteable_address() {
    return make(550, "", "Unrouteable address");
}
// require verify = sender: smtp_handle_acl_fail() sends the verification
// result before the ACL's own line (acl.c, smtp_in.c).
Status exim_sender_verify_failed(std::string_view sender) {
    return make(
        550, "",
        cat({"Verification failed for <", sender, ">\nUnrouteable address\nSender verify failed"}));
}
// A verification that met a temporary DNS failure (acl_temp_details unset).
Status exim_temporary_local_problem() {
    return make(451, "", "Temporary local problem - please try later");
}
// daemon.c, handle_smtp_call(): over smtp_accept_max, before any greeting.
Status exim_too_many_connections() {
    return make(421, "", "Too many concurrent SMTP connections; please try again later.");
}
// deliver.c: more Received: headers than received_headers_max fail every
// recipient at delivery (RECIP_FAIL_LOOP); the DSN Status is 5.0.0.
Status exim_queue_only(int limit) {
    return make(0, "",
                "no immediate delivery: more than " + std::to_string(limit) +
                    " messages received in one connection");
}

Status exim_too_many_received() {
    return make(0, "5.0.0", "Too many \"Received\" headers - suspected mail loop");
}

// ---- Sendmail --------------------------------------------------------------
// err.c fmtmsg() puts "<addr>... " after 250, 450, 550 and 553 codes only.

Status sendmail_recipient_ok(std::string_view rcpt) {
    return make(250, "2.1.5", cat({"<", rcpt, ">... Recipient ok"}));  // srvrsmtp.c
}
// proto.m4 Basic_check_rcpt: neither $=w nor $=R, and the client not local.
Status sendmail_relaying_denied(std::string_view rcpt) {
    return make(550, "5.7.1", cat({"<", rcpt, ">... Relaying denied"}));
}
// recipient.c: EX_NOUSER (libsm/strexit.c "User unknown").
Status sendmail_user_unknown(std::string_view rcpt) {
    return make(550, "5.1.1", cat({"<", rcpt, ">... User unknown"}));
}
// proto.m4 Basic_check_mail, at MAIL FROM: the resolve map says the sender's
// domain does not exist, or could not be looked up.
Status sendmail_sender_domain_missing(std::string_view sender) {
    return make(553, "5.1.8",
                cat({"<", sender, ">... Domain of sender address ", sender, " does not exist"}));
}
Status sendmail_sender_domain_unresolved(std::string_view sender) {
    return make(451, "4.1.8", cat({"Domain of sender address ", sender, " does not resolve"}));
}
// deliver.c sendall(): over MaxHopCount every recipient fails, 554 5.4.6.
Status sendmail_too_many_hops() {
    return make(554, "5.4.6", "Too many hops");
}

}  // namespace mxsim::model::status
