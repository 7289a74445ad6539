// run_results_codec_test.cpp - a job's results survive the trip between processes:
// every field of RunResults and TraceRecord round-trips exactly; bad bytes are refused.
#include <catch2/catch.hpp>

#include <bit>
#include <cmath>
#include <limits>

#include "experiment/backscatter_graph.hpp"
#include "experiment/results_writer.hpp"
#include "experiment/run_results_codec.hpp"

using namespace mxsim;
using experiment::CodecError;

namespace {

// Every field set, each to a value of its own (experiment/run_results_codec.cpp counts the
// fields of these structs at compile time: a new field must be set here too).
model::MtaResults sample_mta(std::uint64_t k) {
    model::MtaResults m;
    m.host = "mx" + std::to_string(k) + ".example";
    m.flows = {k + 1, k + 2, k + 3, k + 4, k + 5, k + 6, k + 7, k + 8, k + 9, k + 10, k + 11};
    m.ndrs_generated = k + 12;
    m.smtp_sessions = k + 13;
    m.dns_queries = k + 14;
    return m;
}

model::RunResults sample_results() {
    model::RunResults r;
    std::uint64_t n = 100;
    for (auto& row : r.fates)
        for (auto& cell : row)
            cell = n++;
    r.mtas = {sample_mta(1000), sample_mta(2000)};
    r.ndrs_delivered = 7;
    r.backscatter_delivered = 8;
    r.backscatter_victims = {{"alice@a.example", 5}, {"bob@b.example", 3}};
    r.ndr_flows = {{"mx1000.example", "a.example", 4}, {"mx2000.example", "", 1}};
    r.smtp_sessions = 9;
    r.events = 1'234'567'890'123ULL;
    r.end = -42;  // signed values survive
    r.legit_delay_p50_s = std::numeric_limits<double>::quiet_NaN();
    r.legit_delay_p95_s = -0.0;
    r.legit_delay_p99_s = 0.1 + 0.2;  // not exactly representable in decimal
    r.bin_width = 3'600'000'000;
    r.ndrs_generated_per_bin = {1, 2.5};
    r.delivered_per_bin = {};
    r.queued_mean_per_bin = {1e-300, 1e300, std::numeric_limits<double>::infinity()};
    r.backscatter_per_bin = {0, 0, 3};
    r.series = {{"fate.worm.rejected", {1, 2, 3}}, {"queued_mean.mx1000.example", {0.25}}};
    r.smtp_bytes = 123'456'789'012ULL;
    return r;
}

bool same_bits(double a, double b) {
    return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
}

bool same_series(const std::vector<double>& a, const std::vector<double>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (!same_bits(a[i], b[i])) return false;
    return true;
}

void check_same_mta(const model::MtaResults& a, const model::MtaResults& b) {
    CHECK(a.host == b.host);
    const model::MtaFlows &f = a.flows, &g = b.flows;
    CHECK(f.received == g.received);
    CHECK(f.submitted == g.submitted);
    CHECK(f.generated == g.generated);
    CHECK(f.delivered == g.delivered);
    CHECK(f.relayed == g.relayed);
    CHECK(f.bounced == g.bounced);
    CHECK(f.expired == g.expired);
    CHECK(f.dropped == g.dropped);
    CHECK(f.discarded == g.discarded);
    CHECK(f.queued == g.queued);
    CHECK(f.peak_queued == g.peak_queued);
    CHECK(a.ndrs_generated == b.ndrs_generated);
    CHECK(a.smtp_sessions == b.smtp_sessions);
    CHECK(a.dns_queries == b.dns_queries);
}

void check_same(const model::RunResults& a, const model::RunResults& b) {
    CHECK(a.fates == b.fates);
    REQUIRE(a.mtas.size() == b.mtas.size());
    for (std::size_t i = 0; i < a.mtas.size(); ++i)
        check_same_mta(a.mtas[i], b.mtas[i]);
    CHECK(a.ndrs_delivered == b.ndrs_delivered);
    CHECK(a.backscatter_delivered == b.backscatter_delivered);
    CHECK(a.backscatter_victims == b.backscatter_victims);
    REQUIRE(a.ndr_flows.size() == b.ndr_flows.size());
    for (std::size_t i = 0; i < a.ndr_flows.size(); ++i) {
        CHECK(a.ndr_flows[i].from_host == b.ndr_flows[i].from_host);
        CHECK(a.ndr_flows[i].to_domain == b.ndr_flows[i].to_domain);
        CHECK(a.ndr_flows[i].count == b.ndr_flows[i].count);
    }
    CHECK(a.smtp_sessions == b.smtp_sessions);
    CHECK(a.events == b.events);
    CHECK(a.end == b.end);
    CHECK(same_bits(a.legit_delay_p50_s, b.legit_delay_p50_s));
    CHECK(same_bits(a.legit_delay_p95_s, b.legit_delay_p95_s));
    CHECK(same_bits(a.legit_delay_p99_s, b.legit_delay_p99_s));
    CHECK(a.bin_width == b.bin_width);
    CHECK(same_series(a.ndrs_generated_per_bin, b.ndrs_generated_per_bin));
    CHECK(same_series(a.delivered_per_bin, b.delivered_per_bin));
    CHECK(same_series(a.queued_mean_per_bin, b.queued_mean_per_bin));
    CHECK(same_series(a.backscatter_per_bin, b.backscatter_per_bin));
    REQUIRE(a.series.size() == b.series.size());
    for (std::size_t i = 0; i < a.series.size(); ++i) {
        CHECK(a.series[i].name == b.series[i].name);
        CHECK(same_series(a.series[i].bins, b.series[i].bins));
    }
    CHECK(a.smtp_bytes == b.smtp_bytes);
}

}  // namespace

