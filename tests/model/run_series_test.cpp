// run_series_test.cpp - the named series agree with the run's totals, bin by bin.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <numeric>

#include "model/run_metrics.hpp"
#include "model/world.hpp"
#include "scenario/experiment_file.hpp"

using namespace mxsim;

namespace {

double sum(const std::vector<double>& v) {
    return std::accumulate(v.begin(), v.end(), 0.0);
}

std::map<std::string, std::vector<double>> by_name(const model::RunResults& r) {
    std::map<std::string, std::vector<double>> out;
    for (const model::NamedSeries& s : r.series)
        out.emplace(s.name, s.bins);
    return out;
}

}  // namespace

TEST_CASE("named series: origins x fates, queues per MTA, SMTP and victims add up to the totals",
          "[model][series]") {
    const format::Experiment ex =
        format::load_experiment_file(std::string(MXSIM_SOURCE_DIR) + "/scenarios/klez-flood.json");
    const model::Scenario& s = ex.at(1, 0);  // one third of the MTAs accept, then bounce
    model::World w(s, {ex.baseline().seed, 0, false});
    const model::RunResults r = w.run();
    const auto series = by_name(r);
    const std::size_t bins = r.delivered_per_bin.size();
    for (const auto& [name, values] : series) {
        INFO(name);
        CHECK(values.size() == bins);
    }

    // Every message was created and settled within the run (the worm stops at 1 d of 2 d).
    for (std::size_t o = 0; o < model::kOriginCount; ++o) {
        const std::string origin(model::kOriginNames[o]);
        std::uint64_t created = 0;
        for (std::size_t f = 0; f < model::kFateCount; ++f) {
            created += r.fates[o][f];
            if (f == 0) continue;
            const std::string name = "fate." + origin + "." + std::string(model::kFateNames[f]);
            INFO(name);
            REQUIRE(series.count(name));
            CHECK(sum(series.at(name)) == static_cast<double>(r.fates[o][f]));
        }
        CHECK(sum(series.at("created." + origin)) == static_cast<double>(created));
    }
    CHECK(sum(series.at("fate.ndr.delivered")) > 100);

    // The MTAs' queues add up to the total queue, bin by bin.
    std::vector<double> total(bins, 0.0);
    int mtas = 0;
    for (const auto& [name, values] : series)
        if (name.rfind("queued_mean.", 0) == 0) {
            ++mtas;
            for (std::size_t b = 0; b < bins; ++b)
                total[b] += values[b];
        }
    CHECK(mtas > 1);
    for (std::size_t b = 0; b < bins; ++b)
        CHECK(total[b] == Approx(r.queued_mean_per_bin[b]).margin(1e-9));

    // NDRs per MTA add up to each MTA's total, and to the NDR series.
    double ndrs = 0;
    for (const model::MtaResults& m : r.mtas) {
        const auto it = series.find("ndrs_generated." + m.host);
        INFO(m.host);
        CHECK((it == series.end() ? 0.0 : sum(it->second)) ==
              static_cast<double>(m.ndrs_generated));
        ndrs += it == series.end() ? 0.0 : sum(it->second);
    }
    CHECK(ndrs == sum(r.ndrs_generated_per_bin));
    CHECK(ndrs > 100);
    // Legitimate mail's mean delay per bin: between the run's fastest and slowest.
    for (const double d : series.at("legit_delay_mean_s"))
        CHECK((d == 0 || (d > 0.1 && d < 3600)));

    CHECK(sum(series.at("smtp_connections")) == static_cast<double>(r.smtp_sessions));
    CHECK(sum(series.at("smtp_bytes")) == static_cast<double>(r.smtp_bytes));
    // At least every accepted worm copy (100 kB each) crossed SMTP.
    const auto worm = static_cast<std::size_t>(model::Origin::Worm);
    const auto delivered = static_cast<std::size_t>(model::Fate::Delivered);
    CHECK(r.smtp_bytes >= 100000 * r.fates[worm][delivered]);

    // The most hit victims: their series sum to their totals.
    REQUIRE(r.backscatter_victims.size() >= model::RunSeries::kVictimSeries);
    for (std::size_t v = 0; v < model::RunSeries::kVictimSeries; ++v) {
        const auto& [address, received] = r.backscatter_victims[v];
        INFO(address);
        REQUIRE(series.count("backscatter." + address));
        CHECK(sum(series.at("backscatter." + address)) == static_cast<double>(received));
    }
    // ... and only theirs.
    REQUIRE(r.backscatter_victims.size() > model::RunSeries::kVictimSeries);
    CHECK(series.count("backscatter." + r.backscatter_victims.back().first) == 0);
}

TEST_CASE("the most hit victims are those a full sort by count, then name, puts first",
          "[model][series]") {
    // 3000 victims, hit 1 to 4 times, so hundreds tie at the 1000th place; the
    // list kept must be what sorting every victim would keep.
    model::Scenario s;
    s.duration = sim::kHour;
    s.bin_width = sim::kHour;
    model::RunMetrics metrics(s, 1);
    model::NameTable names;
    std::vector<std::pair<std::string, std::uint64_t>> expected;
    for (std::uint32_t v = 0; v < 3000; ++v) {
        const std::string local = "v" + std::to_string((v * 7919) % 3000);
        const std::string domain = "d" + std::to_string(v % 7) + ".example";
        model::Message notice;
        notice.origin = model::Origin::Ndr;
        notice.direct = true;
        notice.to_forged_sender = true;
        notice.recipient = {names.id_of(local), names.id_of(domain)};
        const std::uint64_t hits = 1 + (v * 31) % 4;
        for (std::uint64_t i = 0; i < hits; ++i) {
            metrics.created(0, notice);
            metrics.settled(0, notice, model::Fate::Delivered);
        }
        expected.emplace_back(local + "@" + domain, hits);
    }
    std::sort(expected.begin(), expected.end(), [](const auto& a, const auto& b) {
        return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    expected.resize(model::RunResults::kVictimsKept);
    const model::RunResults r = metrics.finish(s.duration, 0, {"mx"}, {true}, names);
    CHECK(r.backscatter_delivered == 7500);
    CHECK(r.backscatter_victims == expected);
}
