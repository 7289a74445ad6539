// attempt.hpp - one delivery attempt, worked out when it starts and applied when
// it ends. Offers Attempt: its outcome, status, duration, and the MX hosts that
// failed or were skipped (Exim's retry hints read them).
#pragma once

#include <optional>
#include <vector>

#include "model/host_list.hpp"
#include "model/message.hpp"
#include "model/smtp_status.hpp"

namespace mxsim::model {

// How an attempt starts: by a queue runner (Exim, Sendmail: one message after
// another), over a connection still open to that host (the runner's, or one
// Postfix's smtp(8) cached), and whether its session is to be kept.
struct AttemptStart {
    bool queue_run = false;
    std::optional<HostIndex> open_connection;
    SimTime connected_at = 0;        // of the open connection
    int messages_on_connection = 0;  // it carried before
    bool store_connection = false;   // keep the session afterwards (qmgr's CONN_STORE)
};

struct Attempt {
    enum class Result { HandedOver, Bounce, Defer };
    // The outcome for a further recipient of the same transaction (RFC 5321
    // section 3.3: one MAIL, an RCPT per recipient each answered on its own, one
    // DATA for those accepted). Unanswered: the transaction never reached RCPT,
    // so the first recipient's outcome holds for it.
    struct OtherRecipient {
        MessageId m = kNoMessage;
        bool answered = false;
        Result result = Result::Defer;
        Status status;
        HostIndex next_hop = 0;  // with HandedOver
    };
    Result result = Result::Defer;
    Status status;
    NameId domain = 0;
    HostIndex next_hop = 0;                 // with HandedOver
    std::optional<HostIndex> session_with;  // server whose session slot the attempt holds
    bool connect_failures_only = true;      // every MX failed to connect: a dead destination
    SimTime duration = 0;
    // Exim: hosts tried that failed to connect (their retry records are updated
    // at the end), and hosts skipped because their retry time had not come.
    HostList failed_hosts;
    HostList skipped_hosts;
    bool exim_all_expired = true;  // every skipped host has failed past the last cutoff
    bool exim_timed_out = false;   // set at the end: some failed host's retry item timed out
    bool discard = false;          // the server accepted it to throw it away
    bool queue_run = false;        // started by a queue runner (AttemptStart)
    bool rcpt_deferred = false;    // a server answered RCPT with 4xx (an address error)
    bool host_skips_only = false;  // no host was tried: each one's retry time had not come
    // The session it ended in: opened when, and how many messages it carried.
    SimTime connected_at = 0;
    int messages_on_connection = 0;
    bool store_connection = false;       // from AttemptStart
    std::vector<OtherRecipient> others;  // empty: one recipient
};

}  // namespace mxsim::model
