// exim_retry.cpp - Exim's retry rules, following src/src/retry.c, readconf.c and transports/smtp.c.
// Offers the parser and the record arithmetic declared in exim_retry.hpp; every function names
// the Exim function it follows. Times are whole seconds, as Exim's time(NULL).
#include "model/exim_retry.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <stdexcept>
#include <string>

namespace mxsim::model {
namespace {

using sim::kSecond;

// ---- parsing (readconf.c readconf_retries) ---------------------------------

[[noreturn]] void fail_rule(std::size_t index, std::string_view rule, const std::string& why) {
    throw std::invalid_argument("exim retry rule " + std::to_string(index) + " \"" +
                                std::string(rule) + "\": " + why);
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
        s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
        s.remove_suffix(1);
    return s;
}

std::vector<std::string_view> split(std::string_view text, char sep) {
    std::vector<std::string_view> parts;
    for (std::size_t start = 0;;) {
        const std::size_t end = text.find(sep, start);
        parts.push_back(text.substr(start, end == std::string_view::npos ? end : end - start));
        if (end == std::string_view::npos) return parts;
        start = end + 1;
    }
}

// readconf_readtime(): digits with a unit (w d h m s), whole seconds, and the rule check
// "timeout <= 0 || p1 <= 0" gives "bad parameters for retry rule".
SimTime parse_rule_time(std::size_t index, std::string_view rule, std::string_view field,
                        const char* what) {
    SimTime t = 0;
    try {
        t = sim::parse_duration(field);
    } catch (const sim::DurationError& e) {
        fail_rule(index, rule, std::string("bad ") + what + ": " + e.what());
    }
    if (t % kSecond != 0) fail_rule(index, rule, std::string(what) + " must be whole seconds");
    if (t <= 0) fail_rule(index, rule, std::string(what) + " must be greater than zero");
    return t;
}

// retry_arg(&p, 1) reads a fixed-point number (x1000); Exim needs p2 >= 1000, mxsim > 1.
double parse_multiplier(std::size_t index, std::string_view rule, std::string_view field) {
    double m = 0;
    const auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), m);
    if (field.empty() || ec != std::errc{} || end != field.data() + field.size() ||
        !std::isfinite(m))
        fail_rule(index, rule, "bad multiplier \"" + std::string(field) + "\"");
    if (m <= 1.0) fail_rule(index, rule, "the G multiplier must be greater than 1");
    // Exim multiplies gaps in integer seconds (retry.c); mxsim refuses what
    // would overflow them (issue 12). Real rules use 1.5 or 2.
    if (m > 1000.0) fail_rule(index, rule, "the G multiplier must be at most 1000");
    return m;
}

EximRetryRule parse_one_rule(std::size_t index, std::string_view rule) {
    std::vector<std::string_view> f = split(rule, ',');
    for (auto& part : f)
        part = trim(part);
    const char letter = f[0].size() == 1
                            ? static_cast<char>(std::toupper(static_cast<unsigned char>(f[0][0])))
                            : '?';
    if (letter != 'F' && letter != 'G' && letter != 'H')
        fail_rule(index, rule, "unknown rule letter \"" + std::string(f[0]) + "\" (F or G)");
    if (letter == 'H')
        fail_rule(index, rule, "H (randomized geometric) rules are not supported; use G");
    const std::size_t want = letter == 'F' ? 3 : 4;
    const char* shape = letter == 'F' ? "F,cutoff,interval" : "G,cutoff,interval,multiplier";
    if (f.size() < want) fail_rule(index, rule, std::string("missing field (") + shape + ")");
    if (f.size() > want) fail_rule(index, rule, std::string("extra field (") + shape + ")");
    EximRetryRule r;
    r.kind = letter;
    r.cutoff = parse_rule_time(index, rule, f[1], "cutoff");
    r.interval = parse_rule_time(index, rule, f[2], "interval");
    r.multiplier = letter == 'G' ? parse_multiplier(index, rule, f[3]) : 1.0;
    return r;
}

// ---- retry arithmetic (retry.c) --------------------------------------------

// time(NULL) and received_time.tv_sec: whole seconds, truncated.
SimTime whole(SimTime t) {
    return sim::whole_seconds(t) * kSecond;
}

void check_kinds(const std::vector<EximRetryRule>& rules) {
    for (const EximRetryRule& r : rules)
        if (r.kind != 'F' && r.kind != 'G')
            throw std::invalid_argument(std::string("exim retry rule kind '") + r.kind +
                                        "' is not supported (F or G)");
}

