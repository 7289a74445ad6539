// results_writer.cpp - the JSON forms of results (docs/results-format.md) and safe writing.
#include "experiment/results_writer.hpp"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <unordered_map>

namespace mxsim::experiment {
namespace {

using nlohmann::ordered_json;

ordered_json fate_table(const model::FateTable& fates) {
    ordered_json out = ordered_json::object();
    for (std::size_t o = 0; o < model::kOriginCount; ++o) {
        ordered_json row = ordered_json::object();
        for (std::size_t f = 0; f < model::kFateCount; ++f)
            row[std::string(model::kFateNames[f])] = fates[o][f];
        out[std::string(model::kOriginNames[o])] = row;
    }
    return out;
}

ordered_json flows(const model::MtaFlows& f) {
    return {{"received", f.received},    {"submitted", f.submitted},    {"generated", f.generated},
            {"delivered", f.delivered},  {"relayed", f.relayed},        {"bounced", f.bounced},
            {"expired", f.expired},      {"dropped", f.dropped},        {"discarded", f.discarded},
            {"queued_at_end", f.queued}, {"peak_queued", f.peak_queued}};
}

ordered_json number_or_null(double v) {
    return std::isfinite(v) ? ordered_json(v) : ordered_json();
}

}  // namespace

ordered_json summary_json(const RunMetadata& meta, const model::RunResults& r,
                          const RunTiming& timing) {
    ordered_json j;
    j["run"] = {{"scenario", meta.scenario_name},
                {"scenario_file", meta.scenario_file},
                {"content_hash", meta.content_hash},
                {"seed", meta.seed},
                {"mxsim_version", meta.mxsim_version},
                {"simulated_seconds", sim::to_seconds(r.end)},
                {"warnings", meta.warnings},
                {"set", meta.sets}};   // a run is reproduced by the file and these
    j["fates"] = fate_table(r.fates);  // recipients
    ordered_json messages = ordered_json::object();
    for (std::size_t o = 0; o < model::kOriginCount; ++o)
        messages[std::string(model::kOriginNames[o])] = r.messages[o];
    j["messages"] = messages;  // envelopes: a message of k recipients is k in "fates"
    j["ndr_recipients_reported"] = r.ndr_recipients;
    j["ndrs_delivered"] = r.ndrs_delivered;
    j["backscatter_delivered"] = r.backscatter_delivered;
    ordered_json victims = ordered_json::array();
    for (std::size_t i = 0; i < r.backscatter_victims.size() && i < 20; ++i)
        victims.push_back({{"address", r.backscatter_victims[i].first},
                           {"received", r.backscatter_victims[i].second}});
    j["backscatter_top_victims"] = victims;
    j["smtp_sessions"] = r.smtp_sessions;
    j["smtp_bytes"] = r.smtp_bytes;
    j["events"] = r.events;
    j["legit_delivery_delay_s"] = {{"p50", number_or_null(r.legit_delay_p50_s)},
                                   {"p95", number_or_null(r.legit_delay_p95_s)},
                                   {"p99", number_or_null(r.legit_delay_p99_s)}};
    ordered_json mtas = ordered_json::array();
    for (const model::MtaResults& m : r.mtas)
        mtas.push_back({{"host", m.host},
                        {"ndrs_generated", m.ndrs_generated},
                        {"messages_received", m.messages_received},
                        {"smtp_sessions", m.smtp_sessions},
                        {"dns_queries", m.dns_queries},
                        {"flows", flows(m.flows)}});
    j["mtas"] = mtas;
    j["series"] = {{"bin_width_s", sim::to_seconds(r.bin_width)},
                   {"ndrs_generated", r.ndrs_generated_per_bin},
                   {"delivered", r.delivered_per_bin},
                   {"queued_mean", r.queued_mean_per_bin},
                   {"backscatter_delivered", r.backscatter_per_bin}};
    for (const model::NamedSeries& s : r.series)
        j["series"][s.name] = s.bins;
    j["timing"] = {{"wall_seconds", timing.wall_seconds},
                   {"events_per_second", timing.events_per_second}};
    return j;
}

std::string trace_jsonl(const std::vector<model::TraceRecord>& trace) {
    std::string out;
    for (const model::TraceRecord& t : trace) {
        const ordered_json j = {
            {"t", sim::to_seconds(t.t)},
            {"msg", t.msg},
            {"parent", t.parent == model::kNoMessage ? ordered_json() : ordered_json(t.parent)},
            {"from", t.from},
            {"to", t.to.empty() ? ordered_json() : ordered_json(t.to)},
            {"stage", t.stage},
            {"code", t.code == 0 ? ordered_json() : ordered_json(t.code)},
            {"enhanced", t.enhanced},
            {"action", t.action},
            {"reason", t.reason}};
        out += j.dump();
        out += '\n';
    }
    return out;
}

}  // namespace mxsim::experiment
