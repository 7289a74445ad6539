// validate_command.hpp - `mxsim validate SCENARIO...`: check scenario files without
// running them. Offers validate_command().
#pragma once

#include <ostream>
#include <string_view>
#include <vector>

namespace mxsim::cli {

// Each file loaded as `mxsim run` would load it (templates, variants, sweeps, every
// scenario validated, the work estimated against this machine's memory); one line
// each on `out` ("FILE: ok, ...") or the error on `err`. Exit 0 when all are
// usable, 2 otherwise.
int validate_command(const std::vector<std::string_view>& args, std::ostream& out,
                     std::ostream& err);

}  // namespace mxsim::cli
