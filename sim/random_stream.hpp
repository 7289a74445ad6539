// random_stream.hpp - named, independent, reproducible random number streams.
// Offers stream_seed() (master seed, stable key, replication -> engine seed) and
// RandomStream: a Boost.Random engine with the draws the model needs.
// How seeds are derived, so anyone can reproduce a run: docs/random-streams.md.
#pragma once

#include <cstdint>
#include <string_view>

#include <boost/random/mersenne_twister.hpp>

#include "sim/sim_time.hpp"

namespace mxsim::sim {

// 64-bit FNV-1a of the key's bytes: stable across platforms and runs.
std::uint64_t stable_hash(std::string_view key);

// The seed of the stream `key` in replication `replication`:
//   s = mix(master_seed); s = mix(s ^ stable_hash(key)); s = mix(s ^ replication)
// with mix = SplitMix64's finaliser. It depends on nothing but its arguments,
// never on how many other streams exist or in what order they were made:
// adding a stream does not shift the draws of any other.
std::uint64_t stream_seed(std::uint64_t master_seed, std::string_view key,
                          std::uint64_t replication);

// One stream. Boost.Random's engines and distributions are used (not std::
// distributions, whose algorithms differ between standard libraries), so a
// seed gives the same draws on every platform with the same Boost.
class RandomStream {
  public:
    using Engine = boost::random::mt19937_64;

    RandomStream(std::uint64_t master_seed, std::string_view key, std::uint64_t replication)
        : engine_(stream_seed(master_seed, key, replication)) {}

    double uniform01();                                             // [0, 1)
    std::uint64_t uniform_int(std::uint64_t lo, std::uint64_t hi);  // [lo, hi]
    bool bernoulli(double p);
    double exponential(double mean);
    // An exponential delay with the given mean, rounded to whole microseconds.
    SimTime exponential_time(SimTime mean);

    Engine& engine() { return engine_; }

  private:
    Engine engine_;
};

}  // namespace mxsim::sim
