// work_estimate_test.cpp - a file asking for more than the memory budget is refused up
// front, naming the key that drives the cost and the numbers (issue 12, point 2).
#include <catch2/catch.hpp>

#include <string>

#include "scenario/experiment_file.hpp"
#include "scenario/work_estimate.hpp"

using namespace mxsim::format;

namespace {

// Two hosts, one domain; `extra` is spliced in at the top level.
std::string scenario(const std::string& extra) {
    return R"({"name": "w", "duration": "1d", "bin_width": "1h",
      "hosts": [{"name": "mx.a.example", "mta": {"local_domains": ["a.example"]}},
                {"name": "c{i}.example", "count": 40}],
      "domains": [{"name": "a.example", "mailboxes": {"count": 1000, "pattern": "u{i}"},
                   "mx": [{"preference": 10, "host": "mx.a.example"}]},
                  {"name": "d{i}.example", "count": 5, "mailboxes": ["x", "y"]}],
      "traffic": {"streams": [{"name": "s", "from": ["u1@a.example"], "to": ["u2@a.example"],
                               "via": "mx.a.example", "rate_per_hour": 100}]})" +
           extra + "}";
}

std::string refusal(const std::string& text, std::uint64_t bytes) {
    try {
        const Experiment ex = parse_experiment(text, "w.json", {{bytes, "--max-memory X"}, {}, {}});
        check_work(estimate_work(ex, 1, false), {bytes, "--max-memory X"}, "w.json");
    } catch (const ScenarioError& e) {
        return e.what();
    }
    return "(accepted)";
}

}  // namespace

TEST_CASE("templates are counted without being expanded", "[scenario][estimate]") {
    const WorldCounts c = count_world(nlohmann::json::parse(scenario("")));
    CHECK(c.hosts == 41);
    CHECK(c.mtas == 1);
    CHECK(c.domains == 6);
    CHECK(c.listed_mailboxes == 10);
    CHECK(c.counted_mailboxes == 1000);
    CHECK(c.largest_template == "/hosts/1/count");
}

TEST_CASE("sweep points are the product of the value lists, saturating", "[scenario][estimate]") {
    const auto sweeps = [](int n, int levels) {
        nlohmann::json list = nlohmann::json::array();
        for (int k = 0; k < levels; ++k)
            list.push_back({{"name", "s"}, {"values", std::vector<int>(n, 1)}});
        return list;
    };
    CHECK(count_sweep_points(sweeps(3, 2)) == 9);
    CHECK(count_sweep_points(sweeps(1000, 3)) == 1'000'000'000);
    CHECK(count_sweep_points(sweeps(1000, 7)) == UINT64_MAX);
    CHECK(count_sweep_points(nlohmann::json::array()) == 1);
}

TEST_CASE("a small world within its budget is accepted and described", "[scenario][estimate]") {
    CHECK(refusal(scenario(""), 1ull << 30) == "(accepted)");
    const Experiment ex = parse_experiment(scenario(""), "w.json");
    const WorkEstimate w = estimate_work(ex, 4, false);
    CHECK(w.jobs == 1);
    CHECK(w.hosts == 41);
    CHECK(w.mailboxes == 1010);
    // 100 an hour for a day.
    CHECK(w.messages == Approx(2400));
    CHECK(w.events == Approx(3 * 2400));
    // 24 bins x (78 fixed series + 2 per MTA).
    CHECK(w.series_cells == 24 * 80);
    CHECK(describe_work(w).find("1 job(s), 41 hosts, 1,010 mailboxes, about 2,400 messages") == 0);
}

TEST_CASE("a sweep grid too big to hold is refused before it is built, naming /sweeps",
          "[scenario][estimate]") {
    std::string values = "[1";
    for (int i = 2; i <= 1000; ++i)
        values += "," + std::to_string(i);
    values += "]";
    const std::string grid = R"(, "sweeps": [{"name": "a", "path": "/seed", "values": )" + values +
                             R"(}, {"name": "b", "path": "/seed", "values": )" + values +
                             R"(}, {"name": "c", "path": "/seed", "values": )" + values + "}]";
    const std::string e = refusal(scenario(grid), 1ull << 30);
    CHECK(e.find("w.json: /sweeps: this needs about") == 0);
    CHECK(e.find("more than --max-memory X") != std::string::npos);
    CHECK(e.find("1,000,000,000 scenario(s) (variants x sweep points) of 41 hosts, 6 domains") !=
          std::string::npos);
    CHECK(e.find("--ignore-estimate") != std::string::npos);
    // No budget: nothing is checked (then the grid would be built; not done here).
}

TEST_CASE("fine bins over a long run are refused, naming /bin_width", "[scenario][estimate]") {
    std::string text = scenario("");
    text.replace(text.find(R"("duration": "1d")"), 16, R"("duration": "1000d")");
    text.replace(text.find(R"("bin_width": "1h")"), 17, R"("bin_width": "1s")");
    const std::string e = refusal(text, 1ull << 30);
    CHECK(e.find("w.json: /bin_width: this needs about") == 0);
    // 86,400,000 bins of 80 series.
    CHECK(e.find("6,912,000,000 series cells (86,400,000 bins") != std::string::npos);
}

TEST_CASE("many worlds at once are counted by --threads", "[scenario][estimate]") {
    const Experiment ex = parse_experiment(scenario(R"(, "replications": 8)"), "w.json");
    const WorkEstimate one = estimate_work(ex, 1, false), eight = estimate_work(ex, 8, false),
                       many = estimate_work(ex, 64, false);
    CHECK(one.jobs == 8);
    CHECK(eight.memory_bytes > one.memory_bytes);
    CHECK(many.memory_bytes == eight.memory_bytes);  // never more worlds than jobs
    // A traced job keeps every step of every message.
    CHECK(estimate_work(ex, 1, true).memory_bytes > one.memory_bytes);
}

TEST_CASE("sizes read as people write them", "[scenario][estimate]") {
    CHECK(format_bytes(512) == "0 KiB");
    CHECK(format_bytes(10 * 1024) == "10 KiB");
    CHECK(format_bytes(310ull << 20) == "310 MiB");
    CHECK(format_bytes(3ull << 29) == "1.5 GiB");
    CHECK(format_bytes(41ull << 40) == "41 TiB");
}
