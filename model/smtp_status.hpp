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
    bool permanent() const { return enhanced.size() > 0 && enhanced[0] == '5'; }
    bool transient() const { return enhanced.size() > 0 && enhanced[0] == '4'; }
    bool ok() const { return enhanced.size() > 0 && enhanced[0] == '2'; }
};

namespace status {

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
Status remote_said(std::string_view host, const Status& reply,
                   std::string_view command = "RCPT TO");

}  // namespace status
}  // namespace mxsim::model
