// import_command_test.cpp - `mxsim import` as a user meets it: JSON on stdout,
// postconf -n on standard input, clear errors with exit 2.
#include <catch2/catch.hpp>

#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/import_command.hpp"

namespace {

const std::string kDir = std::string(MXSIM_SOURCE_DIR) + "/tests/importers/";

int import(const std::vector<std::string>& args, std::string& out, std::string& err,
           const std::string& input = "") {
    std::vector<std::string_view> views(args.begin(), args.end());
    std::istringstream in(input);
    std::ostringstream o, e;
    const int rc = mxsim::cli::import_command(views, in, o, e);
    out = o.str();
    err = e.str();
    return rc;
}

}  // namespace

TEST_CASE("mxsim import postfix prints the host as JSON", "[cli][import]") {
    std::string out, err;
    REQUIRE(import({"postfix", kDir + "debian-main.cf", "--master", kDir + "master.cf.dist"}, out,
                   err) == 0);
    const auto j = nlohmann::json::parse(out);
    CHECK(j["hosts"][0]["name"] == "mail.example.org");
    CHECK(j["not_modelled"].size() > 10);
}

TEST_CASE("mxsim import postfix - reads postconf -n from standard input", "[cli][import]") {
    std::string out, err;
    REQUIRE(import({"postfix", "-"}, out, err,
                   "compatibility_level = 3.6\nmyhostname = mx.example.com\n"
                   "mydestination = example.com\nsoft_bounce = yes\n") == 0);
    const auto j = nlohmann::json::parse(out);
    CHECK(j["hosts"][0]["mta"]["soft_bounce"] == true);
    CHECK(j["hosts"][0]["mta"]["mydestination"] == nlohmann::json::array({"example.com"}));
}

TEST_CASE("mxsim import zone prints domains and hosts", "[cli][import]") {
    std::string out, err;
    REQUIRE(import({"zone", kDir + "db.local", "--origin", "localhost."}, out, err) == 0);
    CHECK(nlohmann::json::parse(out)["domains"][0]["name"] == "localhost");
}

TEST_CASE("mxsim import: bad input is said with where, and exit 2", "[cli][import]") {
    std::string out, err;
    CHECK(import({"postfix", "/nonexistent/main.cf"}, out, err) == 2);
    CHECK_THAT(err, Catch::Contains("/nonexistent/main.cf: cannot be read"));
    CHECK(out.empty());
    CHECK(import({"postfix", "-"}, out, err, "ok = 1\n  \nthis is not a parameter\n") == 2);
    CHECK_THAT(err, Catch::Contains("-:3: expected name = value"));
    CHECK(import({"postfix", "-"}, out, err, std::string("a = b\0c\n", 8)) == 2);
    CHECK_THAT(err, Catch::Contains("NUL bytes"));
    CHECK(import({"zone", kDir + "debian-main.cf"}, out, err) == 2);
    CHECK_THAT(err, Catch::Contains("debian-main.cf:"));
    CHECK(import({}, out, err) == 2);  // which import?
    CHECK(import({"postfix", "--help"}, out, err) == 0);
    CHECK_THAT(out, Catch::Contains("MAIN.CF"));
}
