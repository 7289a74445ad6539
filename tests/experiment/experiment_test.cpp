// experiment_test.cpp - experiments run and compared: common random numbers, paired
// differences and the teaching cases, on the shipped scenarios and small variations.
// How a file's templates, variants and sweeps expand is tested in
// tests/scenario/experiment_file_test.cpp; thread-count independence of `mxsim run` in
// tests/cli/run_command_test.cpp.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "experiment/comparison.hpp"
#include "model/world.hpp"
#include "scenario/experiment_file.hpp"
#include "tests/test_support.hpp"

namespace fs = std::filesystem;
using namespace mxsim;
using namespace mxsim::experiment;
using mxsim::format::Experiment;
using mxsim::format::load_experiment_file;
using mxsim::format::parse_experiment;

namespace {

const std::string kKlez = std::string(MXSIM_SOURCE_DIR) + "/scenarios/klez-flood.json";

// Every job of an experiment, in the order compare() expects, run here on one thread.
std::vector<model::RunResults> run_all(const Experiment& ex) {
    std::vector<model::RunResults> runs;
    for (std::size_t v = 0; v < ex.variants.size(); ++v)
        for (std::size_t p = 0; p < ex.sweep_points.size(); ++p)
            for (int r = 0; r < ex.replications; ++r) {
                model::World w(ex.at(v, p),
                               {ex.baseline().seed, static_cast<std::uint64_t>(r), false});
                runs.push_back(w.run());
            }
    return runs;
}

std::size_t metric_index(const Comparison& c, const std::string& name) {
    const auto it = std::find(c.metrics.begin(), c.metrics.end(), name);
    REQUIRE(it != c.metrics.end());
    return static_cast<std::size_t>(it - c.metrics.begin());
}

}  // namespace

TEST_CASE("variants share their random numbers: the very same flood", "[experiment]") {
    const Experiment ex = load_experiment_file(kKlez);
    const auto flood = [&](std::size_t variant) {
        // Traced, so the world keeps every message (no slot reuse) to compare.
        model::World w(ex.at(variant, 0), {ex.baseline().seed, 1, true});
        w.run();
        std::vector<std::tuple<sim::SimTime, std::uint64_t, std::uint64_t>> out;
        for (const model::Message& m : w.messages())
            if (m.origin == model::Origin::Worm)
                out.emplace_back(m.created, std::uint64_t{m.sender.domain} << 32 | m.sender.local,
                                 std::uint64_t{m.recipient.domain} << 32 | m.recipient.local);
        return out;
    };
    const auto base = flood(0);
    REQUIRE(base.size() > 1000);
    CHECK(flood(2) == base);
}

TEST_CASE(
    "Klez flood: reject at RCPT sends no NDRs, accept-then-bounce sends one per invalid "
    "recipient, all of them backscatter",
    "[experiment]") {
    const Experiment ex = load_experiment_file(kKlez);
    const std::vector<model::RunResults> runs = run_all(ex);
    const Comparison c = compare(ex, runs);
    const auto metric = [&](const std::string& name) { return metric_index(c, name); };
    const std::size_t ndrs = metric("ndrs_generated"), back = metric("backscatter_delivered"),
                      rejected = metric("worm.rejected"), lost = metric("legit.lost");
    // Baseline: every MX rejects unknown recipients at RCPT: the worm is told, nobody else.
    CHECK(c.at(0, 0, ndrs).summary.mean == 0);
    CHECK(c.at(0, 0, back).summary.mean == 0);
    // All bounce: the refusals of the baseline become NDRs, one for one (same flood), and
    // every one lands on a forged sender.
    for (int r = 0; r < ex.replications; ++r) {
        const auto& base = run_metrics(runs[static_cast<std::size_t>(r)]);
        const auto& all = run_metrics(runs[static_cast<std::size_t>(2 * ex.replications + r)]);
        CHECK(all[ndrs].second == base[rejected].second);
        CHECK(all[back].second == all[ndrs].second);
    }
    // One third bouncing: significantly more backscatter than none, significantly less than all.
    const sim::Summary third = *c.at(1, 0, back).vs_baseline;
    CHECK(third.low() > 0);
    const auto backscatter_of = [&](int variant) {
        std::vector<double> v;
        for (int r = 0; r < ex.replications; ++r)
            v.push_back(
                run_metrics(runs[static_cast<std::size_t>(variant * ex.replications + r)])[back]
                    .second);
        return v;
    };
    const sim::Summary all_vs_third = sim::paired_difference(backscatter_of(1), backscatter_of(2));
    CHECK(all_vs_third.low() > 0);
    // Legitimate mail is not hurt by either policy here.
    CHECK(c.at(2, 0, lost).summary.mean == 0);
}

