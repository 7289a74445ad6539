// statistics_test.cpp - counters, time-weighted means, series, quantiles and
// replication summaries, against values computed by hand (and R/NumPy for quantiles).
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "sim/counter.hpp"
#include "sim/quantiles.hpp"
#include "sim/replication_summary.hpp"
#include "sim/time_series.hpp"
#include "sim/time_weighted.hpp"

using namespace mxsim::sim;

TEST_CASE("a counter counts", "[sim][stats]") {
    Counter c;
    c.add();
    c.add(41);
    CHECK(c.value() == 42);
}

TEST_CASE("time-weighted mean of a queue depth", "[sim][stats]") {
    TimeWeighted depth(0, 0);
    depth.set(10 * kSecond, 2);
    depth.set(20 * kSecond, 4);
    depth.add(40 * kSecond, -4);
    // (0*10 + 2*10 + 4*20 + 0*10) / 50
    CHECK(depth.mean(50 * kSecond) == Approx(2.0));
    CHECK(depth.mean(40 * kSecond) == Approx(2.5));
    CHECK(depth.max() == 4);
    CHECK(depth.level() == 0);
    CHECK_THROWS_AS(depth.set(39 * kSecond, 1), std::invalid_argument);
    CHECK(TimeWeighted(5, 7).mean(5) == 7);
}

TEST_CASE("a time series sums amounts per bin and keeps what falls after the end", "[sim][stats]") {
    TimeSeries s(kMinute, 150 * kSecond);  // bins [0,60) [60,120) [120,150)
    REQUIRE(s.bins().size() == 3);
    s.add(0);
    s.add(59 * kSecond + 999'999, 2);
    s.add(60 * kSecond);
    s.add(149 * kSecond, 5);
    s.add(150 * kSecond, 7);
    CHECK(s.bins() == std::vector<double>{3, 1, 5});
    CHECK(s.overflow() == 7);
    CHECK(s.bin_start(2) == 120 * kSecond);
    CHECK_THROWS_AS(s.add(-1), std::invalid_argument);
    CHECK_THROWS_AS(TimeSeries(0, kSecond), std::invalid_argument);
}

TEST_CASE("a level series gives each bin its time-weighted mean", "[sim][stats]") {
    LevelSeries q(10 * kSecond, 25 * kSecond);  // bins [0,10) [10,20) [20,25)
    q.set(5 * kSecond, 4);                      // 0 for 5 s, then 4
    q.set(12 * kSecond, 1);                     // 4 for 2 s of bin 1, then 1
    const std::vector<double> m = q.means(25 * kSecond);
    REQUIRE(m.size() == 3);
    CHECK(m[0] == Approx(2.0));  // (0*5 + 4*5) / 10
    CHECK(m[1] == Approx(1.6));  // (4*2 + 1*8) / 10
    CHECK(m[2] == Approx(1.0));  // level 1 over the 5 s the run covers
    CHECK_THROWS_AS(q.set(11 * kSecond, 0), std::invalid_argument);
}

TEST_CASE("quantiles use the type-7 estimator of R and NumPy", "[sim][stats]") {
    Quantiles q;
    for (const double x : {4.0, 1.0, 3.0, 2.0})
        q.add(x);
    // numpy.quantile([1,2,3,4], [0, .25, .5, .9, 1]) = 1, 1.75, 2.5, 3.7, 4
    CHECK(q.quantile(0) == 1);
    CHECK(q.quantile(0.25) == Approx(1.75));
    CHECK(q.quantile(0.5) == Approx(2.5));
    CHECK(q.quantile(0.9) == Approx(3.7));
    CHECK(q.quantile(1) == 4);
    q.add(10);  // adding after a query re-sorts
    CHECK(q.quantile(0.5) == 3);
    CHECK_THROWS_AS(q.quantile(1.5), std::invalid_argument);
    CHECK_THROWS_AS(Quantiles{}.quantile(0.5), std::logic_error);
    CHECK_THROWS_AS(q.add(std::nan("")), std::invalid_argument);
}

TEST_CASE("replication summary: mean and Student-t 95% interval", "[sim][stats]") {
    const std::vector<double> v{1, 2, 3, 4, 5};
    const Summary s = summarize(v);
    CHECK(s.n == 5);
    CHECK(s.mean == Approx(3.0));
    CHECK(s.stddev == Approx(1.5811388));
    // t(0.975, 4) = 2.7764451; 2.7764451 * 1.5811388 / sqrt(5)
    CHECK(s.half_width == Approx(1.9632432));
    CHECK(s.low() == Approx(3.0 - 1.9632432));
    const Summary one = summarize(std::vector<double>{7});
    CHECK_FALSE(one.has_interval());
    CHECK(std::isnan(one.half_width));
    CHECK_THROWS_AS(summarize(std::vector<double>{}), std::invalid_argument);
}

TEST_CASE("paired difference of two variants", "[sim][stats]") {
    const std::vector<double> baseline{1, 2, 3};
    const std::vector<double> variant{2, 4, 5};
    const Summary d = paired_difference(baseline, variant);
    // differences 1, 2, 2: mean 5/3, s = 0.5773503, t(0.975, 2) = 4.3026527
    CHECK(d.mean == Approx(5.0 / 3));
    CHECK(d.stddev == Approx(0.5773503));
    CHECK(d.half_width == Approx(4.3026527 * 0.5773503 / std::sqrt(3.0)));
    CHECK_THROWS_AS(paired_difference(baseline, std::vector<double>{1}), std::invalid_argument);
}
