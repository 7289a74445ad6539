// run_metrics.cpp - the books, backscatter and series of one run.
#include "model/run_metrics.hpp"

#include <algorithm>
#include <functional>
#include <limits>

namespace mxsim::model {

RunMetrics::RunMetrics(const Scenario& scenario, std::size_t hosts)
    : duration_(scenario.duration),
      bin_width_(scenario.bin_width),
      flows_(hosts),
      hosts_(hosts),
      queue_depth_(scenario.bin_width, scenario.duration),
      ndr_series_(scenario.bin_width, scenario.duration),
      backscatter_series_(scenario.bin_width, scenario.duration),
      delivered_series_(scenario.bin_width, scenario.duration),
      series_(scenario.bin_width, scenario.duration, hosts) {}

void RunMetrics::total_queue(SimTime now, std::int64_t delta) {
    total_queued_ = static_cast<std::uint64_t>(static_cast<std::int64_t>(total_queued_) + delta);
    queue_depth_.set(now, static_cast<double>(total_queued_));
}

void RunMetrics::created(SimTime now, const Message& m) {
    ++fates_[static_cast<std::size_t>(m.origin)][static_cast<std::size_t>(Fate::Queued)];
    series_.created(now, m.origin);
    if (m.origin == Origin::Legit) legit_waiting_.insert(m.created);
    if (m.direct) return;
    MtaFlows& f = flows_[m.owner];
    (m.origin == Origin::Legit ? f.submitted : f.generated) += 1;
    f.peak_queued = std::max(f.peak_queued, ++f.queued);
    total_queue(now, +1);
    queue_changed(now, m.owner);
}

void RunMetrics::settled(SimTime now, const Message& m, Fate fate) {
    auto& row = fates_[static_cast<std::size_t>(m.origin)];
    --row[static_cast<std::size_t>(Fate::Queued)];
    ++row[static_cast<std::size_t>(fate)];
    series_.settled(now, m.origin, fate);
    if (m.origin == Origin::Legit) settled_legit(now, m, fate);
    if (fate == Fate::Delivered) {
        delivered_series_.add(now);
        if (m.origin == Origin::Legit) series_.legit_delivered(now, now - m.created);
        if (m.origin == Origin::Ndr) ++ndrs_delivered_;
        count_backscatter(now, m);
    }
    if (m.direct) return;
    MtaFlows& f = flows_[m.owner];
    --f.queued;
    total_queue(now, -1);
    queue_changed(now, m.owner);
    switch (fate) {
        case Fate::Delivered:
            ++f.delivered;
            break;
        case Fate::Bounced:
            ++f.bounced;
            break;
        case Fate::Expired:
            ++f.expired;
            break;
        case Fate::Discarded:
            ++f.discarded;
            break;
        case Fate::Dropped:
            ++f.dropped;
            break;
        default:
            throw AccountingError("an MTA cannot give fate " +
                                  std::string(kFateNames[static_cast<std::size_t>(fate)]));
    }
}

void RunMetrics::settled_legit(SimTime now, const Message& m, Fate fate) {
    const auto waiting = legit_waiting_.find(m.created);
    if (waiting == legit_waiting_.end())
        throw AccountingError("a legitimate recipient settled that was never created");
    legit_waiting_.erase(waiting);
    const double seconds = sim::to_seconds(now - m.created);
    if (fate == Fate::Delivered) legit_delay_.add(seconds);
    if (fate == Fate::Bounced || fate == Fate::Rejected || fate == Fate::Expired) {
        legit_failure_seconds_ += seconds;
        ++legit_failures_;
    }
}

void RunMetrics::handed_over(SimTime now, const Message& m, HostIndex to) {
    if (m.direct) {
        total_queue(now, +1);  // from now on an MTA's queue holds it
    } else {
        ++flows_[m.owner].relayed;
        --flows_[m.owner].queued;
        queue_changed(now, m.owner);
    }
    MtaFlows& f = flows_[to];
    ++f.received;
    f.peak_queued = std::max(f.peak_queued, ++f.queued);
    queue_changed(now, to);
}

void RunMetrics::message_taken_in(SimTime now, HostIndex to, std::int64_t size) {
    ++hosts_[to].messages_received;
    series_.smtp_data(now, size);  // one DATA, however many recipients
}

void RunMetrics::ndr_written(SimTime now, HostIndex at, NameId to_domain) {
    ++hosts_[at].ndrs_generated;
    ndr_series_.add(now);
    series_.ndr_written(now, at);
    ++ndr_flows_[std::uint64_t{at} << 32 | to_domain];
}

void RunMetrics::smtp_connection(SimTime now, HostIndex client) {
    ++hosts_[client].smtp_sessions;
    series_.smtp_connection(now);
}

// Backscatter: an NDR, delay notice, antivirus notice or auto-reply delivered
// to the envelope sender of a message that sender never sent (a forged reverse path).
void RunMetrics::count_backscatter(SimTime now, const Message& notice) {
    if (!notice.to_forged_sender) return;
    ++backscatter_delivered_;
    ++backscatter_victims_[std::uint64_t{notice.recipient.domain} << 32 | notice.recipient.local];
    series_.backscatter(now, notice.recipient);
    backscatter_series_.add(now);
}

RunResults RunMetrics::finish(SimTime end, std::uint64_t events,
                              const std::vector<std::string>& host_names,
                              const std::vector<bool>& mta, const NameTable& names) const {
    RunResults r;
    r.ndrs_delivered = ndrs_delivered_;
    r.backscatter_delivered = backscatter_delivered_;
    r.fates = fates_;
    r.messages = messages_;
    r.ndr_recipients = ndr_recipients_;
    r.events = events;
    r.end = end;
    for (std::size_t h = 0; h < hosts_.size(); ++h) {
        r.smtp_sessions += hosts_[h].smtp_sessions;
        if (!mta[h]) continue;
        r.mtas.push_back({host_names[h], flows_[h], hosts_[h].ndrs_generated,
                          hosts_[h].smtp_sessions, hosts_[h].dns_queries,
                          hosts_[h].messages_received});
    }
    const double nan = std::numeric_limits<double>::quiet_NaN();
    // Mail still queued counts at the time it has waited so far: leaving it out
    // would make a policy that delivers less look faster (issue 13 point 3).
    sim::Quantiles delays = legit_delay_;
    for (const SimTime created : legit_waiting_)
        delays.add(sim::to_seconds(end - created));
    const bool any = delays.count() > 0;
    r.legit_delay_p50_s = any ? delays.quantile(0.50) : nan;
    r.legit_delay_p95_s = any ? delays.quantile(0.95) : nan;
    r.legit_delay_p99_s = any ? delays.quantile(0.99) : nan;
    r.legit_bounce_delay_mean_s =
        legit_failures_ > 0 ? legit_failure_seconds_ / static_cast<double>(legit_failures_) : nan;
    r.bin_width = bin_width_;
    r.ndrs_generated_per_bin = ndr_series_.bins();
    r.delivered_per_bin = delivered_series_.bins();
    r.queued_mean_per_bin = queue_depth_.means(duration_);
    r.backscatter_per_bin = backscatter_series_.bins();
    std::vector<std::pair<std::uint64_t, std::uint64_t>> flows(ndr_flows_.begin(),
                                                               ndr_flows_.end());
    std::sort(flows.begin(), flows.end());  // by MTA, then domain id: scenario order
    for (const auto& [edge, n] : flows)
        r.ndr_flows.push_back(
            {host_names[edge >> 32], names.name(static_cast<NameId>(edge & 0xFFFFFFFF)), n});
    struct Victim {
        AddressRef address;
        std::string name;
        std::uint64_t count;
    };
    // Only victims that can make the cut are named and sorted: those hit at
    // least as often as the kVictimsKept-th most hit (a flood of 10^6 messages
    // has 10^5 victims). Ties at the cut are all kept, so the order by name
    // below picks among them exactly as sorting every victim would.
    std::vector<std::pair<std::uint64_t, std::uint64_t>> hits;  // count, key
    hits.reserve(backscatter_victims_.size());
    for (const auto& [key, n] : backscatter_victims_)
        hits.emplace_back(n, key);
    if (hits.size() > RunResults::kVictimsKept) {
        const auto nth = hits.begin() + RunResults::kVictimsKept - 1;
        std::nth_element(hits.begin(), nth, hits.end(), std::greater<>());
        const std::uint64_t cut = nth->first;
        std::erase_if(hits, [cut](const auto& h) { return h.first < cut; });
    }
    std::vector<Victim> victims;
    for (const auto& [n, key] : hits) {
        const AddressRef victim{static_cast<NameId>(key & 0xFFFFFFFF),
                                static_cast<NameId>(key >> 32)};
        victims.push_back({victim, names.name(victim.local) + "@" + names.name(victim.domain), n});
    }
    std::sort(victims.begin(), victims.end(), [](const Victim& a, const Victim& b) {
        return a.count != b.count ? a.count > b.count : a.name < b.name;
    });
    std::vector<AddressRef> victim_refs;
    std::vector<std::string> victim_names;
    // The most hit victims only: the summary shows 20, the desktop app's chart
    // a few dozen; every victim's count is in backscatter_delivered.
    if (victims.size() > RunResults::kVictimsKept) victims.resize(RunResults::kVictimsKept);
    for (const Victim& v : victims) {
        r.backscatter_victims.emplace_back(v.name, v.count);
        victim_refs.push_back(v.address);
        victim_names.push_back(v.name);
    }
    r.series = series_.finish(duration_, host_names, victim_refs, victim_names);
    r.smtp_bytes = series_.smtp_bytes();
    return r;
}

}  // namespace mxsim::model
