// console_table_test.cpp - terminal tables: widths from contents, alignment, numbers.
#include <catch2/catch.hpp>

#include <cmath>

#include "experiment/console_table.hpp"

using namespace mxsim::experiment;

TEST_CASE("a table's columns are as wide as their widest cell", "[experiment][table]") {
    ConsoleTable t({{"host", Align::Left}, {"queued"}, {"Δ"}});
    t.add_row({"mx.site0.example.with.a.long.name", "7", "+1.0 ± 0.5"});
    t.add_row({"mx", "12,345", "-2.0"});
    CHECK(t.render("") ==
          "host                               queued           Δ\n"
          "mx.site0.example.with.a.long.name       7  +1.0 ± 0.5\n"
          "mx                                 12,345        -2.0\n");
    // A header wider than its cells sets the width; missing cells are blank.
    ConsoleTable u({{"a", Align::Left}, {"a wide header"}});
    u.add_row({"x"});
    CHECK(u.render("  ") == "  a  a wide header\n  x\n");
}

TEST_CASE("display width counts characters, not bytes", "[experiment][table]") {
    CHECK(display_width("±") == 1);
    CHECK(display_width("Δ 550") == 5);
    CHECK(display_width("") == 0);
}

TEST_CASE("numbers are grouped by thousands whatever the locale", "[experiment][table]") {
    CHECK(count_text(0) == "0");
    CHECK(count_text(999) == "999");
    CHECK(count_text(1000) == "1,000");
    CHECK(count_text(1234567) == "1,234,567");
    CHECK(decimal_text(161814.26) == "161,814.3");
    CHECK(decimal_text(-1384.04) == "-1,384.0");
    CHECK(decimal_text(0.25) == "0.2");  // round half to even, as printf does
    CHECK(decimal_text(NAN) == "-");
    CHECK(difference_text(2296.5, 25.94) == "+2,296.5 ± 25.9");
    CHECK(difference_text(-0.04, NAN) == "-0.0");
    CHECK(difference_text(NAN, 1) == "-");
}
