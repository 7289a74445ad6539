// safe_text.hpp - scenario text on its way to the file system and the
// terminal: a name made one safe path component, and text with its control
// characters escaped (issue 12: "name": "../../x" or names holding escape
// sequences). Offers path_component() and printable().
#pragma once

#include <string>
#include <string_view>

namespace mxsim::experiment {

// `name` as one file name: letters, digits, '.', '-' and '_' are kept, any
// other byte becomes '_'; a name of dots only (".", "..") or an empty one
// becomes "_" plus it; at most 100 bytes.
std::string path_component(std::string_view name);

// `text` with control characters (and DEL) written as \n, \t or \xNN, so that
// it cannot move the cursor, clear the screen or fake another line.
std::string printable(std::string_view text);

}  // namespace mxsim::experiment
