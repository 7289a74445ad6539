// comparison.cpp - replication summaries, paired differences and their presentation.
#include "experiment/comparison.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace mxsim::experiment {
namespace {

using nlohmann::ordered_json;

std::size_t fate(model::Fate f) {
    return static_cast<std::size_t>(f);
}
std::size_t origin(model::Origin o) {
    return static_cast<std::size_t>(o);
}

// The rows of the console table: metric name and its label.
const std::vector<std::pair<std::string, std::string>>& table_rows() {
    static const std::vector<std::pair<std::string, std::string>> rows{
        {"worm.sent", "worm messages sent"},
        {"worm.rejected", "  refused during SMTP"},
        {"worm.discarded", "  accepted and discarded"},
        {"spam.sent", "spam messages sent"},
        {"spam.rejected", "  refused during SMTP"},
        {"ndrs_generated", "NDRs generated"},
        {"backscatter_delivered", "backscatter delivered"},
        {"ndr.dropped", "NDRs dropped (double bounce)"},
        {"ndr.expired", "NDRs expired, then dropped"},
        {"av_notices", "antivirus notices sent"},
        {"auto_replies", "auto-replies sent"},
        {"legit.sent", "legitimate messages"},
        {"legit.delivered", "  delivered"},
        {"legit.lost", "  lost (bounced, expired, ...)"},
        {"legit.delay_p50_s", "  delay p50 (s)"},
        {"legit.delay_p95_s", "  delay p95 (s)"},
        {"queue.peak_max", "largest queue (messages)"},
        {"queued_at_end", "still queued at the end"},
    };
    return rows;
}

// A worm or spam row when the scenario has no such traffic, or a row of a policy
// that never acted (zero in every variant): left out of the table.
bool traffic_absent(const format::Experiment& ex, const Comparison& c, std::size_t p,
                    std::size_t m) {
    const std::string& name = c.metrics[m];
    if (name == "worm.discarded" || name == "av_notices" || name == "auto_replies" ||
        name == "ndr.expired") {
        for (std::size_t v = 0; v < ex.variants.size(); ++v)
            if (c.at(v, p, m).summary.mean != 0) return false;
        return true;
    }
    if (name.rfind("worm.", 0) != 0 && name.rfind("spam.", 0) != 0) return false;
    const std::string sent = name.substr(0, name.find('.')) + ".sent";
    const auto s = std::find(c.metrics.begin(), c.metrics.end(), sent);
    for (std::size_t v = 0; v < ex.variants.size(); ++v)
        if (c.at(v, p, static_cast<std::size_t>(s - c.metrics.begin())).summary.mean != 0)
            return false;
    return true;
}

std::string interval(const sim::Summary& s) {
    char buf[64];
    if (!std::isfinite(s.mean)) return "-";
    if (s.has_interval() && std::isfinite(s.half_width))
        std::snprintf(buf, sizeof buf, "%.1f ± %.1f", s.mean, s.half_width);
    else
        std::snprintf(buf, sizeof buf, "%.1f", s.mean);
    return buf;
}

std::string pad(const std::string& s, std::size_t width) {
    // "±" is two bytes but one column.
    std::size_t columns = 0;
    for (const char c : s)
        columns += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return columns >= width ? s + " " : s + std::string(width - columns, ' ');
}

ordered_json summary_json(const sim::Summary& s) {
    const auto num = [](double v) { return std::isfinite(v) ? ordered_json(v) : ordered_json(); };
    return {{"n", s.n},
            {"mean", num(s.mean)},
            {"half_width_95", num(s.half_width)},
            {"low_95", num(s.low())},
            {"high_95", num(s.high())}};
}

}  // namespace

