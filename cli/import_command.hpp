// import_command.hpp - `mxsim import postfix MAIN.CF [--master MASTER.CF]` and
// `mxsim import zone FILE [--origin NAME]`: another system's configuration as
// mxsim JSON on stdout (docs/import.md). Offers import_command().
#pragma once

#include <istream>
#include <ostream>
#include <string_view>
#include <vector>

namespace mxsim::cli {

// `in` is read for `postfix -` (postconf -n output on standard input).
int import_command(const std::vector<std::string_view>& args, std::istream& in, std::ostream& out,
                   std::ostream& err);

}  // namespace mxsim::cli
