// random_stream.cpp - seed derivation and the draws of a RandomStream.
#include "sim/random_stream.hpp"

#include <cmath>
#include <stdexcept>

#include <boost/random/bernoulli_distribution.hpp>
#include <boost/random/exponential_distribution.hpp>
#include <boost/random/uniform_01.hpp>
#include <boost/random/uniform_int_distribution.hpp>

namespace mxsim::sim {
namespace {

// SplitMix64's output function (Steele, Lea & Flood 2014): a bijection that
// spreads every input bit over every output bit.
std::uint64_t mix(std::uint64_t z) {
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

}  // namespace

std::uint64_t stable_hash(std::string_view key) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (const char c : key) {
        h ^= static_cast<unsigned char>(c);
        h *= 0x100000001b3ULL;
    }
    return h;
}

std::uint64_t stream_seed(std::uint64_t master_seed, std::string_view key,
                          std::uint64_t replication) {
    std::uint64_t s = mix(master_seed);
    s = mix(s ^ stable_hash(key));
    return mix(s ^ replication);
}

double RandomStream::uniform01() {
    return boost::random::uniform_01<double>{}(engine_);
}

std::uint64_t RandomStream::uniform_int(std::uint64_t lo, std::uint64_t hi) {
    if (lo > hi) throw std::invalid_argument("uniform_int: empty range");
    return boost::random::uniform_int_distribution<std::uint64_t>{lo, hi}(engine_);
}

bool RandomStream::bernoulli(double p) {
    if (!(p >= 0 && p <= 1)) throw std::invalid_argument("bernoulli: p must be in [0, 1]");
    return boost::random::bernoulli_distribution<double>{p}(engine_);
}

double RandomStream::exponential(double mean) {
    if (!(mean > 0)) throw std::invalid_argument("exponential: mean must be positive");
    return boost::random::exponential_distribution<double>{1.0 / mean}(engine_);
}

SimTime RandomStream::exponential_time(SimTime mean) {
    return static_cast<SimTime>(std::llround(exponential(static_cast<double>(mean))));
}

}  // namespace mxsim::sim
