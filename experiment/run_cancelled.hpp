// run_cancelled.hpp - the exception that stops a run its user cancelled (the GUI's
// Cancel, SIGINT or SIGTERM in `mxsim run`). Offers RunCancelled.
#pragma once

#include <stdexcept>

namespace mxsim::experiment {

class RunCancelled : public std::runtime_error {
  public:
    RunCancelled() : std::runtime_error("run cancelled") {}
};

}  // namespace mxsim::experiment