TEST_CASE("RunResults round-trip through bytes, every field exactly", "[experiment][codec]") {
    const model::RunResults original = sample_results();
    const model::RunResults decoded =
        experiment::decode_run_results(experiment::encode_run_results(original));
    check_same(original, decoded);
    // The writers see no difference either (this also catches a field the lists above miss
    // but summary.json shows).
    const experiment::RunMetadata meta{"codec", "codec.json", "0123456789abcdef", 1, "test", {},
                                       {}};
    CHECK(experiment::summary_json(meta, decoded, {}).dump() ==
          experiment::summary_json(meta, original, {}).dump());
    CHECK(experiment::backscatter_dot({decoded}, {0}, "t") ==
          experiment::backscatter_dot({original}, {0}, "t"));
}

TEST_CASE("Empty RunResults round-trip", "[experiment][codec]") {
    const model::RunResults empty;
    check_same(empty, experiment::decode_run_results(experiment::encode_run_results(empty)));
}

TEST_CASE("Trace records round-trip through bytes", "[experiment][codec]") {
    std::vector<model::TraceRecord> trace(2);
    trace[0] = {5'000'000, 3,   model::kNoMessage, "mx.a.example", "mx.b.example",
                "rcpt",    550, "5.1.1",           "rejected",     "user unknown"};
    trace[1] = {9'000'000, 4, 3, "mx.a.example", "", "queue", 0, "", "bounced", "NDR to sender"};
    const std::vector<model::TraceRecord> decoded =
        experiment::decode_trace(experiment::encode_trace(trace));
    CHECK(experiment::trace_jsonl(decoded) == experiment::trace_jsonl(trace));
    REQUIRE(decoded.size() == 2);
    CHECK(decoded[0].parent == model::kNoMessage);
    CHECK(decoded[1].parent == 3);
    CHECK(decoded[0].code == 550);
    CHECK(experiment::decode_trace(experiment::encode_trace({})).empty());
}

TEST_CASE("Malformed result bytes are refused, not misread", "[experiment][codec]") {
    const std::string bytes = experiment::encode_run_results(sample_results());
    SECTION("truncated anywhere") {
        for (const std::size_t keep :
             {std::size_t{0}, std::size_t{7}, bytes.size() / 2, bytes.size() - 1})
            CHECK_THROWS_AS(experiment::decode_run_results(bytes.substr(0, keep)), CodecError);
    }
    SECTION("trailing bytes") {
        CHECK_THROWS_WITH(experiment::decode_run_results(bytes + "x"),
                          Catch::Contains("1 unexpected bytes after the end"));
    }
    SECTION("a number too big for its field") {
        experiment::ByteWriter w;
        w.u64(1);
        w.u64(std::uint64_t{1} << 40);  // TraceRecord::t fits, msg (32 bits) does not
        w.u64(std::uint64_t{1} << 40);
        CHECK_THROWS_WITH(experiment::decode_trace(w.data()), Catch::Contains("out of range"));
    }
    SECTION("a length past the end") {
        experiment::ByteWriter w;
        w.u64(1'000'000);  // a million trace records announced, none there
        CHECK_THROWS_AS(experiment::decode_trace(w.data()), CodecError);
    }
}