TEST_CASE("mailbox rate limit: only 550 loses legitimate mail, 450 makes the bouncers queue",
          "[experiment]") {
    const Experiment ex =
        load_experiment_file(std::string(MXSIM_SOURCE_DIR) + "/scenarios/mailbox-rate-limit.json");
    REQUIRE(ex.variants == std::vector<std::string>{"baseline", "550"});
    const std::size_t point = 1;  // limit_per_hour=100
    REQUIRE(ex.sweep_points[point] == "limit_per_hour=100");
    const Comparison c = compare(ex, run_all(ex));
    const auto metric = [&](const std::string& name) { return metric_index(c, name); };
    // 450: legitimate mail waits and is retried, never lost.
    CHECK(c.at(0, point, metric("legit.lost")).summary.mean == 0);
    // 550: legitimate mail over the limit bounces: lost, significantly.
    CHECK(c.at(1, point, metric("legit.lost")).vs_baseline->low() > 0);
    // 550 drops the NDRs over the limit at the bouncers (never a bounce about a bounce)...
    CHECK(c.at(1, point, metric("ndr.dropped")).summary.low() > 0);
    CHECK(c.at(0, point, metric("ndr.dropped")).summary.mean == 0);
    // ...while under 450 they wait in the bouncers' queues, which grow.
    CHECK(c.at(1, point, metric("queue.peak_max")).vs_baseline->high() < 0);
    // A higher limit lets more backscatter through under 550.
    const std::size_t back = metric("backscatter_delivered");
    CHECK(c.at(1, 3, back).summary.mean > c.at(1, 0, back).summary.mean);
}

TEST_CASE("a mailbox limit can accept and discard: mail vanishes on purpose, books still balance",
          "[experiment]") {
    nlohmann::json doc = nlohmann::json::parse(mxsim::testing::read_file(
        std::string(MXSIM_SOURCE_DIR) + "/scenarios/mailbox-rate-limit.json"));
    doc["hosts"][0]["mta"]["mailbox_rate_limit"]["over_limit"] = "discard";
    doc.erase("variants");
    doc.erase("sweeps");
    doc["replications"] = 1;
    const Experiment ex = parse_experiment(doc.dump(), "discard.json");
    model::World w(ex.baseline(), {1, 0, false});
    const model::RunResults r = w.run();  // books are checked inside
    CHECK(r.fates[std::size_t(model::Origin::Ndr)][std::size_t(model::Fate::Discarded)] > 0);
    CHECK(r.mtas[0].flows.discarded > 0);
}

namespace {

// Mean of a metric for every variant of a scenario file (first sweep point).
std::vector<Cell> cells_of(const std::string& file, const std::string& metric_name) {
    const Experiment ex =
        load_experiment_file(std::string(MXSIM_SOURCE_DIR) + "/scenarios/" + file);
    const std::vector<model::RunResults> runs = run_all(ex);
    const Comparison c = compare(ex, runs);
    const std::size_t m = metric_index(c, metric_name);
    std::vector<Cell> out;
    for (std::size_t v = 0; v < ex.variants.size(); ++v)
        out.push_back(c.at(v, 0, m));
    return out;
}

}  // namespace

