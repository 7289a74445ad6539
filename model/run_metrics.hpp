// run_metrics.hpp - what a run measures, fed by the model's steps from one place
// each: a message created, settled or handed over, an NDR written, an SMTP
// connection, DNS queries. Offers RunMetrics: the books (per-MTA flows, origin x
// fate), backscatter, the fixed-bin series, and finish() -> RunResults.
#pragma once

#include <absl/container/flat_hash_map.h>
#include <array>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "model/accounting.hpp"
#include "model/message.hpp"
#include "model/name_table.hpp"
#include "model/run_results.hpp"
#include "model/run_series.hpp"
#include "model/scenario.hpp"
#include "sim/quantiles.hpp"
#include "sim/time_series.hpp"

namespace mxsim::model {

class RunMetrics {
  public:
    RunMetrics(const Scenario& scenario, std::size_t hosts);

    void created(SimTime now, const Message& m);  // a recipient
    // A message (an envelope of one or more recipients).
    void message_created(Origin o) { ++messages_[static_cast<std::size_t>(o)]; }
    // An NDR written about `n` failed recipients of one message.
    void ndr_recipients(std::uint64_t n) { ndr_recipients_ += n; }
    void settled(SimTime now, const Message& m, Fate fate);
    // A recipient: `m` as it was before the hand-over (owner `from`, direct or queued).
    void handed_over(SimTime now, const Message& m, HostIndex to);
    // A message `to` took in (one transaction's accepted recipients).
    void message_taken_in(SimTime now, HostIndex to, std::int64_t size);
    void ndr_written(SimTime now, HostIndex at, NameId to_domain);
    void smtp_connection(SimTime now, HostIndex client);
    void dns_queries(HostIndex client, std::uint64_t n) { hosts_[client].dns_queries += n; }

    const std::vector<MtaFlows>& flows() const { return flows_; }
    const FateTable& fates() const { return fates_; }
    // Everything measured, as plain data. `mta[h]`: whether host h is an MTA.
    RunResults finish(SimTime end, std::uint64_t events, const std::vector<std::string>& host_names,
                      const std::vector<bool>& mta, const NameTable& names) const;

  private:
    struct HostCounts {
        std::uint64_t ndrs_generated = 0;
        std::uint64_t messages_received = 0;
        std::uint64_t smtp_sessions = 0;
        std::uint64_t dns_queries = 0;
    };
    void queue_changed(SimTime now, HostIndex mta) {
        series_.queue_level(now, mta, flows_[mta].queued);
    }
    void total_queue(SimTime now, std::int64_t delta);
    void count_backscatter(SimTime now, const Message& notice);
    void settled_legit(SimTime now, const Message& m, Fate fate);

    SimTime duration_;
    SimTime bin_width_;
    std::vector<MtaFlows> flows_;
    std::vector<HostCounts> hosts_;
    FateTable fates_{};  // recipients
    std::array<std::uint64_t, kOriginCount> messages_{};
    std::uint64_t ndr_recipients_ = 0;
    std::uint64_t ndrs_delivered_ = 0;
    std::uint64_t backscatter_delivered_ = 0;
    std::uint64_t total_queued_ = 0;
    sim::Quantiles legit_delay_;  // of the legitimate recipients delivered
    // Creation times of the legitimate recipients still queued (censored at the end).
    std::multiset<SimTime> legit_waiting_;
    double legit_failure_seconds_ = 0;
    std::uint64_t legit_failures_ = 0;
    sim::LevelSeries queue_depth_;
    sim::TimeSeries ndr_series_;
    sim::TimeSeries backscatter_series_;
    sim::TimeSeries delivered_series_;
    RunSeries series_;
    // Hashed while running, sorted when the results are made.
    absl::flat_hash_map<std::uint64_t, std::uint64_t> backscatter_victims_;  // domain << 32 | local
    absl::flat_hash_map<std::uint64_t, std::uint64_t> ndr_flows_;  // MTA << 32 | recipient domain
};

}  // namespace mxsim::model
