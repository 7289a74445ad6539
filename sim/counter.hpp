// counter.hpp - a monotone event count (messages sent, NDRs generated, ...).
// Offers Counter: add() and value(); kept as a type so metrics say what they hold.
#pragma once

#include <cstdint>

namespace mxsim::sim {

class Counter {
  public:
    void add(std::uint64_t n = 1) { value_ += n; }
    std::uint64_t value() const { return value_; }

  private:
    std::uint64_t value_ = 0;
};

}  // namespace mxsim::sim