TEST_CASE("teaching (a): 550 relay denied bounces at once, 454 retries for 5 days, then bounces",
          "[experiment][teaching]") {
    const Experiment ex =
        load_experiment_file(std::string(MXSIM_SOURCE_DIR) + "/scenarios/relay-denied.json");
    for (std::size_t v = 0; v < 2; ++v) {
        model::World w(ex.at(v, 0), {1, 0, true});
        w.run();
        const model::Message& m = w.messages()[0];
        const model::TraceRecord* end = nullptr;
        for (const model::TraceRecord& t : w.trace())
            if (t.msg == 0 && (t.action == "bounced" || t.action == "expired")) end = &t;
        REQUIRE(end != nullptr);
        if (v == 0) {
            CHECK(m.fate == model::Fate::Bounced);
            CHECK(end->enhanced == "5.7.1");
            CHECK(sim::whole_seconds(end->t) == 0);
        } else {
            CHECK(m.fate == model::Fate::Expired);
            CHECK(end->enhanced == "4.7.1");  // the DSN carries the last transient status
            CHECK(sim::whole_seconds(end->t) == 433200);
        }
    }
}

TEST_CASE(
    "teaching (c): a backup MX without a recipient list sends one NDR per invalid "
    "recipient, relay_recipient_maps and address verification send none",
    "[experiment][teaching]") {
    const auto ndrs = cells_of("backup-mx-dictionary.json", "ndrs_generated");
    const auto refused = cells_of("backup-mx-dictionary.json", "spam.rejected");
    // Baseline: every invalid recipient (refused in the other variants) became an NDR.
    CHECK(ndrs[0].summary.mean == refused[1].summary.mean);
    CHECK(ndrs[0].summary.low() > 0);
    CHECK(ndrs[1].summary.mean == 0);
    CHECK(ndrs[2].summary.mean == 0);
    CHECK(refused[2].summary.mean == refused[1].summary.mean);
}

TEST_CASE(
    "teaching (f): a store-and-forward front end without validation is a backscatter "
    "source, as a router or validating, the firewall is not",
    "[experiment][teaching]") {
    const auto back = cells_of("firewall-front-end.json", "backscatter_delivered");
    CHECK(back[0].summary.mean == 0);
    CHECK(back[1].vs_baseline->low() > 0);
    CHECK(back[2].summary.mean == 0);
    const auto legit = cells_of("firewall-front-end.json", "legit.delivered");
    CHECK(legit[1].vs_baseline->mean == 0);  // legitimate mail gets through every way
    CHECK(legit[2].vs_baseline->mean == 0);
}

TEST_CASE(
    "teaching (g): greylisting delays legitimate mail by each MTA's retry schedule and "
    "stops a worm that never retries",
    "[experiment][teaching]") {
    const auto delay = cells_of("greylisting.json", "legit.delay_p95_s");
    // Postfix retries after ~300-600 s; Sendmail at its next 15-minute queue run that
    // is past the 300 s delay; Exim after its 15-minute retry time, at a 30-minute run.
    CHECK(delay[0].summary.high() < 900);
    CHECK(delay[1].vs_baseline->low() > 0);
    CHECK(delay[2].vs_baseline->low() > 0);
    const auto lost = cells_of("greylisting.json", "legit.lost");
    for (const Cell& c : lost)
        CHECK(c.summary.mean == 0);
    const auto sent = cells_of("greylisting.json", "worm.sent");
    const auto refused = cells_of("greylisting.json", "worm.rejected");
    CHECK(refused[0].summary.mean > 0.9 * sent[0].summary.mean);
}

TEST_CASE(
    "av-backscatter: a scanner that notifies the sender sends one notice per worm copy to "
    "the forged senders, rejecting at DATA or discarding sends none",
    "[experiment][teaching]") {
    const auto back = cells_of("av-backscatter.json", "backscatter_delivered");
    const auto sent = cells_of("av-backscatter.json", "worm.sent");
    const auto refused = cells_of("av-backscatter.json", "worm.rejected");
    const auto discarded = cells_of("av-backscatter.json", "worm.discarded");
    CHECK(sent[0].summary.low() > 1000);
    CHECK(refused[0].summary.mean == sent[0].summary.mean);  // 554 5.7.1 at end of DATA
    CHECK(back[0].summary.mean == 0);
    CHECK(back[1].summary.mean == sent[1].summary.mean);  // one notice per copy, all delivered
    CHECK(back[1].vs_baseline->low() > 0);
    CHECK(discarded[2].summary.mean == sent[2].summary.mean);
    CHECK(back[2].summary.mean == 0);
    const auto lost = cells_of("av-backscatter.json", "legit.lost");
    for (const Cell& c : lost)
        CHECK(c.summary.mean == 0);
}

