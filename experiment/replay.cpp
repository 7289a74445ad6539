// replay.cpp - the log's traffic as scenario messages, one traced run, and the
// attempts paired in order, recipient by recipient.
#include "experiment/replay.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <optional>
#include <sstream>

#include "model/world.hpp"
#include "scenario/experiment_file.hpp"

namespace mxsim::experiment {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

constexpr const char* kClientHost = "client.replay.invalid";  // RFC 2606: never a real name

// One message the replay injects: a recipient of a logged message, or a refusal.
struct Injection {
    double at = 0;
    const importer::LoggedMessage* message = nullptr;
    const importer::LoggedRecipient* recipient = nullptr;
    const importer::LoggedRejection* rejection = nullptr;
};

struct Attempt {
    double t = 0;
    std::string status, dsn, text;
};

// A time as a scenario duration: whole microseconds, so that no two injections
// share a time and the simulation creates them in this order.
std::string at_text(double seconds, std::size_t nth_in_second) {
    const auto us = static_cast<std::int64_t>(std::floor(seconds)) * 1'000'000 +
                    static_cast<std::int64_t>(nth_in_second);
    return std::to_string(us) + "us";
}

// An address as the scenario takes it: lower case ("Joe@Example.ORG" is the same
// mailbox to mxsim), "" for <>; nullopt when it has no single '@' (a bare local
// name such as "root", which Postfix qualifies with $myorigin).
std::optional<std::string> scenario_address(const std::string& logged) {
    std::string a = logged;
    std::transform(a.begin(), a.end(), a.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (a.empty()) return a;
    const std::size_t at = a.find('@');
    if (at == std::string::npos || at == 0 || a.find('@', at + 1) != std::string::npos ||
        at + 1 == a.size())
        return std::nullopt;
    return a;
}

std::vector<Injection> injections_of(const importer::Maillog& log,
                                     std::vector<std::string>& warnings) {
    std::vector<Injection> out;
    const auto usable = [&](const std::string& address, int line) {
        if (scenario_address(address)) return true;
        warnings.push_back("log line " + std::to_string(line) + ": <" + address +
                           "> is not a full address: left out of the replay");
        return false;
    };
    for (const importer::LoggedMessage& m : log.messages) {
        if (m.notice || !usable(m.from, m.line)) continue;  // the simulation writes its own NDRs
        for (const importer::LoggedRecipient& r : m.recipients)
            if (usable(r.address, m.line)) out.push_back({m.arrival, &m, &r, nullptr});
    }
    for (const importer::LoggedRejection& r : log.rejections)
        if (usable(r.from, r.line) && usable(r.to, r.line))
            out.push_back({r.t, nullptr, nullptr, &r});
    std::stable_sort(out.begin(), out.end(),
                     [](const Injection& a, const Injection& b) { return a.at < b.at; });
    return out;
}

json scenario_with_traffic(json doc, const importer::Maillog& log,
                           const std::vector<Injection>& injections, const std::string& host) {
    for (const char* key : {"traffic", "variants", "sweeps", "replications", "series"})
        doc.erase(key);
    // The run lasts as long as the log: both end at its last line.
    doc["duration"] = std::to_string(static_cast<std::int64_t>(std::floor(log.span)) + 1) + "s";
    if (doc.contains("bin_width")) doc.erase("bin_width");
    doc["bin_width"] = doc["duration"];
    json messages = json::array();
    std::size_t nth = 0;
    double second = -1;
    for (const Injection& i : injections) {
        nth = std::floor(i.at) == second ? nth + 1 : 0;
        second = std::floor(i.at);
        json m = {{"at", at_text(i.at, nth)}, {"trace", true}};
        const auto address = [](const std::string& a) {
            const std::string s = *scenario_address(a);
            return s.empty() ? std::string("<>") : s;
        };
        if (i.rejection) {
            m["from"] = address(i.rejection->from);
            m["to"] = address(i.rejection->to);
            m["via"] = kClientHost;
            m["direct"] = true;
        } else {
            m["from"] = address(i.message->from);
            m["to"] = address(i.recipient->address);
            m["via"] = host;
            if (i.message->size > 0) m["size"] = i.message->size;
        }
        messages.push_back(std::move(m));
    }
    if (!log.rejections.empty()) doc["hosts"].push_back({{"name", kClientHost}});
    doc["traffic"] = {{"messages", std::move(messages)}};
    return doc;
}

// Each message's trace records, in order: read once, not once per message.
using StepsByMessage = std::vector<std::vector<const model::TraceRecord*>>;
StepsByMessage steps_by_message(const model::World& w) {
    StepsByMessage out(w.messages().size());
    for (const model::TraceRecord& t : w.trace())
        if (t.msg < out.size()) out[t.msg].push_back(&t);
    return out;
}

// The host's own delivery attempts of a message, as its log would show them.
std::vector<Attempt> simulated_attempts(const std::vector<const model::TraceRecord*>& steps,
                                        const std::string& host) {
    std::vector<Attempt> out;
    for (const model::TraceRecord* step : steps) {
        const model::TraceRecord& t = *step;
        if (t.from != host) continue;
        std::string status;
        if (t.action == "relayed" || (t.action == "delivered" && t.to.empty()))
            status = "sent";
        else if (t.stage == "queue" &&
                 (t.action == "deferred" || t.action == "bounced" || t.action == "expired"))
            status = t.action;
        if (status.empty()) continue;
        out.push_back({std::floor(sim::to_seconds(t.t)), status, t.enhanced, t.reason});
    }
    return out;
}

// A direct client's refusal of a rejection's message: the answer at RCPT.
const model::TraceRecord* simulated_refusal(const std::vector<const model::TraceRecord*>& steps) {
    for (const model::TraceRecord* t : steps)
        if (t->stage == "rcpt") return t;
    return nullptr;
}

ordered_json attempt_json(double t, const std::string& status, const std::string& dsn,
                          const std::string& text) {
    return {{"t", t}, {"status", status}, {"dsn", dsn}, {"text", text}};
}

struct Tally {
    std::size_t logged = 0, simulated = 0, paired = 0, within_second = 0, within_run = 0;
    std::size_t outcomes_differ = 0, finals_differ = 0, recipients = 0;
};

// Both sides of one recipient, and what differs, into `out`; counted in `tally`.
void compare(const std::vector<importer::LoggedAttempt>& logged,
             const std::vector<Attempt>& simulated, double run_delay, ordered_json& out,
             Tally& tally) {
    ordered_json logged_json = ordered_json::array(), simulated_json = ordered_json::array();
    ordered_json differences = ordered_json::array();
    for (const auto& a : logged)
        logged_json.push_back(attempt_json(a.t, a.status, a.dsn, a.text));
    for (const auto& a : simulated)
        simulated_json.push_back(attempt_json(a.t, a.status, a.dsn, a.text));
    const std::size_t n = std::min(logged.size(), simulated.size());
    for (std::size_t k = 0; k < n; ++k) {
        const double dt = std::abs(simulated[k].t - logged[k].t);
        tally.within_second += dt <= 1;
        tally.within_run += dt <= run_delay;
        std::ostringstream d;
        if (simulated[k].status != logged[k].status) {
            ++tally.outcomes_differ;
            d << "attempt " << k + 1 << ": logged " << logged[k].status << " at " << logged[k].t
              << " s, simulated " << simulated[k].status << " at " << simulated[k].t << " s";
        } else if (dt > 1) {
            d << "attempt " << k + 1 << ": " << logged[k].status << " " << dt << " s apart (logged "
              << logged[k].t << " s, simulated " << simulated[k].t << " s)";
        }
        if (!d.str().empty()) differences.push_back(d.str());
    }
    if (logged.size() != simulated.size())
        differences.push_back(std::to_string(logged.size()) + " attempt(s) logged, " +
                              std::to_string(simulated.size()) + " simulated");
    const std::string logged_final = logged.empty() ? "none" : logged.back().status;
    const std::string simulated_final = simulated.empty() ? "none" : simulated.back().status;
    if (logged_final != simulated_final) {
        ++tally.finals_differ;
        differences.push_back("final status: logged " + logged_final + ", simulated " +
                              simulated_final);
    }
    tally.logged += logged.size();
    tally.simulated += simulated.size();
    tally.paired += n;
    ++tally.recipients;
    out["logged"] = {
        {"attempts", logged_json},
        {"final",
         {{"status", logged_final}, {"t", logged.empty() ? json() : json(logged.back().t)}}}};
    out["simulated"] = {{"attempts", simulated_json},
                        {"final",
                         {{"status", simulated_final},
                          {"t", simulated.empty() ? json() : json(simulated.back().t)}}}};
    out["differences"] = differences;
}

double queue_run_delay(const model::MtaSpec& m) {
    switch (m.flavor) {
        case model::MtaFlavor::Exim:
            return sim::to_seconds(m.exim.queue_run_interval);
        case model::MtaFlavor::Sendmail:
            return sim::to_seconds(m.sendmail.queue_interval);
        default:
            return sim::to_seconds(m.postfix.queue_run_delay);
    }
}

}  // namespace

ordered_json replay(const importer::Maillog& log, json scenario, const std::string& origin,
                    const ReplayOptions& options) {
    std::vector<std::string> warnings = log.warnings;
    const std::vector<Injection> injections = injections_of(log, warnings);
    if (injections.empty())
        throw format::ScenarioError("the log shows no message this host took in or refused");
    bool found = false;
    for (const auto& h : format::expand_templates(scenario, origin).value("hosts", json::array()))
        found = found ||
                (h.is_object() && h.value("name", json()) == options.host && h.contains("mta"));
    if (!found)
        throw format::ScenarioError(origin + ": no host " + options.host +
                                    " with an \"mta\" (--host names the host the log is from)");
    const json doc = scenario_with_traffic(std::move(scenario), log, injections, options.host);
    format::Experiment ex;
    try {
        ex = format::parse_experiment(doc.dump(), origin + " (with the log's traffic)");
    } catch (const format::ScenarioError& e) {
        throw format::ScenarioError(
            std::string(e.what()) +
            " (the log's messages are /traffic/messages, in arrival order)");
    }
    const model::Scenario& s = ex.baseline();
    const auto host = std::find_if(s.hosts.begin(), s.hosts.end(), [&](const model::HostSpec& h) {
        return h.name == options.host;
    });
    // Checked in the document above; the loader keeps the name.
    const double run_delay = queue_run_delay(*host->mta);
    model::World w(s, {options.seed, 0, true});
    w.run();

    const StepsByMessage steps = steps_by_message(w);
    // The k-th legitimate message (by id) is the k-th injection.
    std::vector<model::MessageId> ids;
    for (model::MessageId m = 0; m < w.messages().size(); ++m)
        if (w.messages()[m].origin == model::Origin::Legit) ids.push_back(m);
    if (ids.size() != injections.size())
        throw std::logic_error("replay: " + std::to_string(ids.size()) + " messages made of " +
                               std::to_string(injections.size()) + " injected");
    Tally tally;
    std::size_t refusals = 0, refusals_matched = 0;
    ordered_json messages = ordered_json::array();
    for (std::size_t k = 0; k < injections.size(); ++k) {
        const Injection& i = injections[k];
        ordered_json entry;
        if (i.rejection) {
            const importer::LoggedRejection& r = *i.rejection;
            const model::TraceRecord* sim = simulated_refusal(steps[ids[k]]);
            ++refusals;
            const bool same = sim && sim->code == r.code && sim->enhanced == r.dsn;
            refusals_matched += same;
            entry = {{"kind", "refused at RCPT"},
                     {"log_line", r.line},
                     {"from", r.from},
                     {"to", r.to},
                     {"t", r.t},
                     {"logged", {{"code", r.code}, {"dsn", r.dsn}, {"text", r.text}}},
                     {"simulated", sim ? ordered_json{{"code", sim->code},
                                                      {"dsn", sim->enhanced},
                                                      {"text", sim->reason},
                                                      {"action", sim->action}}
                                       : ordered_json()},
                     {"differences", same ? ordered_json::array()
                                          : ordered_json::array({"the answer at RCPT differs"})}};
        } else {
            entry = {{"kind", "queued"},
                     {"queue_id", i.message->queue_id},
                     {"log_line", i.message->line},
                     {"from", i.message->from},
                     {"to", i.recipient->address},
                     {"arrival", i.message->arrival}};
            compare(i.recipient->attempts, simulated_attempts(steps[ids[k]], options.host),
                    run_delay, entry, tally);
        }
        messages.push_back(std::move(entry));
    }
    const auto share = [](std::size_t n, std::size_t of) {
        return of == 0 ? json() : json(static_cast<double>(n) / static_cast<double>(of));
    };
    ordered_json summary = {{"recipients", tally.recipients},
                            {"attempts_logged", tally.logged},
                            {"attempts_simulated", tally.simulated},
                            {"attempts_paired", tally.paired},
                            {"within_1s", share(tally.within_second, tally.paired)},
                            {"within_queue_run_delay", share(tally.within_run, tally.paired)},
                            {"queue_run_delay_s", run_delay},
                            {"outcomes_differ", tally.outcomes_differ},
                            {"final_status_differ", tally.finals_differ},
                            {"refusals", refusals},
                            {"refusals_matched", refusals_matched}};
    return {{"log",
             {{"host", log.host},
              {"start", log.start_time},
              {"span_s", log.span},
              {"lines_read", log.lines_read},
              {"lines_used", log.lines_used},
              {"warnings", warnings}}},
            {"host", options.host},
            {"seed", options.seed},
            {"summary", summary},
            {"messages", messages}};
}

std::string describe_replay(const ordered_json& r) {
    const ordered_json& s = r["summary"];
    const auto percent = [](const json& v) {
        if (v.is_null()) return std::string("-");
        std::ostringstream o;
        o.setf(std::ios::fixed);
        o.precision(1);
        o << v.get<double>() * 100 << "%";
        return o.str();
    };
    std::ostringstream out;
    out << "replay of " << r["log"]["lines_used"].get<std::size_t>() << " Postfix log lines from "
        << r["log"]["start"].get<std::string>() << " (" << r["log"]["span_s"].get<double>()
        << " s) through " << r["host"].get<std::string>() << ":\n"
        << "  recipients queued           " << s["recipients"] << "\n"
        << "  attempts logged, simulated  " << s["attempts_logged"] << ", "
        << s["attempts_simulated"] << " (" << s["attempts_paired"] << " paired in order)\n"
        << "  within 1 s                  " << percent(s["within_1s"]) << "\n"
        << "  within one queue_run_delay  " << percent(s["within_queue_run_delay"]) << " ("
        << s["queue_run_delay_s"] << " s)\n"
        << "  outcomes that differ        " << s["outcomes_differ"] << "\n"
        << "  final status that differs   " << s["final_status_differ"] << "\n"
        << "  refusals at RCPT matched    " << s["refusals_matched"] << " of " << s["refusals"]
        << "\n";
    return out.str();
}

}  // namespace mxsim::experiment
