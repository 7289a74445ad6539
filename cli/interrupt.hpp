// interrupt.hpp - SIGINT and SIGTERM turned into a cancel flag for `mxsim run`: the
// run stops at its next progress check, writes nothing, says so and exits 130. A
// second signal ends the process at once (the default action). Offers InterruptFlag.
#pragma once

#include <atomic>

namespace mxsim::cli {

// Installs the handlers while it lives (one at a time) and restores the old ones.
class InterruptFlag {
  public:
    InterruptFlag();
    ~InterruptFlag();
    InterruptFlag(const InterruptFlag&) = delete;
    InterruptFlag& operator=(const InterruptFlag&) = delete;

    const std::atomic<bool>& raised() const;
    int signal() const;  // the first signal caught, 0 if none
};

}  // namespace mxsim::cli
