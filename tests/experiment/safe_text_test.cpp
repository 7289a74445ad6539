// safe_text_test.cpp - scenario text made safe for paths and terminals (issue 12).
#include <catch2/catch.hpp>

#include "experiment/safe_text.hpp"

using mxsim::experiment::path_component;
using mxsim::experiment::printable;

TEST_CASE("a scenario name becomes one safe path component", "[experiment][safety]") {
    CHECK(path_component("klez-flood") == "klez-flood");
    CHECK(path_component("../../x") == ".._.._x");  // no separator left: one component
    CHECK(path_component("..") == "_..");
    CHECK(path_component(".") == "_.");
    CHECK(path_component("") == "_");
    CHECK(path_component("a b/c\\d\n") == "a_b_c_d_");
    CHECK(path_component(std::string(300, 'a')).size() == 100);
}

TEST_CASE("text reaches the terminal with its control characters escaped", "[experiment][safety]") {
    CHECK(printable("plain text, ±") == "plain text, ±");
    CHECK(printable("a\nb\tc") == "a\\nb\\tc");
    CHECK(printable("\x1b[2Jgone") == "\\x1b[2Jgone");
    CHECK(printable(std::string("nul\0x", 5)) == "nul\\x00x");
}