std::vector<std::pair<std::string, double>> run_metrics(const model::RunResults& r) {
    using model::Fate;
    using model::Origin;
    std::vector<std::pair<std::string, double>> m;
    const auto count = [&](Origin o, Fate f) {
        return static_cast<double>(r.fates[origin(o)][fate(f)]);
    };
    const auto sent = [&](Origin o) {
        double n = 0;
        for (std::size_t f = 0; f < model::kFateCount; ++f)
            n += static_cast<double>(r.fates[origin(o)][f]);
        return n;
    };
    m.emplace_back("legit.sent", sent(Origin::Legit));
    m.emplace_back("legit.delivered", count(Origin::Legit, Fate::Delivered));
    double lost = 0;
    for (const Fate f : kLegitLostFates)
        lost += count(Origin::Legit, f);
    m.emplace_back("legit.lost", lost);
    m.emplace_back("legit.delay_p50_s", r.legit_delay_p50_s);
    m.emplace_back("legit.delay_p95_s", r.legit_delay_p95_s);
    m.emplace_back("legit.delay_p99_s", r.legit_delay_p99_s);
    // Messages and recipients apart: "sent" counts recipients, "messages" the
    // transactions' envelopes (issue 11 point 9).
    const auto messages = [&](Origin o) { return static_cast<double>(r.messages[origin(o)]); };
    m.emplace_back("worm.messages", messages(Origin::Worm));
    m.emplace_back("worm.sent", sent(Origin::Worm));
    m.emplace_back("worm.rejected", count(Origin::Worm, Fate::Rejected));
    m.emplace_back("worm.delivered", count(Origin::Worm, Fate::Delivered));
    m.emplace_back("worm.discarded", count(Origin::Worm, Fate::Discarded));
    m.emplace_back("spam.messages", messages(Origin::Spam));
    m.emplace_back("spam.sent", sent(Origin::Spam));
    m.emplace_back("spam.rejected", count(Origin::Spam, Fate::Rejected));
    m.emplace_back("spam.delivered", count(Origin::Spam, Fate::Delivered));
    double ndrs = 0, peak = 0, queued = 0;
    for (const model::MtaResults& mta : r.mtas) {
        ndrs += static_cast<double>(mta.ndrs_generated);
        peak = std::max(peak, static_cast<double>(mta.flows.peak_queued));
        queued += static_cast<double>(mta.flows.queued);
    }
    m.emplace_back("ndrs_generated", ndrs);
    m.emplace_back("ndr.recipients_reported", static_cast<double>(r.ndr_recipients));
    m.emplace_back("ndrs_delivered", static_cast<double>(r.ndrs_delivered));
    m.emplace_back("backscatter_delivered", static_cast<double>(r.backscatter_delivered));
    m.emplace_back("ndr.dropped", count(Origin::Ndr, Fate::Dropped));
    // bounce_queue_lifetime ran out: expired, and then dropped (nobody to tell).
    m.emplace_back("ndr.expired", count(Origin::Ndr, Fate::Expired));
    m.emplace_back("delay_warnings", sent(Origin::DelayWarning));
    m.emplace_back("av_notices", sent(Origin::AvNotice));
    m.emplace_back("auto_replies", sent(Origin::AutoReply));
    m.emplace_back("queue.peak_max", peak);
    m.emplace_back("queued_at_end", queued);
    m.emplace_back("smtp_sessions", static_cast<double>(r.smtp_sessions));
    m.emplace_back("smtp_bytes", static_cast<double>(r.smtp_bytes));
    m.emplace_back("events", static_cast<double>(r.events));
    return m;
}

Comparison compare(const format::Experiment& ex, const std::vector<model::RunResults>& runs) {
    Comparison c;
    c.points = ex.sweep_points.size();
    const auto reps = static_cast<std::size_t>(ex.replications);
    for (const auto& [name, value] : run_metrics(runs.at(0)))
        c.metrics.push_back(name);
    // values[v][p][metric][rep]
    const auto series = [&](std::size_t v, std::size_t p, std::size_t m) {
        std::vector<double> out;
        for (std::size_t r = 0; r < reps; ++r)
            out.push_back(run_metrics(runs.at((v * c.points + p) * reps + r))[m].second);
        return out;
    };
    for (std::size_t v = 0; v < ex.variants.size(); ++v)
        for (std::size_t p = 0; p < c.points; ++p)
            for (std::size_t m = 0; m < c.metrics.size(); ++m) {
                const std::vector<double> mine = series(v, p, m);
                Cell cell{sim::summarize(mine), std::nullopt};
                if (v > 0) cell.vs_baseline = sim::paired_difference(series(0, p, m), mine);
                c.cells.push_back(cell);
            }
    return c;
}

