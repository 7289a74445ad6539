// call_command.hpp - calling an mxsim command as main() would, for the CLI tests:
// the words after its name in, the exit code and what it wrote out. Offers call()
// and fresh_path() (a path under the temporary folder, removed first).
#pragma once

#include <filesystem>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace mxsim::testing {

using Command = int (*)(const std::vector<std::string_view>&, std::ostream&, std::ostream&);

inline int call(Command command, const std::vector<std::string>& args, std::string& out,
                std::string& err) {
    std::vector<std::string_view> views(args.begin(), args.end());
    std::ostringstream o, e;
    const int rc = command(views, o, e);
    out = o.str();
    err = e.str();
    return rc;
}

// A file or folder of its own for one test; a SQLite file's -wal and -shm go too.
inline std::filesystem::path fresh_path(const std::string& name) {
    const std::filesystem::path p = std::filesystem::temp_directory_path() / ("mxsim-test-" + name);
    std::filesystem::remove_all(p);
    for (const char* tail : {"-wal", "-shm"})
        std::filesystem::remove(p.string() + tail);
    return p;
}

}  // namespace mxsim::testing