// retry_check_address() / retry_update(): "now - time_stamp > retry_data_expire" ignores a
// record; time_stamp is when the record was last written, i.e. its last_try.
std::optional<EximRetryRecord> fresh(const std::optional<EximRetryRecord>& record, SimTime now_s,
                                     const EximRetryOptions& o) {
    if (record && now_s - record->last_try > o.retry_data_expire) return std::nullopt;
    return record;
}

// retry_ultimate_address_timeout(): "now - received_time > last_rule->timeout"; no rules
// means "no retry rule found: assume timed out".
bool ultimate_timeout(const std::vector<EximRetryRule>& rules, SimTime now_s, SimTime recv_s) {
    return rules.empty() || now_s - recv_s > rules.back().cutoff;
}

// retry_update(): "if (failing_interval <= rule->timeout) break;" - the first rule whose
// cutoff has not passed; the cutoff itself still belongs to the rule.
const EximRetryRule* current_rule(const std::vector<EximRetryRule>& rules, SimTime failing) {
    for (const EximRetryRule& r : rules)
        if (failing <= r.cutoff) return &r;
    return nullptr;
}

// retry_update(), 'G': lastgap = min(next_try - last_try, now - last_try); the next gap is
// p1 while lastgap < p1, else (lastgap * p2) / 1000 in integer seconds, p2 = multiplier * 1000.
SimTime geometric_gap(const EximRetryRule& rule, const EximRetryRecord& r, SimTime now_s) {
    const std::int64_t predicted = (r.next_try - r.last_try) / kSecond;
    const std::int64_t actual = (now_s - r.last_try) / kSecond;
    const std::int64_t lastgap = std::min(predicted, actual);
    const std::int64_t p1 = rule.interval / kSecond;
    if (lastgap < p1) return rule.interval;
    const auto p2 = static_cast<std::int64_t>(std::llround(rule.multiplier * 1000.0));
    return lastgap * p2 / 1000 * kSecond;
}

SimTime rule_gap(const EximRetryRule& rule, const EximRetryRecord& r, SimTime now_s) {
    return rule.kind == 'F' ? rule.interval : geometric_gap(rule, r, now_s);
}

SimTime first_run_at_or_after(SimTime t, SimTime interval, SimTime phase) {
    if (t <= phase) return phase;
    return phase + (t - phase + interval - 1) / interval * interval;
}

}  // namespace

std::vector<EximRetryRule> parse_exim_retry_rules(std::string_view text) {
    std::vector<std::string_view> parts = split(text, ';');
    // readconf_retries: a ';' may end the list ("F,2h,15m;" is one rule).
    if (parts.size() > 1 && trim(parts.back()).empty()) parts.pop_back();
    if (parts.size() == 1 && trim(parts[0]).empty())
        throw std::invalid_argument("exim retry rules \"" + std::string(text) + "\": empty list");
    std::vector<EximRetryRule> rules;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        const std::string_view rule = trim(parts[i]);
        if (rule.empty()) fail_rule(i + 1, rule, "empty rule (two ';' in a row?)");
        rules.push_back(parse_one_rule(i + 1, rule));
        if (i > 0 && rules[i].cutoff <= rules[i - 1].cutoff)
            fail_rule(i + 1, rule, "cutoff must be greater than the previous rule's cutoff");
    }
    return rules;
}

namespace {

// retry_update(): host errors measure the failing interval from the record's
// first failure only; other (address) errors take the message's age if larger.
EximFailure after_failure(const std::vector<EximRetryRule>& rules,
                          const std::optional<EximRetryRecord>& previous, SimTime now,
                          SimTime received, const EximRetryOptions& options, bool host_error) {
    check_kinds(rules);
    const SimTime now_s = whole(now);
    const SimTime recv_s = whole(received);
    // A missing or too old record: first_failed = last_try = next_try = now.
    EximRetryRecord r =
        fresh(previous, now_s, options).value_or(EximRetryRecord{now_s, now_s, now_s, false});
    EximFailure out;
    SimTime failing = now_s - r.first_failed;
    if (!host_error) failing = std::max(failing, now_s - recv_s);  // "message_age"
    const EximRetryRule* rule = current_rule(rules, failing);
    r.expired = rule == nullptr;
    if (r.expired) {  // past the last cutoff: time out, keep computing from the final rule
        out.timed_out = true;
        rule = rules.empty() ? nullptr : &rules.back();
    } else if (recv_s <= r.first_failed && now_s - recv_s > rules.back().cutoff) {
        out.timed_out = true;  // "on queue longer than maximum retry": next_try = now
        rule = nullptr;
    }
    SimTime next = rule ? now_s + rule_gap(*rule, r, now_s) : now_s;
    next = std::min(next, now_s + options.retry_interval_max);  // "Impose a global retry max"
    r.last_try = now_s;
    r.next_try = next;
    out.record = r;
    return out;
}

}  // namespace

