// replay_command_test.cpp - `mxsim replay`: a Postfix maillog through a scenario,
// logged and simulated attempts paired, replay.json written whole.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/replay_command.hpp"
#include "tests/cli/call_command.hpp"
#include "tests/test_support.hpp"

namespace fs = std::filesystem;

namespace {

const std::string kDir = std::string(MXSIM_SOURCE_DIR) + "/tests/importers/replay/";

int replay(const std::vector<std::string>& args, std::string& out, std::string& err) {
    return mxsim::testing::call(&mxsim::cli::replay_command, args, out, err);
}

fs::path fresh(const std::string& name) {
    return mxsim::testing::fresh_path("replay-" + name);
}

}  // namespace

TEST_CASE("mxsim replay pairs the logged and the simulated attempts", "[cli][replay]") {
    const fs::path dir = fresh("ok");
    std::string out, err;
    REQUIRE(replay({kDir + "maillog", "--scenario", kDir + "world.json", "--out", dir.string()},
                   out, err) == 0);
    CHECK_THAT(out, Catch::Contains("within 1 s                  100.0%"));
    const auto r = nlohmann::json::parse(mxsim::testing::read_file(dir / "replay.json"));
    CHECK(r["host"] == "mail.example.org");  // "mail" in the log, guessed
    const auto& s = r["summary"];
    CHECK(s["recipients"] == 3);
    CHECK(s["attempts_logged"] == 4);
    CHECK(s["attempts_paired"] == 4);
    CHECK(s["outcomes_differ"] == 0);
    CHECK(s["refusals_matched"] == 1);
    // The deferred one: refused at 5 s, delivered at the queue run at 600 s, both sides.
    const auto& bob = r["messages"][1];
    CHECK(bob["to"] == "bob@dest.example");
    CHECK(bob["simulated"]["attempts"][0]["status"] == "deferred");
    CHECK(bob["simulated"]["attempts"][1]["t"] == 600);
    CHECK(bob["differences"].empty());
}

TEST_CASE("mxsim replay says what differs", "[cli][replay]") {
    // The same log against a world where the destination was never down.
    std::ifstream in(kDir + "world.json");
    nlohmann::json world = nlohmann::json::parse(in);
    world["hosts"][1].erase("outages");
    const fs::path scenario = fresh("world.json");
    std::ofstream(scenario) << world.dump();
    const fs::path dir = fresh("differs");
    std::string out, err;
    REQUIRE(replay({kDir + "maillog", "--scenario", scenario.string(), "--out", dir.string()}, out,
                   err) == 0);
    const auto r = nlohmann::json::parse(mxsim::testing::read_file(dir / "replay.json"));
    CHECK(r["summary"]["outcomes_differ"] == 1);
    const auto& bob = r["messages"][1];
    REQUIRE(!bob["differences"].empty());
    CHECK_THAT(bob["differences"][0].get<std::string>(),
               Catch::Contains("attempt 1: logged deferred at 5 s, simulated sent at 5 s"));
}

TEST_CASE("mxsim replay takes addresses as the scenario does", "[cli][replay]") {
    // Mixed case is the same mailbox; a bare local name cannot be replayed.
    std::string log = mxsim::testing::read_file(kDir + "maillog");
    const std::string joe = "to=<joe@example.org>";
    log.replace(log.find(joe), joe.size(), "to=<Joe@Example.ORG>");
    log +=
        "Dec  1 10:14:00 mail postfix/pickup[1005]: 9E8D7C6B5A: uid=0 from=<root>\n"
        "Dec  1 10:14:00 mail postfix/local[1004]: 9E8D7C6B5A: to=<root>, relay=local, "
        "delay=0, delays=0/0/0/0, dsn=2.0.0, status=sent (delivered to mailbox)\n";
    const fs::path file = fresh("mixed-case.log");
    std::ofstream(file) << log;
    const fs::path dir = fresh("mixed-case");
    std::string out, err;
    REQUIRE(replay({file.string(), "--scenario", kDir + "world.json", "--out", dir.string()}, out,
                   err) == 0);
    CHECK_THAT(err, Catch::Contains("<root> is not a full address: left out of the replay"));
    const auto r = nlohmann::json::parse(mxsim::testing::read_file(dir / "replay.json"));
    CHECK(r["summary"]["recipients"] == 3);
    CHECK(r["summary"]["outcomes_differ"] == 0);
}

TEST_CASE("mxsim replay: bad input exits 2 naming it", "[cli][replay]") {
    std::string out, err;
    CHECK(replay({kDir + "maillog", "--scenario", kDir + "world.json", "--host", "nohost.example",
                  "--out", fresh("bad").string()},
                 out, err) == 2);
    CHECK_THAT(err, Catch::Contains("no host nohost.example"));
    CHECK(replay({kDir + "world.json", "--scenario", kDir + "world.json"}, out, err) == 2);
    CHECK_THAT(err, Catch::Contains("world.json:1: not a log line"));
    CHECK(replay({"/nonexistent/maillog", "--scenario", kDir + "world.json"}, out, err) == 2);
    CHECK_THAT(err, Catch::Contains("cannot be read"));
    CHECK(replay({kDir + "maillog"}, out, err) == 2);  // --scenario is required
}
