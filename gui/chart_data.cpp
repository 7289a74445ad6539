// chart_data.cpp - chart numbers from runs: means and 95% intervals across replications.
#include "gui/chart_data.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>

#include "experiment/comparison.hpp"
#include "sim/replication_summary.hpp"

namespace mxsim::gui {
namespace {

void add_point(Band& b, double x, const std::vector<double>& values) {
    const sim::Summary s = sim::summarize(values);
    const bool ci = s.has_interval() && std::isfinite(s.half_width);
    b.x.push_back(x);
    b.mean.push_back(s.mean);
    b.low.push_back(ci ? s.low() : s.mean);
    b.high.push_back(ci ? s.high() : s.mean);
}

// One band from a per-bin series of each replication of variant `v` at `point`;
// `series` returns the run's bins (an empty vector counts as zeros).
template <class Series>
Band band_over_time(const ExperimentResult& r, std::size_t v, std::size_t point, std::string name,
                    Series series) {
    Band b;
    b.name = std::move(name);
    const model::RunResults& first = r.run(v, point, 0);
    std::vector<std::vector<double>> runs;
    for (std::size_t rep = 0; rep < r.replications(); ++rep)
        runs.push_back(series(r.run(v, point, rep)));
    // Every fixed-bin series of a run has as many bins as this one.
    for (std::size_t i = 0; i < first.queued_mean_per_bin.size(); ++i) {
        std::vector<double> values;
        for (const std::vector<double>& s : runs)
            values.push_back(i < s.size() ? s[i] : 0.0);
        add_point(b, sim::to_seconds(static_cast<sim::SimTime>(i) * first.bin_width), values);
    }
    return b;
}

// One band per variant.
template <class Series>
std::vector<Band> bands_over_time(const ExperimentResult& r, std::size_t point, Series series) {
    std::vector<Band> out;
    for (std::size_t v = 0; v < r.experiment.variants.size(); ++v) {
        out.push_back(band_over_time(r, v, point, r.experiment.variants[v], series));
        out.back().colour = r.slot(v);
    }
    return out;
}

std::vector<double> named_bins(const model::RunResults& run, const std::string& name) {
    const model::NamedSeries* s = model::find_series(run.series, name);
    return s ? s->bins : std::vector<double>{};
}

// "limit_per_hour=50" -> 50; nothing for several sweeps or a non-number.
std::optional<double> swept_value(const std::string& point) {
    const std::size_t eq = point.find('=');
    if (eq == std::string::npos || point.find(';') != std::string::npos) return std::nullopt;
    double v = 0;
    const char* begin = point.data() + eq + 1;
    const char* end = point.data() + point.size();
    const auto [ptr, ec] = std::from_chars(begin, end, v);
    if (ec != std::errc() || ptr != end || begin == end) return std::nullopt;
    return v;
}

double fate_count(const model::RunResults& run, model::Origin o, model::Fate f) {
    return static_cast<double>(run.fates[static_cast<std::size_t>(o)][static_cast<std::size_t>(f)]);
}

Band variant_band(const ExperimentResult& r, std::size_t v) {
    Band b;
    b.name = r.experiment.variants[v];
    b.colour = r.slot(v);
    return b;
}

// The x of each sweep point: the swept value when every point is one number, else
// 0, 1, 2, ... (SweepCurves, DelayCurves).
std::vector<double> sweep_xs(const std::vector<std::string>& labels, bool numeric) {
    std::vector<double> xs;
    for (std::size_t p = 0; p < labels.size(); ++p)
        xs.push_back(numeric ? *swept_value(labels[p]) : static_cast<double>(p));
    return xs;
}

bool all_numeric(const std::vector<std::string>& labels) {
    return std::all_of(labels.begin(), labels.end(),
                       [](const std::string& p) { return swept_value(p).has_value(); });
}

std::size_t metric_index(const experiment::Comparison& c, const std::string& name) {
    const auto it = std::find(c.metrics.begin(), c.metrics.end(), name);
    return static_cast<std::size_t>(it - c.metrics.begin());
}

// A metric's mean and 95% interval (cut at 0) at one sweep point; nothing when the
// mean is undefined (no replication had the quantity).
void add_metric_point(Band& b, double x, const sim::Summary& s) {
    if (!std::isfinite(s.mean)) return;
    const bool ci = s.has_interval() && std::isfinite(s.half_width);
    b.x.push_back(x);
    b.mean.push_back(s.mean);
    b.low.push_back(ci ? std::max(0.0, s.low()) : s.mean);
    b.high.push_back(ci ? s.high() : s.mean);
}

}  // namespace

std::vector<Band> ndr_volume(const ExperimentResult& r, std::size_t point) {
    return bands_over_time(r, point,
                           [](const model::RunResults& run) { return run.ndrs_generated_per_bin; });
}

std::vector<Band> queue_depth(const ExperimentResult& r, std::size_t point) {
    return bands_over_time(r, point,
                           [](const model::RunResults& run) { return run.queued_mean_per_bin; });
}

MtaQueues queue_per_mta(const ExperimentResult& r, std::size_t variant, std::size_t point,
                        std::size_t top) {
    static const std::string prefix = "queued_mean.";
    // Hosts in scenario order: each run lists its MTAs in that order.
    std::vector<std::string> hosts;
    for (std::size_t rep = 0; rep < r.replications(); ++rep)
        for (const model::MtaResults& m : r.run(variant, point, rep).mtas)
            if (std::find(hosts.begin(), hosts.end(), m.host) == hosts.end())
                hosts.push_back(m.host);
    std::vector<std::pair<Band, double>> ranked;  // band, peak of its mean
    for (const std::string& host : hosts) {
        const std::string name = prefix + host;
        bool held_mail = false;
        for (std::size_t rep = 0; rep < r.replications(); ++rep)
            held_mail = held_mail || model::find_series(r.run(variant, point, rep).series, name);
        if (!held_mail) continue;
        Band b = band_over_time(r, variant, point, host, [&name](const model::RunResults& run) {
            return named_bins(run, name);
        });
        const double peak = b.mean.empty() ? 0 : *std::max_element(b.mean.begin(), b.mean.end());
        ranked.emplace_back(std::move(b), peak);
    }
    std::stable_sort(ranked.begin(), ranked.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    MtaQueues out;
    for (auto& [band, peak] : ranked)
        if (out.shown.size() < top) {
            band.colour = out.shown.size();
            out.shown.push_back(std::move(band));
        } else {
            ++out.hidden;
        }
    return out;
}

std::vector<Band> legit_lost_over_time(const ExperimentResult& r, std::size_t point) {
    return bands_over_time(r, point, [](const model::RunResults& run) {
        std::vector<double> lost(run.queued_mean_per_bin.size(), 0.0);
        for (const model::Fate f : experiment::kLegitLostFates) {
            const std::vector<double> bins = named_bins(
                run, "fate.legit." + std::string(model::kFateNames[static_cast<std::size_t>(f)]));
            for (std::size_t i = 0; i < bins.size() && i < lost.size(); ++i)
                lost[i] += bins[i];
        }
        return lost;
    });
}

StackedBars fates(const ExperimentResult& r, std::size_t point,
                  std::optional<model::Origin> origin) {
    StackedBars out;
    const std::size_t variants = r.experiment.variants.size();
    out.categories = r.experiment.variants;
    for (std::size_t f = 0; f < model::kFateCount; ++f) {
        std::vector<double> means;
        for (std::size_t v = 0; v < variants; ++v) {
            double sum = 0;
            for (std::size_t rep = 0; rep < r.replications(); ++rep)
                for (std::size_t o = 0; o < model::kOriginCount; ++o)
                    if (!origin || static_cast<std::size_t>(*origin) == o)
                        sum += static_cast<double>(r.run(v, point, rep).fates[o][f]);
            means.push_back(sum / static_cast<double>(r.replications()));
        }
        if (std::any_of(means.begin(), means.end(), [](double m) { return m != 0; }))
            out.sets.emplace_back(std::string(model::kFateNames[f]), std::move(means));
    }
    return out;
}

VictimBars backscatter_victims(const ExperimentResult& r, std::size_t point, std::size_t top) {
    const std::size_t variants = r.experiment.variants.size();
    std::map<std::string, std::vector<double>> mean;  // address -> per variant
    for (std::size_t v = 0; v < variants; ++v)
        for (std::size_t rep = 0; rep < r.replications(); ++rep)
            for (const auto& [address, n] : r.run(v, point, rep).backscatter_victims) {
                std::vector<double>& m = mean[address];
                m.resize(variants, 0.0);
                m[v] += static_cast<double>(n) / static_cast<double>(r.replications());
            }
    std::vector<std::pair<std::string, double>> ranked;
    for (const auto& [address, m] : mean)
        ranked.emplace_back(address, *std::max_element(m.begin(), m.end()));
    std::stable_sort(ranked.begin(), ranked.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    if (ranked.size() > top) ranked.resize(top);
    VictimBars out;
    for (std::size_t v = 0; v < variants; ++v) {
        out.variants.emplace_back(r.experiment.variants[v], std::vector<double>{});
        out.colours.push_back(r.slot(v));
    }
    for (const auto& [address, max] : ranked) {
        out.addresses.push_back(address);
        for (std::size_t v = 0; v < variants; ++v)
            out.variants[v].second.push_back(mean[address][v]);
    }
    return out;
}

double backscatter_absorbed(const model::RunResults& run) {
    return fate_count(run, model::Origin::Ndr, model::Fate::Dropped) +
           fate_count(run, model::Origin::Ndr, model::Fate::Discarded);
}

double legit_lost(const model::RunResults& run) {
    for (const auto& [name, value] : experiment::run_metrics(run))
        if (name == "legit.lost") return value;
    return 0;
}

SweepCurves rate_limit_sweep(const ExperimentResult& r) {
    SweepCurves out;
    out.labels = r.experiment.sweep_points;
    out.numeric = all_numeric(out.labels);
    const std::vector<double> xs = sweep_xs(out.labels, out.numeric);
    for (std::size_t v = 0; v < r.experiment.variants.size(); ++v) {
        Band absorbed = variant_band(r, v);
        Band lost = absorbed;
        for (std::size_t p = 0; p < r.points(); ++p) {
            const double x = xs[p];
            std::vector<double> a, l;
            for (std::size_t rep = 0; rep < r.replications(); ++rep) {
                a.push_back(backscatter_absorbed(r.run(v, p, rep)));
                l.push_back(legit_lost(r.run(v, p, rep)));
            }
            add_point(absorbed, x, a);
            add_point(lost, x, l);
        }
        out.absorbed.push_back(std::move(absorbed));
        out.lost.push_back(std::move(lost));
    }
    return out;
}

DelayCurves legit_delay(const ExperimentResult& r) {
    DelayCurves out;
    out.labels = r.experiment.sweep_points;
    out.numeric = all_numeric(out.labels);
    out.xs = sweep_xs(out.labels, out.numeric);
    const std::vector<double>& xs = out.xs;
    const std::size_t p50 = metric_index(r.comparison, "legit.delay_p50_s");
    const std::size_t p95 = metric_index(r.comparison, "legit.delay_p95_s");
    if (p50 >= r.comparison.metrics.size() || p95 >= r.comparison.metrics.size()) return out;
    for (std::size_t v = 0; v < r.experiment.variants.size(); ++v) {
        Band median = variant_band(r, v);
        Band high = median;
        for (std::size_t p = 0; p < r.points(); ++p) {
            add_metric_point(median, xs[p], r.comparison.at(v, p, p50).summary);
            add_metric_point(high, xs[p], r.comparison.at(v, p, p95).summary);
        }
        out.p50.push_back(std::move(median));
        out.p95.push_back(std::move(high));
    }
    return out;
}

bool all_zero(const std::vector<Band>& bands) {
    const auto zero = [](const std::vector<double>& v) {
        return std::all_of(v.begin(), v.end(), [](double x) { return x == 0; });
    };
    return std::all_of(bands.begin(), bands.end(),
                       [&](const Band& b) { return zero(b.mean) && zero(b.high); });
}

}  // namespace mxsim::gui
