// run_series.hpp - every fixed-bin time series one run records, in one place.
// Offers RunSeries: messages created per origin and settled per origin x fate,
// queue depth per MTA, SMTP connections and bytes, backscatter per victim
// mailbox; World feeds it as things happen and RunSeries::finish() names them;
// find_series() looks one up by name.
#pragma once

#include <absl/container/flat_hash_map.h>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/message.hpp"
#include "sim/time_series.hpp"

namespace mxsim::model {

// One named series of a run's results ("fate.worm.rejected", "queued_mean.mx1.example").
struct NamedSeries {
    std::string name;
    std::vector<double> bins;
    bool operator==(const NamedSeries&) const = default;
};

// The series called `name`, or nullptr when the run has none by that name (a
// queue series exists only for MTAs that ever held mail).
inline const NamedSeries* find_series(const std::vector<NamedSeries>& series,
                                      std::string_view name) {
    for (const NamedSeries& s : series)
        if (s.name == name) return &s;
    return nullptr;
}

class RunSeries {
  public:
    // Victim mailboxes whose backscatter series are reported (the most hit).
    static constexpr std::size_t kVictimSeries = 10;

    RunSeries(SimTime bin_width, SimTime end, std::size_t hosts);

    void created(SimTime at, Origin o) { created_[index(o)].add(at); }
    void settled(SimTime at, Origin o, Fate f) {
        settled_[index(o) * kFateCount + static_cast<std::size_t>(f)].add(at);
    }
    void queue_level(SimTime at, HostIndex mta, std::uint64_t queued);
    void smtp_connection(SimTime at) { connections_.add(at); }
    void smtp_data(SimTime at, std::int64_t bytes) {
        bytes_.add(at, static_cast<double>(bytes));
        bytes_total_ += static_cast<std::uint64_t>(bytes);
    }
    void backscatter(SimTime at, AddressRef victim);
    void ndr_written(SimTime at, HostIndex mta);
    void legit_delivered(SimTime at, SimTime delay) {
        legit_delay_sum_.add(at, sim::to_seconds(delay));
        legit_delivered_.add(at);
    }
    std::uint64_t smtp_bytes() const { return bytes_total_; }

    // The named series, in a fixed order: created, fates, legit delay, SMTP,
    // queues of MTAs that ever held mail, NDRs of MTAs that wrote any, then the
    // victims (by `victims`, most hit first).
    std::vector<NamedSeries> finish(SimTime end, const std::vector<std::string>& host_names,
                                    const std::vector<AddressRef>& victims,
                                    const std::vector<std::string>& victim_names) const;

  private:
    static std::size_t index(Origin o) { return static_cast<std::size_t>(o); }
    static std::uint64_t key(AddressRef a) { return std::uint64_t{a.domain} << 32 | a.local; }

    SimTime width_;
    SimTime end_;
    std::vector<sim::TimeSeries> created_;
    std::vector<sim::TimeSeries> settled_;  // origin x fate, row by row
    sim::TimeSeries connections_;
    sim::TimeSeries bytes_;
    std::uint64_t bytes_total_ = 0;
    std::vector<std::optional<sim::LevelSeries>> queues_;  // by host, made on first use
    std::vector<std::optional<sim::TimeSeries>> ndrs_;     // by host, made on first use
    sim::TimeSeries legit_delay_sum_;                      // seconds, by delivery time
    sim::TimeSeries legit_delivered_;
    // Backscatter per (victim, bin) in one flat table (24 bytes an entry, no
    // table per victim): bounded by mailboxes x bins, not by messages.
    absl::flat_hash_map<std::pair<std::uint64_t, std::uint32_t>, double> victims_;
};

}  // namespace mxsim::model
