// attempt.hpp - one delivery attempt, worked out when it starts and applied when
// it ends. Offers Attempt: its outcome, status, duration, and the MX hosts that
// failed or were skipped (Exim's retry hints read them).
#pragma once

#include <optional>

#include "model/host_list.hpp"
#include "model/message.hpp"
#include "model/smtp_status.hpp"

namespace mxsim::model {

struct Attempt {
    enum class Result { HandedOver, Bounce, Defer };
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
};

}  // namespace mxsim::model