ordered_json comparison_json(const format::Experiment& ex, const Comparison& c) {
    ordered_json out = ordered_json::array();
    for (std::size_t v = 0; v < ex.variants.size(); ++v)
        for (std::size_t p = 0; p < c.points; ++p) {
            ordered_json metrics = ordered_json::object();
            for (std::size_t m = 0; m < c.metrics.size(); ++m) {
                const Cell& cell = c.at(v, p, m);
                ordered_json j = summary_json(cell.summary);
                if (cell.vs_baseline) j["vs_baseline"] = summary_json(*cell.vs_baseline);
                metrics[c.metrics[m]] = j;
            }
            out.push_back({{"variant", ex.variants[v]},
                           {"sweep_point", ex.sweep_points[p]},
                           {"metrics", metrics}});
        }
    return out;
}

void print_comparison(const format::Experiment& ex, const Comparison& c, std::ostream& out) {
    constexpr std::size_t kLabel = 34, kColumn = 22;
    for (std::size_t p = 0; p < c.points; ++p) {
        out << "\n";
        if (!ex.sweep_points[p].empty()) out << "sweep point " << ex.sweep_points[p] << "\n";
        out << pad("mean ± 95% CI over " + std::to_string(ex.replications) + " replications",
                   kLabel);
        for (std::size_t v = 0; v < ex.variants.size(); ++v)
            out << pad(v == 0 ? ex.variants[v] : ex.variants[v] + " (Δ)", kColumn);
        out << "\n";
        for (const auto& [metric, label] : table_rows()) {
            std::size_t m = 0;
            while (m < c.metrics.size() && c.metrics[m] != metric)
                ++m;
            if (m == c.metrics.size() || traffic_absent(ex, c, p, m)) continue;
            out << pad(label, kLabel);
            for (std::size_t v = 0; v < ex.variants.size(); ++v) {
                const Cell& cell = c.at(v, p, m);
                std::string text = interval(cell.summary);
                if (cell.vs_baseline) {
                    const sim::Summary& d = *cell.vs_baseline;
                    char delta[48];
                    std::snprintf(delta, sizeof delta, " (%+.1f)", d.mean);
                    if (std::isfinite(d.mean)) text += delta;
                }
                out << pad(text, kColumn);
            }
            out << "\n";
        }
    }
    out << "\n(Δ: paired difference to the baseline, same random numbers; intervals in "
           "summary.json)\n";
}

// RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled.
std::string csv_field(const std::string& s) {
    if (s.find_first_of(",\"\n") == std::string::npos) return s;
    std::string out = "\"";
    for (const char c : s)
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

std::string timeseries_csv(const format::Experiment& ex,
                           const std::vector<model::RunResults>& runs) {
    std::string out = "variant,sweep_point,replication,bin_start_s,metric,value\n";
    const auto reps = static_cast<std::size_t>(ex.replications);
    const std::size_t points = ex.sweep_points.size();
    char line[64];
    for (std::size_t j = 0; j < runs.size(); ++j) {
        const model::RunResults& r = runs[j];
        const std::size_t v = j / reps / points, p = j / reps % points, rep = j % reps;
        std::vector<std::pair<std::string_view, const std::vector<double>*>> series = {
            {"ndrs_generated", &r.ndrs_generated_per_bin},
            {"backscatter_delivered", &r.backscatter_per_bin},
            {"delivered", &r.delivered_per_bin},
            {"queued_mean", &r.queued_mean_per_bin}};
        for (const model::NamedSeries& s : r.series)
            series.emplace_back(s.name, &s.bins);
        const std::string prefix = csv_field(ex.variants[v]) + "," + csv_field(ex.sweep_points[p]) +
                                   "," + std::to_string(rep) + ",";
        for (const auto& [name, bins] : series) {
            const std::string metric = "," + csv_field(std::string(name)) + ",";
            for (std::size_t b = 0; b < bins->size(); ++b) {
                // std::to_chars: printf's "%.0f" and "%.17g", without its locale and parsing.
                out += prefix;
                const double start = sim::to_seconds(static_cast<sim::SimTime>(b) * r.bin_width);
                out.append(line, std::to_chars(line, line + sizeof line, start,
                                               std::chars_format::fixed, 0)
                                     .ptr);
                out += metric;
                out.append(line, std::to_chars(line, line + sizeof line, (*bins)[b],
                                               std::chars_format::general, 17)
                                     .ptr);
                out += '\n';
            }
        }
    }
    return out;
}

}  // namespace mxsim::experiment
