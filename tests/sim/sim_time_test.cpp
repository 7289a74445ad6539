// sim_time_test.cpp - duration parsing and formatting, including bad input.
#include <catch2/catch.hpp>

#include "sim/sim_time.hpp"

using namespace mxsim::sim;

TEST_CASE("durations parse in every unit and in combinations", "[sim][time]") {
    CHECK(parse_duration("300s") == 300 * kSecond);
    CHECK(parse_duration("15m") == 15 * kMinute);
    CHECK(parse_duration("4h") == 4 * kHour);
    CHECK(parse_duration("5d") == 5 * kDay);
    CHECK(parse_duration("2w") == 14 * kDay);
    CHECK(parse_duration("1d12h") == 36 * kHour);
    CHECK(parse_duration("250ms") == 250'000);
    CHECK(parse_duration("7us") == 7);
    CHECK(parse_duration("1h30m15s") == kHour + 30 * kMinute + 15 * kSecond);
    CHECK(parse_duration("0s") == 0);
}

TEST_CASE("a bare number takes the default unit only when one is given", "[sim][time]") {
    CHECK(parse_duration("5", kDay) == 5 * kDay);            // maximal_queue_lifetime = 5
    CHECK(parse_duration("300", kSecond) == 300 * kSecond);  // queue_run_delay = 300
    CHECK_THROWS_AS(parse_duration("300"), DurationError);
    CHECK_THROWS_AS(parse_duration("1d5", kSecond), DurationError);  // only a lone number
}

TEST_CASE("bad durations are rejected with a message naming the string", "[sim][time]") {
    for (const char* bad :
         {"5x", "-3s", "", "s", "5 s", "1.5h", "3sm", "d1", "5S", "9223372036854775808us",
          "99999999999999999999s", "106751992d", "106751991d1d"}) {
        INFO(bad);
        CHECK_THROWS_AS(parse_duration(bad), DurationError);
        try {
            parse_duration(bad);
        } catch (const DurationError& e) {
            CHECK_THAT(e.what(), Catch::Contains("\"" + std::string(bad) + "\""));
        }
    }
    CHECK_THROWS_WITH(parse_duration("5x"), Catch::Contains("unknown unit 'x'"));
    CHECK_THROWS_WITH(parse_duration("-3s"), Catch::Contains("negative"));
    CHECK_THROWS_WITH(parse_duration(""), Catch::Contains("empty"));
    CHECK_THROWS_WITH(parse_duration("99999999999999999999s"), Catch::Contains("too large"));
}

TEST_CASE("the largest representable duration parses exactly", "[sim][time]") {
    CHECK(parse_duration("9223372036854775807us") == kTimeMax);
}

TEST_CASE("format_duration is the shortest exact form and parses back", "[sim][time]") {
    CHECK(format_duration(0) == "0s");
    CHECK(format_duration(36 * kHour) == "1d12h");
    CHECK(format_duration(1'500) == "1ms500us");
    CHECK(format_duration(-90 * kSecond) == "-1m30s");
    CHECK(format_duration(433200 * kSecond) == "5d20m");
    for (const SimTime t : {SimTime{1}, kSecond, 4000 * kSecond, 3 * kWeek + 7, kTimeMax})
        CHECK(parse_duration(format_duration(t)) == t);
}

TEST_CASE("whole_seconds rounds toward minus infinity", "[sim][time]") {
    CHECK(whole_seconds(1'999'999) == 1);
    CHECK(whole_seconds(2 * kSecond) == 2);
    CHECK(whole_seconds(-1) == -1);
    CHECK(whole_seconds(-kSecond) == -1);
}
