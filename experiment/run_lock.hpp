// run_lock.hpp - one run at a time per results folder: a second `mxsim run` into a
// folder another run will write is refused at its start, not left to race it at the
// end. Offers RunLock, an advisory lock (flock) on a hidden file beside the folder.
#pragma once

#include <string>

namespace mxsim::experiment {

class RunLock {
  public:
    // Locks `<parent>/.<folder>.lock`, removing it again at the end. Throws
    // std::runtime_error naming the folder and the process that holds it. Once
    // locked, temporary result folders that a killed run left beside the folder
    // (write_result_set's `.<folder>.XXXXXX`) are removed: no run can own them now.
    explicit RunLock(const std::string& dir);
    ~RunLock();
    RunLock(const RunLock&) = delete;
    RunLock& operator=(const RunLock&) = delete;

  private:
    std::string path_;
    int fd_ = -1;
};

}  // namespace mxsim::experiment
