// run_series.cpp - recording and naming a run's fixed-bin series.
#include "model/run_series.hpp"

namespace mxsim::model {

RunSeries::RunSeries(SimTime bin_width, SimTime end, std::size_t hosts)
    : width_(bin_width),
      end_(end),
      created_(kOriginCount, sim::TimeSeries(bin_width, end)),
      settled_(kOriginCount * kFateCount, sim::TimeSeries(bin_width, end)),
      connections_(bin_width, end),
      bytes_(bin_width, end),
      queues_(hosts),
      ndrs_(hosts),
      legit_delay_sum_(bin_width, end),
      legit_delivered_(bin_width, end) {}

void RunSeries::queue_level(SimTime at, HostIndex mta, std::uint64_t queued) {
    auto& q = queues_.at(mta);
    if (!q) q.emplace(width_, end_);
    q->set(at, static_cast<double>(queued));
}

void RunSeries::ndr_written(SimTime at, HostIndex mta) {
    auto& n = ndrs_.at(mta);
    if (!n) n.emplace(width_, end_);
    n->add(at);
}

void RunSeries::backscatter(SimTime at, AddressRef victim) {
    if (at < 0 || at >= end_) return;  // after the last bin: in the total only
    victims_[{key(victim), static_cast<std::uint32_t>(at / width_)}] += 1;
}

std::vector<NamedSeries> RunSeries::finish(SimTime end, const std::vector<std::string>& host_names,
                                           const std::vector<AddressRef>& victims,
                                           const std::vector<std::string>& victim_names) const {
    std::vector<NamedSeries> out;
    for (std::size_t o = 0; o < kOriginCount; ++o)
        out.push_back({"created." + std::string(kOriginNames[o]), created_[o].bins()});
    for (std::size_t o = 0; o < kOriginCount; ++o)
        for (std::size_t f = 1; f < kFateCount; ++f)  // fate 0, "queued", is not an event
            out.push_back(
                {"fate." + std::string(kOriginNames[o]) + "." + std::string(kFateNames[f]),
                 settled_[o * kFateCount + f].bins()});
    // Mean delay of the legitimate mail delivered in each bin (0 where none was).
    std::vector<double> delay = legit_delay_sum_.bins();
    for (std::size_t b = 0; b < delay.size(); ++b)
        delay[b] = legit_delivered_.bins()[b] > 0 ? delay[b] / legit_delivered_.bins()[b] : 0.0;
    out.push_back({"legit_delay_mean_s", std::move(delay)});
    out.push_back({"smtp_connections", connections_.bins()});
    out.push_back({"smtp_bytes", bytes_.bins()});
    for (std::size_t h = 0; h < queues_.size(); ++h)
        if (queues_[h]) out.push_back({"queued_mean." + host_names.at(h), queues_[h]->means(end)});
    for (std::size_t h = 0; h < ndrs_.size(); ++h)
        if (ndrs_[h]) out.push_back({"ndrs_generated." + host_names.at(h), ndrs_[h]->bins()});
    const std::size_t bins = connections_.bins().size();
    for (std::size_t v = 0; v < victims.size() && v < kVictimSeries; ++v) {
        NamedSeries s{"backscatter." + victim_names.at(v), std::vector<double>(bins, 0.0)};
        for (std::size_t b = 0; b < bins; ++b)
            if (const auto it = victims_.find({key(victims[v]), static_cast<std::uint32_t>(b)});
                it != victims_.end())
                s.bins[b] = it->second;
        out.push_back(std::move(s));
    }
    return out;
}

}  // namespace mxsim::model
