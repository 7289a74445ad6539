// worked_example_test.cpp - docs/import.md's worked example, end to end: import
// Debian's main.cf and a BIND zone, assemble a scenario from them, validate it,
// and replay a log through it.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/import_command.hpp"
#include "cli/replay_command.hpp"
#include "cli/validate_command.hpp"
#include "tests/test_support.hpp"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const std::string kDir = std::string(MXSIM_SOURCE_DIR) + "/tests/importers/";

json import(const std::vector<std::string>& args) {
    std::vector<std::string_view> views(args.begin(), args.end());
    std::istringstream in;
    std::ostringstream out, err;
    REQUIRE(mxsim::cli::import_command(views, in, out, err) == 0);
    return json::parse(out.str());
}

}  // namespace

TEST_CASE("the worked example of docs/import.md runs end to end", "[cli][import]") {
    const json host = import({"postfix", kDir + "debian-main.cf"})["hosts"][0];
    const json zone = import({"zone", kDir + "example.org.zone"});
    // The imported MTA is the zone's mail.example.org: its address from the zone.
    json hosts = json::array({host});
    for (const json& h : zone["hosts"])
        if (h["name"] == host["name"])
            hosts[0]["address"] = h["address"];
        else
            hosts.push_back(h);
    json domains = json::array();
    for (json d : zone["domains"]) {
        if (d["name"] == "example.org") d["mailboxes"] = {"joe", "postmaster"};
        domains.push_back(d);
    }
    hosts.push_back(
        {{"name", "mx.sender.example"}, {"mta", {{"mydestination", {"sender.example"}}}}});
    domains.push_back({{"name", "sender.example"},
                       {"mailboxes", {"ann"}},
                       {"mx", {{{"preference", 10}, {"host", "mx.sender.example"}}}}});
    const json scenario = {{"name", "my-server"}, {"hosts", hosts}, {"domains", domains}};
    const fs::path file = fs::temp_directory_path() / "mxsim-worked-example.json";
    std::ofstream(file) << scenario.dump(2);

    std::ostringstream out, err;
    const std::string path = file.string();
    REQUIRE(mxsim::cli::validate_command({path}, out, err) == 0);

    const fs::path dir = fs::temp_directory_path() / "mxsim-worked-example-out";
    fs::remove_all(dir);
    const std::string log = kDir + "worked-example.maillog", out_dir = dir.string();
    REQUIRE(mxsim::cli::replay_command({log, "--scenario", path, "--out", out_dir}, out, err) == 0);
    const json r = json::parse(mxsim::testing::read_file(dir / "replay.json"));
    CHECK(r["host"] == "mail.example.org");
    CHECK(r["summary"]["attempts_paired"] == 1);
    CHECK(r["summary"]["within_1s"] == 1.0);
    // Debian's Postfix refuses an unknown local user at RCPT; so does the imported host.
    CHECK(r["summary"]["refusals_matched"] == 1);
}
