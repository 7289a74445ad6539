// safe_files.hpp - writing results so that nothing is half-written or
// misdirected: new files only (never through a symlink or over an existing
// file), fsynced, moved into place whole (issue 12).
// Offers write_files_atomically() (files into a folder) and
// write_result_set() (a folder replaced as a whole).
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace mxsim::experiment {

using NamedContent = std::pair<std::string, std::string>;  // file name, content

// Each file into `dir` (created if missing), through a temporary file of its
// own (mkstemp), fsynced and renamed over the old one. Throws
// std::runtime_error naming the path and the system's reason; no temporary
// file is left behind.
void write_files_atomically(const std::string& dir, const std::vector<NamedContent>& files);

// The whole set as folder `dir`: written into a fresh private folder beside
// it (mkdtemp), fsynced, then exchanged with the old folder in one step
// (renameat2 RENAME_EXCHANGE), so no file of an earlier run survives (a
// trace.jsonl from a run with --trace) and a reader sees the old set or the
// new one. Refused: `.` or `..`, a `dir` that is not a folder (a symlink
// included), and one holding anything but result files. When `cancelled` says
// so (checked after each file), the fresh folder is removed and RunCancelled
// thrown: the old set stays as it was.
// Throws what write_result_set() would refuse `dir` for, before a run starts
// (`files`: the names it will write; their contents are not read). Returns
// whether the folder exists.
bool check_result_folder(const std::string& dir, const std::vector<NamedContent>& files);

void write_result_set(const std::string& dir, const std::vector<NamedContent>& files,
                      const std::function<bool()>& cancelled = {});

}  // namespace mxsim::experiment
