// maillog.hpp - a Postfix maillog (syslog lines, or maillog_file's with ISO 8601
// times) read into what each message went through: arrival, sender, size,
// recipients, and every delivery attempt with its time, relay, DSN and status.
// Offers read_maillog(); the line formats are Postfix's own (smtpd, cleanup, qmgr,
// smtp, local, error, bounce, as postfix/README_FILES/DEBUG_README and the
// daemons' log calls write them).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mxsim::importer {

// A status= line: one delivery attempt of one recipient.
struct LoggedAttempt {
    double t = 0;        // seconds since the log's first line
    std::string status;  // sent, deferred, bounced, expired
    std::string dsn;     // 2.0.0, 4.4.1, ...
    std::string relay;   // mx.example[192.0.2.1]:25, local, none
    std::string text;    // the parenthesised reason
    int line = 0;
};

struct LoggedRecipient {
    std::string address;
    std::vector<LoggedAttempt> attempts;
};

struct LoggedMessage {
    std::string queue_id;
    double arrival = 0;  // smtpd's client= (or pickup's) line, else qmgr's from= line
    std::string from;    // "" for <>
    std::int64_t size = 0;
    std::string client;  // smtpd's client=NAME[ADDR], "" for local submission
    std::vector<LoggedRecipient> recipients;
    bool notice = false;  // a non-delivery or delay notice this host wrote
    int line = 0;
};

// An SMTP-time refusal: "NOQUEUE: reject: RCPT from ...: 550 5.1.1 ...".
struct LoggedRejection {
    double t = 0;
    std::string from, to, client;
    int code = 0;
    std::string dsn, text;
    int line = 0;
};

struct Maillog {
    std::string host;                     // the syslog host field of the first Postfix line
    std::string start_time;               // that line's time as written
    double span = 0;                      // seconds from the first Postfix line to the last
    std::vector<LoggedMessage> messages;  // in order of arrival
    std::vector<LoggedRejection> rejections;
    std::vector<std::string> warnings;
    std::size_t lines_read = 0, lines_used = 0;
};

// Lines of other programs are skipped; a line that is not a log line at all is
// an ImportError naming "<file>:<line>".
Maillog read_maillog(std::string_view text, std::string_view file);

}  // namespace mxsim::importer