TEST_CASE("greylisting: a new triplet waits, a retry after the delay passes and is remembered",
          "[model][greylist]") {
    nlohmann::json doc = nlohmann::json::parse(
        mxsim::testing::read_file(std::string(MXSIM_SOURCE_DIR) + "/scenarios/greylisting.json"));
    doc.erase("variants");
    doc["replications"] = 1;
    doc["traffic"].erase("worms");
    doc["traffic"]["streams"] = nlohmann::json::array();
    doc["traffic"]["messages"] = {{{"at", "0s"},
                                   {"from", "s0@sender.example"},
                                   {"to", "d0@dest.example"},
                                   {"via", "mx.sender.example"}},
                                  {{"at", "2h"},
                                   {"from", "s0@sender.example"},
                                   {"to", "d0@dest.example"},
                                   {"via", "mx.sender.example"}}};
    const Experiment ex = parse_experiment(doc.dump(), "grey.json");
    model::World w(ex.baseline(), {1, 0, true});
    w.run();
    std::vector<std::pair<model::MessageId, std::string>> rcpt;
    for (const model::TraceRecord& t : w.trace())
        if (t.stage == "rcpt")
            rcpt.emplace_back(
                t.msg, std::to_string(t.code) + " " + std::to_string(sim::whole_seconds(t.t)));
    REQUIRE(rcpt.size() == 3);
    CHECK(rcpt[0] == std::make_pair(model::MessageId{0}, std::string("450 0")));  // greylisted
    CHECK(rcpt[1] ==
          std::make_pair(model::MessageId{0}, std::string("250 300")));  // retried at 300 s
    CHECK(rcpt[2] == std::make_pair(model::MessageId{1}, std::string("250 7200")));  // remembered
}

TEST_CASE("SPF -all checked at MAIL FROM stops a forging worm before any NDR can exist",
          "[experiment][policy]") {
    nlohmann::json doc = nlohmann::json::parse(mxsim::testing::read_file(kKlez));
    doc["replications"] = 2;
    doc["variants"] = nlohmann::json::array(
        {{{"name", "all-bounce-spf"},
          {"set",
           {{{"path", "/hosts/*/mta/reject_unlisted_recipient"}, {"value", false}},
            {{"path", "/hosts/*/mta/check_spf"}, {"value", true}},
            {{"path", "/domains/*/spf_hard_fail"}, {"value", true}}}}}});
    const Experiment ex = parse_experiment(doc.dump(), "klez-spf.json");
    model::World w(ex.at(1, 0), {ex.baseline().seed, 0, false});
    const model::RunResults r = w.run();
    const auto at = [&](model::Origin o, model::Fate f) {
        return r.fates[std::size_t(o)][std::size_t(f)];
    };
    // Every worm message forges a -all sender from a host the domain does not list.
    CHECK(at(model::Origin::Worm, model::Fate::Rejected) > 0);
    CHECK(at(model::Origin::Worm, model::Fate::Delivered) == 0);
    CHECK(r.backscatter_delivered == 0);
    // Legitimate mail relayed through site0 for other domains fails SPF too: the known
    // cost of SPF for forwarders and shared relays.
    CHECK(at(model::Origin::Legit, model::Fate::Bounced) > 0);
}

TEST_CASE("BATV at the victim refuses the backscatter, the bouncers drop it",
          "[experiment][policy]") {
    nlohmann::json doc = nlohmann::json::parse(mxsim::testing::read_file(
        std::string(MXSIM_SOURCE_DIR) + "/scenarios/mailbox-rate-limit.json"));
    doc.erase("variants");
    doc.erase("sweeps");
    doc["replications"] = 1;
    doc["domains"][0]["batv"] = true;
    const Experiment ex = parse_experiment(doc.dump(), "batv.json");
    model::World w(ex.baseline(), {1, 0, false});
    const model::RunResults r = w.run();
    CHECK(r.backscatter_delivered == 0);
    CHECK(r.fates[std::size_t(model::Origin::Ndr)][std::size_t(model::Fate::Dropped)] > 1000);
    CHECK(r.fates[std::size_t(model::Origin::Legit)][std::size_t(model::Fate::Delivered)] > 0);
}
