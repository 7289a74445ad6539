// smtp_status.hpp - replies and delivery statuses: basic code, enhanced code, text.
// Offers Status and the constructors for each case mxsim models, with the
// wording of Postfix 3.x (each cites where Postfix produces it).
#pragma once

#include <string>
#include <string_view>

namespace mxsim::model {

struct Status {
    int code = 250;        // SMTP basic code (RFC 5321 section 4.2)
    std::string enhanced;  // RFC 3463, e.g. "5.1.1"
    std::string text;
    bool permanent() const { return kind() == '5'; }
    bool transient() const { return kind() == '4'; }
    bool ok() const { return kind() == '2'; }
    // The class: the reply code's first digit, or for a status without a reply
    // (code 0: what a client or queue concluded) the enhanced code's. Exim's
    // replies carry no enhanced code.
    char kind() const {
        if (code != 0) return static_cast<char>('0' + code / 100);
        return enhanced.empty() ? '0' : enhanced[0];
    }
};

namespace status {

// soft_bounce: a 5xx reply or a 5.x.y status as its 4xx / 4.x.y (the text stays).
Status softened(Status s);

// Replies that never vary are made once (no text built per message).
const Status& accepted();
const Status& queued();
const Status& delivered_to_mailbox();
// Receiving side (smtpd).
Status relay_denied(int code, std::string_view rcpt);
Status unknown_local_recipient(std::string_view rcpt);
Status unknown_relay_recipient(std::string_view rcpt);
Status unverified_pending(std::string_view rcpt);
Status unverified(int code, std::string_view rcpt, const Status& probe);
Status too_many_sessions();
Status too_many_hops();
Status mailbox_rate_exceeded(int code, std::string_view rcpt);
Status greylisted(std::string_view rcpt, long long delay_seconds);
Status spf_fail(std::string_view sender);
Status batv_unsigned(std::string_view rcpt);
Status mailbox_full(int code, std::string_view rcpt);
// Receiving side, end of DATA (smtpd_data_restrictions, milters, content filters).
Status multi_recipient_bounce();
Status virus_rejected(int code);
const Status& virus_discarded();
// Sending side (smtp client, qmgr, local).
Status connection_refused(std::string_view host);
Status connection_timed_out(std::string_view host);
Status no_smtp_service(std::string_view host);
Status dns_servfail(std::string_view name, std::string_view type);
Status dns_not_found(std::string_view name, std::string_view type);
Status null_mx(std::string_view domain);
Status loops_back_to_myself(std::string_view domain);
Status no_primary_relay(std::string_view domain);
// The same status with another enhanced code (a soft form of a hard error).
Status with_enhanced(const Status& st, std::string_view enhanced);
Status suspended(const Status& why);
Status unfrozen();
Status frozen_cancelled();
Status local_unknown_user(std::string_view local);
Status local_mailbox_full(std::string_view local);
Status notice_queued(std::string_view kind);
// `command`: what the reply answered ("RCPT TO", "DATA", "end of DATA").
// A multi-line reply (lines separated by '\n') reads as Postfix logs it:
// "550-line 550-line 550 line" (smtp_proto.c: translit(resp->str, "\n", " ")).
Status remote_said(std::string_view host, const Status& reply,
                   std::string_view command = "RCPT TO");
// A greeting that is not 2xx: "host h[a] refused to talk to me: 421 ...".
Status refused_to_talk(std::string_view host, const Status& reply);

// ---- Exim 4.96 with configure.default (acl_check_rcpt), and Debian's routers.
// Exim sends no enhanced status codes of its own (smtp_in.c).
const Status& exim_accepted();                              // smtp_in.c: "250 Accepted"
Status exim_relay_not_permitted();                          // 550 relay not permitted
Status exim_unrouteable_address();                          // 550 Unrouteable address
Status exim_sender_verify_failed(std::string_view sender);  // 550 (three lines)
Status exim_temporary_local_problem();                      // 451
Status exim_too_many_connections();                         // 421 (daemon.c)
Status exim_too_many_received();                            // deliver.c, at delivery
Status exim_queue_only(int limit);  // daemon.c: past smtp_accept_queue_per_connection

// ---- Sendmail 8.17 with generic-linux.mc (proto.m4 rulesets).
Status sendmail_recipient_ok(std::string_view rcpt);                // 250 2.1.5 <a>... Recipient ok
Status sendmail_relaying_denied(std::string_view rcpt);             // 550 5.7.1
Status sendmail_user_unknown(std::string_view rcpt);                // 550 5.1.1
Status sendmail_sender_domain_missing(std::string_view sender);     // 553 5.1.8
Status sendmail_sender_domain_unresolved(std::string_view sender);  // 451 4.1.8
Status sendmail_too_many_hops();                                    // deliver.c sendall(), 5.4.6

}  // namespace status
}  // namespace mxsim::model
