// postfix_import_test.cpp - main.cf read as Postfix reads it, and mapped to an
// mxsim host that a scenario takes unchanged; Debian's shipped files included.
#include <catch2/catch.hpp>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "importers/postfix_import.hpp"
#include "scenario/scenario_loader.hpp"
#include "tests/test_support.hpp"

using namespace mxsim;
using importer::ImportError;
using nlohmann::ordered_json;

namespace {

const std::string kDir = std::string(MXSIM_SOURCE_DIR) + "/tests/importers/";

ordered_json import_text(const std::string& text, const std::string& master = "") {
    return importer::import_postfix(importer::read_postfix_config(text, "main.cf"),
                                    importer::read_master_cf(master, "master.cf"),
                                    "vm.example.net");
}

bool not_modelled(const ordered_json& j, const std::string& parameter, const std::string& value) {
    for (const auto& e : j["not_modelled"])
        if (e["parameter"] == parameter && e["value"] == value) return true;
    return false;
}

}  // namespace

TEST_CASE("main.cf lines: comments, continuations, the last setting wins", "[import][postfix]") {
    const importer::PostfixConfig cf = importer::read_postfix_config(
        "# a comment\n"
        "   # an indented comment\n"
        "\n"
        "mydestination = a.example,\n"
        "    b.example\n"
        "\tc.example\n"
        "queue_run_delay=100s\n"
        "queue_run_delay = 200s\n",
        "main.cf");
    CHECK(cf.expanded("mydestination") == "a.example, b.example c.example");
    CHECK(cf.expanded("queue_run_delay") == "200s");
    CHECK(cf.find("mydestination")->line == 4);
    CHECK_THROWS_WITH(importer::read_postfix_config(" continued = 1\n", "main.cf"),
                      Catch::Contains("main.cf:1") && Catch::Contains("nothing to continue"));
    CHECK_THROWS_WITH(importer::read_postfix_config("a = 1\njust words\n", "main.cf"),
                      Catch::Contains("main.cf:2: expected name = value"));
}

TEST_CASE("$name expands as mac_expand does, with Postfix's defaults", "[import][postfix]") {
    importer::PostfixConfig cf = importer::read_postfix_config(
        "myhostname = mx.example.org\n"
        "mydomain = example.org\n"
        "a = ${myhostname} and $(mydomain) and $$\n"
        "b = ${unset_name?yes}${myhostname?set}${unset_name:empty}\n"
        "c = $d\nd = $c\n",
        "main.cf");
    CHECK(cf.expanded("a") == "mx.example.org and example.org and $");
    CHECK(cf.expanded("b") == "setempty");
    // mydestination's default refers to $myhostname and $mydomain.
    CHECK(cf.expanded("mydestination") == "mx.example.org, localhost.example.org, localhost");
    CHECK_THROWS_WITH(cf.expanded("c"), Catch::Contains("refers to itself"));
    CHECK_FALSE(cf.expanded("no_such_parameter"));
}

TEST_CASE("compatibility_level sets the defaults it implies", "[import][postfix]") {
    // COMPATIBILITY_README: relay_domains is $mydestination below level 2, empty from 2.
    const auto old = importer::read_postfix_config("compatibility_level = 0\n", "main.cf");
    const auto now = importer::read_postfix_config("compatibility_level = 3.6\n", "main.cf");
    CHECK(old.find("relay_domains") == nullptr);
    CHECK(importer::PostfixConfig(old).expanded("relay_domains") != "");
    CHECK(importer::PostfixConfig(now).expanded("relay_domains") == "");
    CHECK(importer::PostfixConfig(old).expanded("smtpd_relay_restrictions") == "");
}

TEST_CASE("Debian's generated main.cf becomes a host, and the rest is listed",
          "[import][postfix]") {
    const ordered_json j = import_text(testing::read_file(kDir + "debian-main.cf"));
    REQUIRE(j["hosts"].size() == 1);
    const ordered_json& host = j["hosts"][0];
    CHECK(host["name"] == "mail.example.org");
    const ordered_json& mta = host["mta"];
    CHECK(mta["flavor"] == "postfix");
    CHECK(mta["mydestination"] == ordered_json::array({"mail.example.org", "example.org",
                                                       "localhost.localdomain", "localhost"}));
    CHECK(mta["smtpd_relay_restrictions"] == "defer_unauth_destination");
    CHECK(mta["smtpd_reject_unlisted_recipient"] == true);
    CHECK(not_modelled(j, "smtpd_tls_security_level", "may"));
    CHECK(mta["mynetworks"] ==
          ordered_json::array({"127.0.0.0/8", "[::ffff:127.0.0.0]/104", "[::1]/128"}));
    CHECK(not_modelled(j, "smtpd_relay_restrictions", "permit_sasl_authenticated"));
    CHECK_FALSE(not_modelled(j, "smtpd_relay_restrictions", "permit_mynetworks"));
    CHECK(not_modelled(j, "local_recipient_maps", "hash:/etc/aliases"));
    CHECK(not_modelled(j, "biff", "no"));
    for (const auto& e : j["not_modelled"])
        CHECK(e["parameter"] != "myhostname");  // used, as the host's name
}

