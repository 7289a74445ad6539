// exim_retry.hpp - Exim's per-host retry rules and retry records, as pure functions.
// Offers parse_exim_retry_rules() ("F,2h,15m; G,16h,1h,1.5; F,4d,6h"), exim_after_failure()
// (retry.c retry_update), exim_host_status() (retry.c retry_check_address), exim_try_decision()
// (smtp transport, one host) and exim_failing_host_schedule() (a whole dead-host history).
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "model/scenario.hpp"

namespace mxsim::model {

// Sources (see docs/queues-exim-sendmail.md): Exim/exim src/src/retry.c (stored copy at
// 3386088d, "Copyright 1995 - 2015"; the 2018 copy and the 2004 import agree on all of the
// below), src/src/readconf.c readconf_retries() and src/src/transports/smtp.c. Exim's clock is
// time(NULL): every time below is kept in whole seconds (SimTime values that are multiples of
// sim::kSecond); a fractional `now` is truncated as time(NULL) would.

// Main options and the smtp transport's delay_after_cutoff, with Exim's defaults.
struct EximRetryOptions {
    SimTime retry_interval_max = 24 * sim::kHour;  // cap on any computed interval
    SimTime retry_data_expire = 7 * sim::kDay;     // records older than this are ignored
    bool delay_after_cutoff = true;                // smtp transport option
};

// Parses the rule part of an Exim retry line ("F,2h,15m; G,16h,1h,1.5; F,4d,6h"):
// rules separated by ';', each LETTER,cutoff,interval[,multiplier]; the letter may be lower
// case (readconf_retries applies toupper); times need a unit (w d h m s, as readconf_readtime).
// Throws std::invalid_argument naming the rule and the problem: unknown letter, H (randomized,
// not supported), missing or extra field, bad or sub-second or zero duration, G multiplier
// <= 1, cutoffs not strictly increasing, empty list. (Exim itself accepts a multiplier of
// exactly 1 and unordered cutoffs; mxsim rejects them as almost certainly mistakes.)
std::vector<EximRetryRule> parse_exim_retry_rules(std::string_view text);

// A host retry record (dbdata_retry in the hints database, key "T:host:ip").
struct EximRetryRecord {
    SimTime first_failed = 0;  // start of the current failure period
    SimTime last_try = 0;      // the failure that last wrote the record (also its time_stamp)
    SimTime next_try = 0;      // the host is not tried before this
    bool expired = false;      // the host has failed for longer than the last rule's cutoff
};

// What retry_update() makes of one host retry item after a failed try at `now`.
struct EximFailure {
    EximRetryRecord record;  // the record Exim writes back for the host
    bool timed_out = false;  // this retry item timed out: if it was the address's only one and
                             // no host was skipped, the address bounces "retry timeout exceeded"
};

// retry_update() for a host error (rf_host): `previous` is the host's record, nullopt when
// there is none; one older than retry_data_expire is ignored. `received` is the message's
// arrival (received_time). Empty `rules` time out at once, as a retry line without rules does.
EximFailure exim_after_failure(const std::vector<EximRetryRule>& rules,
                               const std::optional<EximRetryRecord>& previous, SimTime now,
                               SimTime received, const EximRetryOptions& options = {});

// The same for an address record ("R:rcpt@domain:<sender>", a 4xx to RCPT):
// the failing interval is the message's age when that is longer.
EximFailure exim_after_address_failure(const std::vector<EximRetryRule>& rules,
                                       const std::optional<EximRetryRecord>& previous, SimTime now,
                                       SimTime received, const EximRetryOptions& options = {});

// retry_check_address(): how the smtp transport sees a host for a message received at
// `received`. Usable hosts are tried; UsableExpired is retry_check_address returning TRUE
// (retry time reached, host past its cutoff); unusable hosts are skipped this time.
enum class EximHostStatus { Usable, UsableExpired, Unusable, UnusableExpired };
EximHostStatus exim_host_status(const std::vector<EximRetryRule>& rules,
                                const std::optional<EximRetryRecord>& record, SimTime now,
                                SimTime received, const EximRetryOptions& options = {});

// The earliest time >= `now` at which exim_host_status() stops saying Unusable or
// UnusableExpired for this message: the record's next_try, or for a host not expired the
// moment the message becomes older than the last cutoff (retry_ultimate_address_timeout).
// A queue model schedules the host's next chance from this. Returns `now` when usable now.
SimTime exim_next_allowed_try(const std::vector<EximRetryRule>& rules,
                              const std::optional<EximRetryRecord>& record, SimTime now,
                              SimTime received, const EximRetryOptions& options = {});

// What the smtp transport does with an address whose only host has this record (the host loop
// and its "cutoff_retry" second pass in transports/smtp.c): try it, defer it without a try
// ("retry time not reached for any host"), or fail it without a try ("retry time not reached
// for any host after a long failure period", or with delay_after_cutoff false "all hosts have
// been failing for a long time and were last tried after this message arrived").
enum class EximAction { Try, Defer, Bounce };
EximAction exim_try_decision(const std::vector<EximRetryRule>& rules,
                             const std::optional<EximRetryRecord>& record, SimTime now,
                             SimTime received, const EximRetryOptions& options = {});

// The history of one message to a host that always fails, tried whenever Exim allows it: on
// arrival (immediate delivery) and then at queue runs at phase + k * queue_run_interval at or
// after exim_next_allowed_try(); queue_run_interval 0 means a try at exactly that moment.
// `initial` is the host's record when the message arrives (nullopt: the host was fine).
struct EximDeadHostHistory {
    std::vector<SimTime> tries;        // every delivery attempt, the last one included
    SimTime bounced_at = 0;            // when the address fails
    bool bounced_without_try = false;  // failed by exim_try_decision(), not by a timed-out try
};
EximDeadHostHistory exim_failing_host_schedule(const std::vector<EximRetryRule>& rules,
                                               SimTime received, SimTime queue_run_interval,
                                               SimTime queue_run_phase = 0,
                                               std::optional<EximRetryRecord> initial = {},
                                               const EximRetryOptions& options = {});

}  // namespace mxsim::model
