// comparison.cpp - replication summaries, paired differences and their presentation.
#include "experiment/comparison.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "experiment/console_table.hpp"

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
        {"legit.delivered_share", "  share delivered"},
        {"legit.lost", "  lost (bounced, expired, ...)"},
        {"legit.bounce_delay_mean_s", "  time to bounce, mean (s)"},
        {"legit.delay_p50_s", "  delay p50 (s)*"},
        {"legit.delay_p95_s", "  delay p95 (s)*"},
        {"queue.peak_max", "largest queue (messages)"},
        {"queued_at_end", "still queued at the end"},
    };
    return rows;
}

// What a metric can take: a share lies in [0, 1], everything else is >= 0.
struct Range {
    double low, high;
};
Range metric_range(const std::string& metric, bool difference) {
    const double inf = std::numeric_limits<double>::infinity();
    if (metric.ends_with("_share")) return difference ? Range{-1, 1} : Range{0, 1};
    return difference ? Range{-inf, inf} : Range{0, inf};
}

// The 95% interval, cut at what the quantity can take (a count's interval does
// not reach below zero).
std::pair<double, double> bounded(const sim::Summary& s, Range r) {
    return {std::clamp(s.low(), r.low, r.high), std::clamp(s.high(), r.low, r.high)};
}

bool cut(const sim::Summary& s, Range r) {
    return s.has_interval() && std::isfinite(s.half_width) &&
           (s.low() < r.low || s.high() > r.high);
}

// "12.3 ± 4.5", or "2.0 [0.0, 7.0]" when the interval was cut at a bound; a
// share in percent ("74.8 ± 3.6 %", a difference in points: "+14.2 ± 5.1 pp").
std::string cell_text(const sim::Summary& raw, Range r, bool difference, bool share) {
    const double k = share ? 100 : 1;
    sim::Summary s = raw;
    s.mean *= k;
    s.half_width *= k;
    r = {r.low * k, r.high * k};
    const std::string unit = !share ? "" : difference ? " pp" : " %";
    if (!std::isfinite(s.mean)) return "-";
    const std::string mean = difference ? difference_text(s.mean, NAN) : decimal_text(s.mean);
    if (!s.has_interval() || !std::isfinite(s.half_width)) return mean + unit;
    if (!cut(s, r)) return mean + " ± " + decimal_text(s.half_width) + unit;
    const auto [low, high] = bounded(s, r);
    return mean + " [" + decimal_text(low) + ", " + decimal_text(high) + "]" + unit;
}

// A row whose mean is zero (or undefined) in every variant says nothing.
bool zero_everywhere(const format::Experiment& ex, const Comparison& c, std::size_t p,
                     std::size_t m) {
    for (std::size_t v = 0; v < ex.variants.size(); ++v) {
        const double mean = c.at(v, p, m).summary.mean;
        if (std::isfinite(mean) && mean != 0) return false;
    }
    return true;
}

ordered_json summary_json(const sim::Summary& s, Range r) {
    const auto num = [](double v) { return std::isfinite(v) ? ordered_json(v) : ordered_json(); };
    const auto [low, high] = bounded(s, r);
    return {{"n", s.n},
            {"mean", num(s.mean)},
            {"half_width_95", num(s.half_width)},
            {"low_95", num(low)},
            {"high_95", num(high)}};
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
    const double legit = sent(Origin::Legit);
    m.emplace_back("legit.delivered_share", legit > 0
                                                ? count(Origin::Legit, Fate::Delivered) / legit
                                                : std::numeric_limits<double>::quiet_NaN());
    m.emplace_back("legit.bounce_delay_mean_s", r.legit_bounce_delay_mean_s);
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
                ordered_json j = summary_json(cell.summary, metric_range(c.metrics[m], false));
                if (cell.vs_baseline)
                    j["vs_baseline"] =
                        summary_json(*cell.vs_baseline, metric_range(c.metrics[m], true));
                metrics[c.metrics[m]] = j;
            }
            out.push_back({{"variant", ex.variants[v]},
                           {"sweep_point", ex.sweep_points[p]},
                           {"metrics", metrics}});
        }
    return out;
}

void print_comparison(const format::Experiment& ex, const Comparison& c, std::ostream& out) {
    bool any_cut = false, censored_shown = false;
    for (std::size_t p = 0; p < c.points; ++p) {
        out << "\n";
        if (!ex.sweep_points[p].empty()) out << "sweep point " << ex.sweep_points[p] << "\n";
        std::vector<ConsoleTable::Column> columns{
            {ex.replications > 1
                 ? "mean ± 95% CI over " + std::to_string(ex.replications) + " replications"
                 : "one replication (no interval)",
             Align::Left}};
        for (std::size_t v = 0; v < ex.variants.size(); ++v) {
            columns.push_back({ex.variants[v], Align::Right});
            if (v > 0) columns.push_back({"Δ " + ex.variants[v], Align::Right});
        }
        ConsoleTable table(std::move(columns));
        std::size_t left_out = 0;
        for (const auto& [metric, label] : table_rows()) {
            const auto found = std::find(c.metrics.begin(), c.metrics.end(), metric);
            if (found == c.metrics.end()) continue;
            const auto m = static_cast<std::size_t>(found - c.metrics.begin());
            if (zero_everywhere(ex, c, p, m)) {
                ++left_out;
                continue;
            }
            std::vector<std::string> row{label};
            censored_shown = censored_shown || label.ends_with("*");
            for (std::size_t v = 0; v < ex.variants.size(); ++v) {
                const Cell& cell = c.at(v, p, m);
                any_cut = any_cut || cut(cell.summary, metric_range(metric, false));
                const bool share = metric.ends_with("_share");
                row.push_back(cell_text(cell.summary, metric_range(metric, false), false, share));
                if (!cell.vs_baseline) continue;
                any_cut = any_cut || cut(*cell.vs_baseline, metric_range(metric, true));
                row.push_back(
                    cell_text(*cell.vs_baseline, metric_range(metric, true), true, share));
            }
            table.add_row(std::move(row));
        }
        out << table.render("");
        if (left_out > 0) out << "(" << left_out << " row(s) zero in every variant left out)\n";
    }
    out << '\n';
    if (ex.variants.size() > 1)
        out << "Δ: paired difference to the baseline (same random numbers)"
            << (ex.replications > 1 ? ", with its 95% CI" : "") << ".\n";
    if (any_cut) out << "[a, b]: a 95% CI cut at what the quantity can take.\n";
    if (censored_shown)
        out << "*: over the legitimate mail delivered and still queued at the end, the latter "
               "counted at its wait so far (so a lower bound when any was still queued).\n";
}

}  // namespace mxsim::experiment
