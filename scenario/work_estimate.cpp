// work_estimate.cpp - the cost model behind the up-front refusal of oversized work.
// Per-item bytes were measured on Debian 12 / x86-64 (peak RSS of worlds of 10^5 to
// 10^6 items of each kind, bench/estimate_check.cpp); they err on the high side.
#include "scenario/work_estimate.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <unordered_set>

#include "model/ramp.hpp"
#include "scenario/experiment_file.hpp"
#include "scenario/scenario_loader.hpp"

namespace mxsim::format {
namespace {

using nlohmann::json;

// Reading a file: the JSON document and the scenario made from it, per item.
constexpr double kLoadHost = 2'700, kLoadMtaExtra = 1'000, kLoadDomain = 2'900;
constexpr double kLoadListedMailbox = 400, kLoadCountedMailbox = 64;
// Every further scenario (a variant or sweep point) kept for its jobs.
constexpr double kCopyHost = 800, kCopyMtaExtra = 400, kCopyDomain = 800;
constexpr double kCopyListedMailbox = 48, kCopyCountedMailbox = 32;
// A running world, per item (model::World and its parts).
constexpr double kWorldHost = 3'400, kWorldMtaExtra = 2'500, kWorldDomain = 300;
constexpr double kWorldMailbox = 140;
// Series: the fixed ones (created per origin, fates per origin x fate, SMTP,
// legit delays, victims) and up to two per MTA (queue level, NDRs written);
// a run holds its bins while recording and again when naming them.
constexpr double kFixedSeries = 78, kSeriesPerMta = 2;
// timeseries.csv: a row, and the string's growth.
constexpr double kCellRecording = 24, kCellKept = 8, kCellCsv = 80;
// The process itself: code, libraries, the allocator's arenas.
constexpr double kProcessBase = 16 << 20;
// A traced job keeps every step of every message.
constexpr double kTracedMessage = 1'600;
// Events per message (the flood benchmark makes 2.7).
constexpr double kEventsPerMessage = 3;

std::uint64_t clamp_bytes(double b) {
    if (!(b >= 0)) return 0;
    if (b >= 1.8e19) return std::numeric_limits<std::uint64_t>::max();
    return static_cast<std::uint64_t>(b);
}

std::uint64_t saturating_mul(std::uint64_t a, std::uint64_t b) {
    if (a != 0 && b > std::numeric_limits<std::uint64_t>::max() / a)
        return std::numeric_limits<std::uint64_t>::max();
    return a * b;
}

// A template's "count" when it is a plausible one; the loader checks it properly.
std::uint64_t entry_count(const json& entry) {
    if (!entry.is_object()) return 1;
    const auto c = entry.find("count");
    if (c == entry.end() || !c->is_number()) return 1;
    const double n = c->get<double>();
    return n >= 1 && n <= 1e6 ? static_cast<std::uint64_t>(n) : 1;
}

std::string grouped(double v) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.0f", std::max(0.0, v));
    std::string digits = buf, out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

std::string about(double v) {
    char buf[40];
    if (v >= 1e9)
        std::snprintf(buf, sizeof buf, "%.1f G", v / 1e9);
    else if (v >= 1e6)
        std::snprintf(buf, sizeof buf, "%.1f M", v / 1e6);
    else
        return grouped(v);
    return buf;
}

double load_bytes(const WorldCounts& w) {
    return w.hosts * kLoadHost + w.mtas * kLoadMtaExtra + w.domains * kLoadDomain +
           w.listed_mailboxes * kLoadListedMailbox + w.counted_mailboxes * kLoadCountedMailbox;
}

double copy_bytes(const WorldCounts& w) {
    return w.hosts * kCopyHost + w.mtas * kCopyMtaExtra + w.domains * kCopyDomain +
           w.listed_mailboxes * kCopyListedMailbox + w.counted_mailboxes * kCopyCountedMailbox;
}

[[noreturn]] void refuse(const std::vector<MemoryTerm>& terms, std::uint64_t total,
                         const MemoryBudget& budget, std::string_view origin) {
    std::string text(origin);
    text += ": " + terms.front().key + ": this needs about " + format_bytes(total) +
            " of memory, more than " + budget.source + " (";
    for (std::size_t i = 0; i < terms.size() && i < 3; ++i) {
        if (terms[i].bytes == 0) break;
        if (i > 0) text += "; ";
        text += terms[i].what + ": " + format_bytes(terms[i].bytes);
    }
    text +=
        "); make it smaller, or go ahead anyway with --ignore-estimate (mxsim run --help, "
        "docs/scenario-format.md \"How big a run may be\")";
    throw ScenarioError(text);
}

// The expected arrivals of a Poisson source over [start, stop) of a run of `duration`.
double expected_arrivals(double rate_per_hour, const std::vector<model::RampPoint>& ramp,
                         sim::SimTime start, sim::SimTime stop, sim::SimTime duration) {
    const sim::SimTime end = stop > 0 ? std::min(stop, duration) : duration;
    if (end <= start) return 0;
    const double hours = sim::to_seconds(end - start) / 3600.0;
    if (ramp.empty()) return rate_per_hour * hours;
    constexpr int kSteps = 256;  // the ramp is piecewise linear: a fine sum is close
    double sum = 0;
    for (int i = 0; i < kSteps; ++i) {
        const sim::SimTime t = start + (end - start) / kSteps * i + (end - start) / kSteps / 2;
        sum += model::ramp_rate(ramp, t);
    }
    return sum / kSteps * hours;
}

double expected_messages(const model::Scenario& s) {
    double n = static_cast<double>(s.traffic.messages.size());
    for (const model::StreamSpec& st : s.traffic.streams)
        n += expected_arrivals(st.rate_per_hour, st.ramp, st.start, st.stop, s.duration);
    for (const model::WormSpec& w : s.traffic.worms)
        n += w.infected_hosts *
             expected_arrivals(w.rate_per_hour, w.ramp, w.start, w.stop, s.duration);
    return n;
}

std::uint64_t mailboxes_of(const model::Scenario& s) {
    std::uint64_t n = 0;
    for (const model::DomainSpec& d : s.domains)
        n += d.mailboxes.size();
    return n;
}

// The mailbox names a world interns: domains with the same list share it
// (model/mailbox_list.hpp), so 10^4 domains of the same 100 cost 100.
std::uint64_t distinct_mailboxes_of(const model::Scenario& s) {
    std::unordered_set<const void*> seen;
    std::uint64_t n = 0;
    for (const model::DomainSpec& d : s.domains)
        if (seen.insert(d.mailboxes.identity()).second) n += d.mailboxes.size();
    return n;
}

std::uint64_t mtas_of(const model::Scenario& s) {
    return static_cast<std::uint64_t>(
        std::count_if(s.hosts.begin(), s.hosts.end(), [](const auto& h) { return h.mta; }));
}

}  // namespace

WorldCounts count_world(const json& doc) {
    WorldCounts c;
    if (!doc.is_object()) return c;
    std::uint64_t largest = 1;
    const auto note = [&](const char* list, std::size_t i, std::uint64_t n) {
        if (n <= largest) return;
        largest = n;
        c.largest_template = std::string("/") + list + "/" + std::to_string(i) + "/count";
    };
    if (const auto hosts = doc.find("hosts"); hosts != doc.end() && hosts->is_array())
        for (std::size_t i = 0; i < hosts->size(); ++i) {
            const json& h = (*hosts)[i];
            const std::uint64_t n = entry_count(h);
            note("hosts", i, n);
            c.hosts += n;
            if (h.is_object() && h.contains("mta")) c.mtas += n;
        }
    if (const auto domains = doc.find("domains"); domains != doc.end() && domains->is_array())
        for (std::size_t i = 0; i < domains->size(); ++i) {
            const json& d = (*domains)[i];
            const std::uint64_t n = entry_count(d);
            note("domains", i, n);
            c.domains += n;
            const auto m = d.is_object() ? d.find("mailboxes") : d.end();
            if (!d.is_object() || m == d.end()) continue;
            if (m->is_array())
                c.listed_mailboxes += n * m->size();
            else
                c.counted_mailboxes += n * entry_count(*m);
        }
    return c;
}

std::uint64_t count_sweep_points(const json& sweeps) {
    std::uint64_t points = 1;
    if (!sweeps.is_array()) return points;
    for (const json& sw : sweeps) {
        if (!sw.is_object()) continue;
        std::uint64_t level = 1;
        for (const char* key : {"values", "shares"})
            if (const auto v = sw.find(key); v != sw.end() && v->is_array() && !v->empty())
                level = v->size();
        points = saturating_mul(points, level);
    }
    return points;
}

void check_expansion(const WorldCounts& world, std::uint64_t scenarios, std::string_view key,
                     const MemoryBudget& budget, std::string_view origin) {
    if (budget.bytes == 0) return;
    const double load = load_bytes(world);
    const double copies = static_cast<double>(scenarios) * copy_bytes(world);
    const std::uint64_t total = clamp_bytes(load + copies);
    if (total <= budget.bytes) return;
    const std::string world_text = grouped(static_cast<double>(world.hosts)) + " hosts, " +
                                   grouped(static_cast<double>(world.domains)) + " domains";
    std::vector<MemoryTerm> terms{
        {std::string(key),
         grouped(static_cast<double>(scenarios)) + " scenario(s) (variants x sweep points) of " +
             world_text,
         clamp_bytes(copies)},
        {world.largest_template, "reading " + world_text, clamp_bytes(load)}};
    std::sort(terms.begin(), terms.end(), [](auto& a, auto& b) { return a.bytes > b.bytes; });
    refuse(terms, total, budget, origin);
}

WorkEstimate estimate_work(const Experiment& ex, unsigned threads, bool trace) {
    WorkEstimate w;
    w.jobs = ex.scenarios.size() * static_cast<std::uint64_t>(ex.replications);
    const auto reps = static_cast<double>(ex.replications);
    const double running = std::min<double>(std::max(1u, threads), static_cast<double>(w.jobs));
    double world_peak = 0, kept = 0, csv = 0, scenarios = 0, traced = 0, max_bins = 0;
    std::string world_key = ex.world.largest_template, kept_key = "/bin_width";
    for (const model::Scenario& s : ex.scenarios) {
        const std::uint64_t mtas = mtas_of(s), mailboxes = mailboxes_of(s);
        const double bins = std::ceil(static_cast<double>(s.duration) /
                                      static_cast<double>(std::max<sim::SimTime>(1, s.bin_width)));
        const double cells = bins * (kFixedSeries + kSeriesPerMta * static_cast<double>(mtas));
        const double messages = expected_messages(s);
        max_bins = std::max(max_bins, bins);
        w.hosts = std::max<std::uint64_t>(w.hosts, s.hosts.size());
        w.mailboxes = std::max(w.mailboxes, mailboxes);
        w.messages += messages * reps;
        w.series_cells += clamp_bytes(cells * reps);
        const double world = s.hosts.size() * kWorldHost + mtas * kWorldMtaExtra +
                             s.domains.size() * kWorldDomain +
                             distinct_mailboxes_of(s) * kWorldMailbox + cells * kCellRecording;
        if (world > world_peak) {
            world_peak = world;
            world_key =
                cells * kCellRecording > world / 2 ? "/bin_width" : ex.world.largest_template;
        }
        kept += cells * kCellKept * reps;
        csv += cells * kCellCsv * reps;
        scenarios += copy_bytes({s.hosts.size(), mtas, s.domains.size(), 0, mailboxes});
        if (&s == &ex.scenarios.front() && trace) traced = messages * kTracedMessage;
    }
    w.events = w.messages * kEventsPerMessage;
    // What the series cells grow with: the bins of each job, or the jobs.
    const std::string_view jobs_key = ex.sweep_points.size() > 1 ? "/sweeps"
                                      : ex.variants.size() > 1   ? "/variants"
                                                                 : "/replications";
    if (static_cast<double>(w.jobs) > max_bins) kept_key = jobs_key;
    w.terms = {
        {world_key,
         grouped(running) + " world(s) at once (--threads) of " +
             grouped(static_cast<double>(w.hosts)) + " hosts, " +
             grouped(static_cast<double>(w.mailboxes)) + " mailboxes and their series",
         clamp_bytes(world_peak * running)},
        {kept_key,
         grouped(static_cast<double>(w.series_cells)) + " series cells (" + grouped(max_bins) +
             " bins x series x " + grouped(static_cast<double>(w.jobs)) +
             " job(s)), kept until written",
         clamp_bytes(kept)},
        {kept_key, "timeseries.csv, made in memory", clamp_bytes(csv)},
        {ex.scenarios.size() > 1 ? std::string(jobs_key) : ex.world.largest_template,
         "the scenarios of " + grouped(static_cast<double>(ex.scenarios.size())) +
             " variant(s) x sweep point(s)",
         clamp_bytes(scenarios)},
        {"/traffic", "the trace (--trace) of " + about(traced / kTracedMessage) + " messages",
         clamp_bytes(traced)}};
    double running_total = kProcessBase;
    for (const MemoryTerm& t : w.terms)
        running_total += static_cast<double>(t.bytes);
    // Reading the file peaks before the run (the JSON document is freed, and the
    // run reuses its memory): the peak is the larger of the two.
    const double load = kProcessBase + load_bytes(ex.world);
    w.terms.push_back({ex.world.largest_template, "reading the file", clamp_bytes(load)});
    std::stable_sort(w.terms.begin(), w.terms.end(),
                     [](const MemoryTerm& a, const MemoryTerm& b) { return a.bytes > b.bytes; });
    w.memory_bytes = clamp_bytes(std::max(load, running_total));
    return w;
}

void check_work(const WorkEstimate& w, const MemoryBudget& budget, std::string_view origin) {
    if (budget.bytes == 0 || w.memory_bytes <= budget.bytes) return;
    refuse(w.terms, w.memory_bytes, budget, origin);
}

std::string describe_work(const WorkEstimate& w) {
    return grouped(static_cast<double>(w.jobs)) + " job(s), " +
           grouped(static_cast<double>(w.hosts)) + " hosts, " +
           grouped(static_cast<double>(w.mailboxes)) + " mailboxes, about " + about(w.messages) +
           " messages and " + about(w.events) + " events, " +
           grouped(static_cast<double>(w.series_cells)) + " series cells, about " +
           format_bytes(w.memory_bytes);
}

std::string format_bytes(std::uint64_t bytes) {
    char buf[40];
    const double b = static_cast<double>(bytes);
    if (b >= 1024.0 * 1024 * 1024 * 1024)
        std::snprintf(buf, sizeof buf, "%.0f TiB", b / (1024.0 * 1024 * 1024 * 1024));
    else if (b >= 1024.0 * 1024 * 1024)
        std::snprintf(buf, sizeof buf, "%.1f GiB", b / (1024.0 * 1024 * 1024));
    else if (b >= 1024.0 * 1024)
        std::snprintf(buf, sizeof buf, "%.0f MiB", b / (1024.0 * 1024));
    else
        std::snprintf(buf, sizeof buf, "%.0f KiB", b / 1024.0);
    return buf;
}

}  // namespace mxsim::format
