// run_results.hpp - what one run measured, as plain data for writers and tests.
// Offers RunResults and MtaResults; the JSON form is docs/results-format.md.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "model/accounting.hpp"
#include "model/run_series.hpp"

namespace mxsim::model {

struct MtaResults {
    std::string host;
    MtaFlows flows;
    std::uint64_t ndrs_generated = 0;  // DSNs of kind NDR this MTA wrote
    std::uint64_t smtp_sessions = 0;   // outbound connection attempts
    std::uint64_t dns_queries = 0;     // resolver cache misses
    // Messages taken in over SMTP (transactions); flows.received counts their recipients.
    std::uint64_t messages_received = 0;
};

struct RunResults {
    FateTable fates{};  // recipients: origin x fate (a message of k recipients counts k)
    // Messages (envelopes) created, by origin; a recipient of each is in `fates`.
    std::array<std::uint64_t, kOriginCount> messages{};
    std::uint64_t ndr_recipients = 0;  // failed recipients the NDRs written report
    std::vector<MtaResults> mtas;      // hosts with an MTA, in scenario order
    std::uint64_t ndrs_delivered = 0;  // NDRs that reached a mailbox
    // Backscatter: NDRs and delay notices delivered to an address that did not
    // send the original (its envelope sender was forged), in all and per victim.
    std::uint64_t backscatter_delivered = 0;
    // The kVictimsKept most hit, most hit first (ties by address).
    static constexpr std::size_t kVictimsKept = 1000;
    std::vector<std::pair<std::string, std::uint64_t>> backscatter_victims;
    // Who sent NDRs to whom: the MTA that wrote them -> the recipients' domain.
    struct NdrFlow {
        std::string from_host;
        std::string to_domain;
        std::uint64_t count = 0;
    };
    std::vector<NdrFlow> ndr_flows;
    std::uint64_t smtp_sessions = 0;
    std::uint64_t events = 0;
    SimTime end = 0;
    // Legitimate mail: delay quantiles in seconds over the recipients delivered
    // and those still queued at the end, each of these counted at (end - created):
    // censored at the run's end, so a lower bound when any is (NaN when neither).
    double legit_delay_p50_s = 0, legit_delay_p95_s = 0, legit_delay_p99_s = 0;
    // Mean seconds from a legitimate recipient's creation to its failure (bounced,
    // refused to its direct sender, expired): how long the sender waits to learn.
    double legit_bounce_delay_mean_s = 0;
    // Fixed-bin series (bin_width from the scenario).
    SimTime bin_width = 0;
    std::vector<double> ndrs_generated_per_bin;
    std::vector<double> delivered_per_bin;
    std::vector<double> queued_mean_per_bin;  // all MTAs' queues together, time-weighted
    std::vector<double> backscatter_per_bin;
    // Every other series (model/run_series.hpp): created per origin, settled per
    // origin x fate, SMTP connections and bytes, queue per MTA, top victims.
    std::vector<NamedSeries> series;
    std::uint64_t smtp_bytes = 0;  // message bytes carried by SMTP transactions that were accepted
};

}  // namespace mxsim::model
