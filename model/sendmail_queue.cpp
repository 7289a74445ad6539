// sendmail_queue.cpp - Sendmail's queue timing, following envelope.c dropenvelope() and the
// daemon's periodic queue runs (see sendmail_queue.hpp for the rules and their sources).
// Offers the functions declared there; times are whole seconds as Sendmail's curtime().
#include "model/sendmail_queue.hpp"

#include "model/queue_runs.hpp"

#include <cctype>
#include <stdexcept>
#include <string>
#include <string_view>

namespace mxsim::model {
namespace {

using sim::kSecond;

SimTime whole(SimTime t) {
    return sim::whole_seconds(t) * kSecond;
}

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) !=
            std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}

void check_spec(const SendmailQueueSpec& spec) {
    if (spec.queue_interval <= 0)
        throw std::invalid_argument("sendmail queue_interval must be greater than zero");
    if (spec.queuereturn < 0 || spec.queuewarn < 0)
        throw std::invalid_argument("sendmail queuereturn and queuewarn must not be negative");
}

}  // namespace

SendmailOutcome sendmail_after_failure(const SendmailQueueSpec& spec, SimTime ctime, SimTime now,
                                       bool warned, bool sender_gets_warnings) {
    const SimTime now_s = whole(now);
    const SimTime ctime_s = whole(ctime);
    // "if (now >= e->e_ctime + TimeOuts.to_q_return[...]) msg_timeout = MSG_T_O;" A zero
    // queuereturn is "NOW" (MSG_T_O_NOW), which returns at once as well.
    if (now_s >= ctime_s + spec.queuereturn) return SendmailOutcome::Return;
    // The warning is checked only when the message did not time out, and only once:
    // "!bitset(EF_WARNING|EF_RESPONSE, e->e_flags)".
    if (spec.queuewarn > 0 && now_s >= ctime_s + spec.queuewarn && !warned && sender_gets_warnings)
        return SendmailOutcome::Warn;
    return SendmailOutcome::Keep;
}

bool sendmail_sender_gets_warnings(const Address& from, bool bulk) {
    if (bulk || from.is_null()) return false;  // "e->e_class >= 0", "strcmp(..., \"<>\")"
    const std::string addr = from.domain.empty() ? from.local : from.local + "@" + from.domain;
    const std::string_view a = addr;
    if (a.size() >= 6 && iequals(a.substr(0, 6), "owner-")) return false;
    if (a.size() > 8 && iequals(a.substr(a.size() - 8), "-request")) return false;
    return true;
}

SimTime sendmail_next_queue_run(const SendmailQueueSpec& spec, SimTime t, SimTime phase) {
    check_spec(spec);
    return next_queue_run_after(t, spec.queue_interval, phase);
}

SendmailHistory sendmail_failing_schedule(const SendmailQueueSpec& spec, SimTime arrival,
                                          SimTime phase, bool sender_gets_warnings) {
    check_spec(spec);
    constexpr std::size_t kMaxAttempts = 10'000'000;
    SendmailHistory h;
    for (SimTime t = arrival; h.attempts.size() < kMaxAttempts;
         t = sendmail_next_queue_run(spec, t, phase)) {
        h.attempts.push_back(t);
        const bool warned = h.warned_at.has_value();
        switch (sendmail_after_failure(spec, arrival, t, warned, sender_gets_warnings)) {
            case SendmailOutcome::Return:
                h.returned_at = t;
                return h;
            case SendmailOutcome::Warn:
                h.warned_at = t;
                break;
            case SendmailOutcome::Keep:
                break;
        }
    }
    throw std::invalid_argument("sendmail_failing_schedule: more than 10^7 queue runs");
}

}  // namespace mxsim::model