TEST_CASE("Postfix's own main.cf.dist and master.cf.dist are read whole", "[import][postfix]") {
    const ordered_json j = import_text(testing::read_file(kDir + "main.cf.dist"),
                                       testing::read_file(kDir + "master.cf.dist"));
    // No myhostname: the machine's name, said in a warning.
    CHECK(j["hosts"][0]["name"] == "vm.example.net");
    CHECK_THAT(j["warnings"][0].get<std::string>(), Catch::Contains("myhostname is not set"));
    // Its continuation lines (debugger_command) are one value.
    bool debugger = false;
    for (const auto& e : j["not_modelled"])
        if (e["parameter"] == "debugger_command")
            debugger =
                e["value"].get<std::string>().find("ddd $daemon_directory") != std::string::npos;
    CHECK(debugger);
}

TEST_CASE("the modelled parameters are mapped by their Postfix names", "[import][postfix]") {
    const ordered_json j = import_text(
        "myhostname = mx.example.org\n"
        "mydestination = $myhostname, example.org, hash:/etc/postfix/local_domains\n"
        "relay_domains = relay.example\n"
        "relay_recipient_maps = hash:/etc/postfix/relay_recipients\n"
        "transport_maps = inline:{relay.example=smtp:[inside.example]}\n"
        "smtpd_relay_restrictions =\n"
        "smtpd_recipient_restrictions = permit_mynetworks, reject_unauth_destination,\n"
        "    check_policy_service unix:private/policyd-spf,\n"
        "    check_policy_service inet:127.0.0.1:10023, reject_rbl_client zen.spamhaus.org\n"
        "maximal_queue_lifetime = 2\n"
        "bounce_queue_lifetime = 1d\n"
        "queue_run_delay = 60\n"
        "delay_warning_time = 4\n"
        "notify_classes = bounce, 2bounce, resource\n"
        "soft_bounce = yes\n"
        "default_destination_concurrency_limit = 10\n"
        "default_process_limit = 50\n"
        "2bounce_notice_recipient = abuse\n"
        "myorigin = example.org\n",
        "smtp unix - - y - 30 smtp\n"
        "  -o smtp_helo_timeout=5s\n"
        "submission inet n - y - - smtpd\n"
        "  -o smtpd_client_restrictions=permit_sasl_authenticated,reject\n");
    const ordered_json& m = j["hosts"][0]["mta"];
    CHECK(m["mydestination"] == ordered_json::array({"mx.example.org", "example.org"}));
    CHECK(not_modelled(j, "mydestination", "hash:/etc/postfix/local_domains"));
    CHECK(m["relay_domains"] == ordered_json::array({{{"domain", "relay.example"},
                                                      {"recipient_check", "list"},
                                                      {"next_hop", "inside.example"}}}));
    CHECK(not_modelled(j, "relay_recipient_maps", "hash:/etc/postfix/relay_recipients"));
    CHECK(m["smtpd_relay_restrictions"] == "reject_unauth_destination");
    CHECK(m["check_spf"] == true);
    CHECK(m["greylist"] == ordered_json::object());
    CHECK(not_modelled(j, "smtpd_recipient_restrictions", "reject_rbl_client zen.spamhaus.org"));
    // Durations keep Postfix's units: days for the lifetimes, seconds for the delays.
    CHECK(m["maximal_queue_lifetime"] == "2d");
    CHECK(m["bounce_queue_lifetime"] == "1d");
    CHECK(m["queue_run_delay"] == "60s");
    CHECK(m["delay_warning_time"] == "4h");
    CHECK(m["notify_classes"] == ordered_json::array({"bounce", "2bounce", "resource"}));
    CHECK(m["soft_bounce"] == true);
    CHECK(m["default_destination_concurrency_limit"] == 10);
    CHECK(m["default_process_limit"] == 30);  // master.cf's smtp maxproc wins
    CHECK(m["2bounce_notice_recipient"] == "abuse@example.org");
    CHECK(not_modelled(j, "smtp/unix -o smtp_helo_timeout", "5s"));
    CHECK(not_modelled(j, "submission/inet -o smtpd_client_restrictions",
                       "permit_sasl_authenticated,reject"));
}