EximFailure exim_after_failure(const std::vector<EximRetryRule>& rules,
                               const std::optional<EximRetryRecord>& previous, SimTime now,
                               SimTime received, const EximRetryOptions& options) {
    return after_failure(rules, previous, now, received, options, true);
}

EximFailure exim_after_address_failure(const std::vector<EximRetryRule>& rules,
                                       const std::optional<EximRetryRecord>& previous, SimTime now,
                                       SimTime received, const EximRetryOptions& options) {
    return after_failure(rules, previous, now, received, options, false);
}

EximHostStatus exim_host_status(const std::vector<EximRetryRule>& rules,
                                const std::optional<EximRetryRecord>& record, SimTime now,
                                SimTime received, const EximRetryOptions& options) {
    const SimTime now_s = whole(now);
    const std::optional<EximRetryRecord> r = fresh(record, now_s, options);
    if (!r) return EximHostStatus::Usable;
    if (now_s < r->next_try) {
        // "Check for the ultimate address timeout if the host has not expired."
        if (!r->expired && ultimate_timeout(rules, now_s, whole(received)))
            return EximHostStatus::Usable;
        return r->expired ? EximHostStatus::UnusableExpired : EximHostStatus::Unusable;
    }
    return r->expired ? EximHostStatus::UsableExpired : EximHostStatus::Usable;
}

SimTime exim_next_allowed_try(const std::vector<EximRetryRule>& rules,
                              const std::optional<EximRetryRecord>& record, SimTime now,
                              SimTime received, const EximRetryOptions& options) {
    const EximHostStatus s = exim_host_status(rules, record, now, received, options);
    if (s == EximHostStatus::Usable || s == EximHostStatus::UsableExpired) return now;
    // The record is present and fresh here; whichever comes first frees the host.
    SimTime t = std::min(record->next_try, record->last_try + options.retry_data_expire + kSecond);
    if (!record->expired) t = std::min(t, whole(received) + rules.back().cutoff + kSecond);
    return std::max(t, now);
}

EximAction exim_try_decision(const std::vector<EximRetryRule>& rules,
                             const std::optional<EximRetryRecord>& record, SimTime now,
                             SimTime received, const EximRetryOptions& options) {
    switch (exim_host_status(rules, record, now, received, options)) {
        case EximHostStatus::Usable:
        case EximHostStatus::UsableExpired:
            return EximAction::Try;
        case EximHostStatus::Unusable:
            return EximAction::Defer;  // "retry time not reached for any host"
        case EximHostStatus::UnusableExpired:
            break;
    }
    // Every host expired and none tried: with delay_after_cutoff the address fails; without
    // it, a second pass tries expired hosts "whose last try was before the arrival time of
    // the current message" (skipped when host->last_try > received_time).
    if (options.delay_after_cutoff || record->last_try > whole(received)) return EximAction::Bounce;
    return EximAction::Try;
}

EximDeadHostHistory exim_failing_host_schedule(const std::vector<EximRetryRule>& rules,
                                               SimTime received, SimTime queue_run_interval,
                                               SimTime queue_run_phase,
                                               std::optional<EximRetryRecord> initial,
                                               const EximRetryOptions& options) {
    if (queue_run_interval < 0) throw std::invalid_argument("queue_run_interval must be >= 0");
    constexpr int kMaxSteps = 10'000'000;
    EximDeadHostHistory h;
    std::optional<EximRetryRecord> record = initial;
    SimTime t = received;  // immediate delivery on arrival
    for (int step = 0; step < kMaxSteps; ++step) {
        const EximAction a = exim_try_decision(rules, record, t, received, options);
        if (a == EximAction::Bounce) {
            h.bounced_at = t;
            h.bounced_without_try = true;
            return h;
        }
        if (a == EximAction::Try) {
            h.tries.push_back(t);
            const EximFailure f = exim_after_failure(rules, record, t, received, options);
            record = f.record;
            if (f.timed_out) {
                h.bounced_at = t;
                return h;
            }
        }
        // The next chance: a later second (ideal runner) or a later queue run, when allowed.
        const SimTime later =
            queue_run_interval == 0
                ? t + kSecond
                : first_run_at_or_after(t + 1, queue_run_interval, queue_run_phase);
        t = exim_next_allowed_try(rules, record, later, received, options);
        if (queue_run_interval > 0)
            t = first_run_at_or_after(t, queue_run_interval, queue_run_phase);
    }
    throw std::logic_error("exim_failing_host_schedule: no bounce within 10^7 steps");
}

}  // namespace mxsim::model
