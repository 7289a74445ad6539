// chart_data.hpp - what each chart shows, computed from an ExperimentResult as plain
// numbers (no Qt), so tests can compare them with the run's summary.
// Offers ndr_volume(), queue_depth(), queue_per_mta(), legit_lost_over_time(), fates(),
// backscatter_victims(), rate_limit_sweep() and legit_delay().
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gui/experiment_result.hpp"
#include "model/message.hpp"

namespace mxsim::gui {

// One line over time (or over a sweep) with its 95% confidence band across
// replications; low/high equal mean when there is a single replication.
struct Band {
    std::string name;
    std::vector<double> x;  // seconds since the start (time series) or the swept value
    std::vector<double> mean, low, high;
    // Its palette slot (palette.hpp): a variant's place in the scenario file
    // (ExperimentResult::slot), an MTA's rank in the queue view.
    std::size_t colour = 0;
};

// True when every mean and bound of every band is 0 (or there is no point at all).
bool all_zero(const std::vector<Band>& bands);

// NDRs generated per bin, one band per variant, at sweep point `point`.
std::vector<Band> ndr_volume(const ExperimentResult& r, std::size_t point);
// Messages queued at all MTAs together (time-weighted mean per bin), one band per variant.
std::vector<Band> queue_depth(const ExperimentResult& r, std::size_t point);

// Messages queued at each MTA of one variant (its `queued_mean.<host>` series),
// one band per MTA that held mail in some replication; where an MTA's queue stayed
// empty in a replication it counts 0 there. `shown` holds the `top` MTAs with the
// highest peak of the mean line, highest first (ties in scenario order); `hidden`
// counts the others. With every MTA shown, the lines add up to queue_depth().
struct MtaQueues {
    std::vector<Band> shown;
    std::size_t hidden = 0;
};
MtaQueues queue_per_mta(const ExperimentResult& r, std::size_t variant, std::size_t point,
                        std::size_t top);

// Legitimate mail lost per bin (the fates of experiment::kLegitLostFates, from the
// `fate.legit.<fate>` series), one band per variant; it adds up to "legit.lost".
std::vector<Band> legit_lost_over_time(const ExperimentResult& r, std::size_t point);

// Mean count per fate (the sets) and variant (the categories).
struct StackedBars {
    std::vector<std::string> categories;
    std::vector<std::pair<std::string, std::vector<double>>> sets;
};
// Fates of the messages of `origin`, or of every message when empty; fates no
// variant has are left out.
StackedBars fates(const ExperimentResult& r, std::size_t point,
                  std::optional<model::Origin> origin = std::nullopt);

// The `top` most hit addresses (by the most any variant gave them), most hit
// first, with each variant's mean backscatter per replication for each of them.
struct VictimBars {
    std::vector<std::string> addresses;
    std::vector<std::pair<std::string, std::vector<double>>> variants;  // name, per address
    std::vector<std::size_t> colours;  // each variant's palette slot
};
VictimBars backscatter_victims(const ExperimentResult& r, std::size_t point, std::size_t top);

// A sweep seen as two curves per variant: "backscatter absorbed" (NDRs that never
// reached a mailbox because the bouncer dropped them or they were discarded by
// policy) and "legitimate mail lost" (run_metrics' legit.lost), both against the
// sweep points. x holds the swept value when every point is one number ("name=50"),
// else 0, 1, 2, ...; labels are the points' names.
struct SweepCurves {
    std::vector<std::string> labels;
    bool numeric = false;
    std::vector<Band> absorbed, lost;  // one per variant
};
SweepCurves rate_limit_sweep(const ExperimentResult& r);

// Legitimate mail's delivery delay over the whole run, per variant, against the sweep
// points as SweepCurves are: the median and the 95th percentile (the comparison's
// legit.delay_p50_s and legit.delay_p95_s, with their 95% intervals cut at 0). Mail still
// queued at the end counts at its wait so far (model/run_metrics); a point where a
// variant has no quantile (no legitimate mail) is left out of its bands.
struct DelayCurves {
    std::vector<std::string> labels;
    std::vector<double> xs;  // each point's x, as SweepCurves' bands have them
    bool numeric = false;
    std::vector<Band> p50, p95;  // one per variant, in seconds
};
DelayCurves legit_delay(const ExperimentResult& r);
// The same per-run numbers the curves average (exposed for tests).
double backscatter_absorbed(const model::RunResults& run);
double legit_lost(const model::RunResults& run);

}  // namespace mxsim::gui