TEST_CASE("an imported host drops into a scenario unchanged", "[import][postfix]") {
    ordered_json host = import_text(
        "myhostname = mx.example.org\n"
        "mydestination = example.org\n"
        "maximal_queue_lifetime = 2\n"
        "soft_bounce = yes\n")["hosts"][0];
    const ordered_json scenario = {
        {"name", "imported"},
        {"hosts", ordered_json::array({host})},
        {"domains",
         ordered_json::array(
             {{{"name", "example.org"},
               {"mailboxes", ordered_json::array({"joe"})},
               {"mx", ordered_json::array({{{"preference", 10}, {"host", "mx.example.org"}}})}}})}};
    const model::Scenario s = format::parse_scenario(scenario.dump(), "imported.json").scenario;
    REQUIRE(s.hosts[0].mta);
    const model::MtaSpec& m = *s.hosts[0].mta;
    CHECK(m.local_domains == std::vector<std::string>{"example.org"});
    CHECK(m.postfix.maximal_queue_lifetime == 2 * sim::kDay);
    CHECK(m.soft_bounce);
    CHECK(m.reject_unlisted_recipient);
}

TEST_CASE("mynetworks lets the scenario's hosts in those networks relay", "[import][postfix]") {
    const ordered_json host = import_text(
        "myhostname = mx.example.org\n"
        "mydestination = example.org\n"
        "mynetworks = 192.0.2.0/24, [2001:db8::]/32\n")["hosts"][0];
    const ordered_json scenario = {
        {"name", "networks"},
        {"hosts", ordered_json::array({host,
                                       {{"name", "inside.example"}, {"address", "192.0.2.7"}},
                                       {{"name", "six.example"}, {"address", "2001:db8::7"}},
                                       {{"name", "outside.example"}, {"address", "198.51.100.7"}},
                                       {{"name", "unaddressed.example"}}})},
        {"domains",
         ordered_json::array(
             {{{"name", "example.org"},
               {"mailboxes", ordered_json::array({"joe"})},
               {"mx", ordered_json::array({{{"preference", 10}, {"host", "mx.example.org"}}})}}})}};
    const model::Scenario s = format::parse_scenario(scenario.dump(), "n.json").scenario;
    std::vector<std::string> clients = s.hosts[0].mta->relay_clients;
    std::sort(clients.begin(), clients.end());
    CHECK(clients == std::vector<std::string>{"inside.example", "six.example"});
    const std::string bad = R"({"name": "t", "hosts": [{"name": "mx.a.example", "mta":
        {"mydestination": ["a.example"], "mynetworks": ["192.0.2.0/33"]}}], "domains": [{"name":
        "a.example", "mailboxes": ["u"], "mx": [{"preference": 10, "host": "mx.a.example"}]}]})";
    CHECK_THAT(testing::loader_error(bad),
               Catch::Contains("/hosts/0/mta/mynetworks/0") && Catch::Contains("a network like"));
}

TEST_CASE("a restriction order mxsim does not follow is said", "[import][postfix]") {
    const ordered_json j = import_text(
        "myhostname = mx.example.org\n"
        "smtpd_recipient_restrictions = check_policy_service inet:127.0.0.1:10023,\n"
        "    reject_unlisted_recipient, reject_unauth_destination\n");
    REQUIRE(j["warnings"].size() == 1);
    CHECK_THAT(j["warnings"][0].get<std::string>(),
               Catch::Contains("lists reject_unlisted_recipient after check_policy_service"));
    CHECK(import_text(
              "compatibility_level = 3.6\nmyhostname = m.example\nsmtpd_recipient_restrictions = "
              "reject_unlisted_recipient, check_policy_service inet:127.0.0.1:10023\n")["warnings"]
              .empty());
}

TEST_CASE("Postfix names and mxsim names of one parameter are not both given",
          "[import][postfix]") {
    const std::string base = R"({"name": "t", "hosts": [{"name": "mx.a.example", "mta": {)";
    const std::string tail = R"(}}], "domains": [{"name": "a.example", "mailboxes": ["u"],
        "mx": [{"preference": 10, "host": "mx.a.example"}]}]})";
    CHECK_THAT(
        testing::loader_error(
            base + R"("local_domains": ["a.example"], "mydestination": ["a.example"])" + tail),
        Catch::Contains("/hosts/0/mta/mydestination") &&
            Catch::Contains("they are the same parameter"));
    CHECK_THAT(testing::loader_error(base +
                                     R"("mydestination": ["a.example"], "queue_run_delay": "60s",
                                        "queue": {"minimal_backoff_time": "60s"})" +
                                     tail),
               Catch::Contains("also given under \"queue\""));
    CHECK_THAT(testing::loader_error(base +
                                     R"("flavor": "exim", "mydestination": ["a.example"],
                                        "maximal_queue_lifetime": "1d")" +
                                     tail),
               Catch::Contains("a Postfix parameter"));
}
