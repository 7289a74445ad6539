// chart_data.cpp - chart numbers from runs: means and 95% intervals across replications.
#include "gui/chart_data.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>

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

// One band per variant from a per-bin series of each run.
template <class Series>
std::vector<Band> bands_over_time(const ExperimentResult& r, std::size_t point, Series series) {
    std::vector<Band> out;
    for (std::size_t v = 0; v < r.experiment.variants.size(); ++v) {
        Band b;
        b.name = r.experiment.variants[v];
        const model::RunResults& first = r.run(v, point, 0);
        const std::size_t bins = series(first).size();
        for (std::size_t i = 0; i < bins; ++i) {
            std::vector<double> values;
            for (std::size_t rep = 0; rep < r.replications(); ++rep) {
                const std::vector<double>& s = series(r.run(v, point, rep));
                values.push_back(i < s.size() ? s[i] : 0.0);
            }
            add_point(b, sim::to_seconds(static_cast<sim::SimTime>(i) * first.bin_width), values);
        }
        out.push_back(std::move(b));
    }
    return out;
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

}  // namespace

std::vector<Band> ndr_volume(const ExperimentResult& r, std::size_t point) {
    return bands_over_time(r, point,
                           [](const model::RunResults& run) -> const std::vector<double>& {
                               return run.ndrs_generated_per_bin;
                           });
}

std::vector<Band> queue_depth(const ExperimentResult& r, std::size_t point) {
    return bands_over_time(r, point,
                           [](const model::RunResults& run) -> const std::vector<double>& {
                               return run.queued_mean_per_bin;
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
    for (std::size_t v = 0; v < variants; ++v)
        out.variants.emplace_back(r.experiment.variants[v], std::vector<double>{});
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
    for (const auto& [name, value] : cli::run_metrics(run))
        if (name == "legit.lost") return value;
    return 0;
}

SweepCurves rate_limit_sweep(const ExperimentResult& r) {
    SweepCurves out;
    out.labels = r.experiment.sweep_points;
    out.numeric = std::all_of(out.labels.begin(), out.labels.end(),
                              [](const std::string& p) { return swept_value(p).has_value(); });
    for (std::size_t v = 0; v < r.experiment.variants.size(); ++v) {
        Band absorbed{r.experiment.variants[v], {}, {}, {}, {}};
        Band lost = absorbed;
        for (std::size_t p = 0; p < r.points(); ++p) {
            const double x = out.numeric ? *swept_value(out.labels[p]) : static_cast<double>(p);
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

}  // namespace mxsim::gui
