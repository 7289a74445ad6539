// random_stream_test.cpp - named streams: reproducible, independent, documented.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "sim/random_stream.hpp"

using namespace mxsim::sim;

namespace {

std::vector<std::uint64_t> draws(RandomStream& s, int n) {
    std::vector<std::uint64_t> out;
    for (int i = 0; i < n; ++i)
        out.push_back(s.uniform_int(0, UINT64_MAX));
    return out;
}

}  // namespace

// SplitMix64's finaliser, written out again from docs/random-streams.md.
static std::uint64_t documented_mix(std::uint64_t z) {
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

TEST_CASE("seeds are derived exactly as documented", "[sim][random]") {
    CHECK(documented_mix(0) == 0xe220a8397b1dcdafULL);  // SplitMix64's first output for state 0
    CHECK(stable_hash("") == 0xcbf29ce484222325ULL);    // FNV-1a reference values
    CHECK(stable_hash("a") == 0xaf63dc4c8601ec8cULL);
    for (const std::uint64_t seed : {0ULL, 1ULL, 20021203ULL})
        for (const char* key : {"", "flood.worm", "legit.users"})
            for (const std::uint64_t rep : {0ULL, 1ULL, 99ULL})
                CHECK(
                    stream_seed(seed, key, rep) ==
                    documented_mix(documented_mix(documented_mix(seed) ^ stable_hash(key)) ^ rep));
}

TEST_CASE("the engine is the standard mt19937_64", "[sim][random]") {
    // C++ [rand.predef]: the 10000th output of a default-constructed mt19937_64.
    RandomStream::Engine e(5489u);
    e.discard(9999);
    CHECK(e() == 9981545732273789042ULL);
}

TEST_CASE("the same key, seed and replication give the same draws", "[sim][random]") {
    RandomStream a(42, "flood.worm", 3);
    RandomStream b(42, "flood.worm", 3);
    CHECK(draws(a, 1000) == draws(b, 1000));
}

TEST_CASE("seed, key and replication each change the stream", "[sim][random]") {
    RandomStream base(42, "flood.worm", 3);
    RandomStream other_seed(43, "flood.worm", 3);
    RandomStream other_key(42, "flood.spam", 3);
    RandomStream other_rep(42, "flood.worm", 4);
    const auto d = draws(base, 100);
    CHECK(d != draws(other_seed, 100));
    CHECK(d != draws(other_key, 100));
    CHECK(d != draws(other_rep, 100));
}

TEST_CASE("adding a stream does not shift the draws of the others", "[sim][random]") {
    RandomStream alone(7, "legit.users", 0);
    const auto expected = draws(alone, 200);

    RandomStream first(7, "new.source", 0);  // made before, and drawn from in between
    RandomStream again(7, "legit.users", 0);
    std::vector<std::uint64_t> got;
    for (int i = 0; i < 200; ++i) {
        first.uniform01();
        got.push_back(again.uniform_int(0, UINT64_MAX));
    }
    CHECK(got == expected);
}

TEST_CASE("streams of neighbouring keys are uncorrelated", "[sim][random]") {
    RandomStream a(1, "mta.1", 0);
    RandomStream b(1, "mta.2", 0);
    const int n = 100'000;
    double sa = 0, sb = 0, sab = 0, saa = 0, sbb = 0;
    for (int i = 0; i < n; ++i) {
        const double x = a.uniform01(), y = b.uniform01();
        sa += x, sb += y, sab += x * y, saa += x * x, sbb += y * y;
    }
    const double cov = sab / n - (sa / n) * (sb / n);
    const double r = cov / std::sqrt((saa / n - sa * sa / n / n) * (sbb / n - sb * sb / n / n));
    CHECK(std::abs(r) < 0.015);  // 4.7 standard errors for n = 1e5
    CHECK(sa / n == Approx(0.5).margin(0.005));
}

TEST_CASE("distributions have the right moments and reject bad parameters", "[sim][random]") {
    RandomStream s(9, "test.moments", 0);
    const int n = 200'000;
    double sum = 0;
    int heads = 0;
    for (int i = 0; i < n; ++i) {
        sum += s.exponential(4.0);
        heads += s.bernoulli(0.25);
        const auto k = s.uniform_int(3, 5);
        REQUIRE(k >= 3);
        REQUIRE(k <= 5);
    }
    CHECK(sum / n == Approx(4.0).epsilon(0.02));
    CHECK(heads / double(n) == Approx(0.25).epsilon(0.02));
    CHECK(s.exponential_time(kSecond) >= 0);
    CHECK_THROWS_AS(s.exponential(0), std::invalid_argument);
    CHECK_THROWS_AS(s.bernoulli(1.5), std::invalid_argument);
    CHECK_THROWS_AS(s.uniform_int(5, 3), std::invalid_argument);
}
