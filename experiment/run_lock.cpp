// run_lock.cpp - flock(2) on a lock file that is unlinked while still locked, with the
// usual check that the locked file is still the one the name points at.
#include "experiment/run_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

namespace mxsim::experiment {
namespace {

namespace fs = std::filesystem;

// write_result_set's mkdtemp folders: ".<leaf>." and six characters, perhaps ".old".
bool is_left_over(const std::string& name, const std::string& leaf) {
    const std::string head = "." + leaf + ".";
    if (name.size() < head.size() + 6 || name.compare(0, head.size(), head) != 0) return false;
    const std::string tail = name.substr(head.size() + 6);
    return tail.empty() || tail == ".old";
}

void remove_left_overs(const fs::path& parent, const std::string& leaf) {
    std::error_code ec;
    for (const fs::directory_entry& e : fs::directory_iterator(parent, ec))
        if (is_left_over(e.path().filename().string(), leaf) && e.is_directory(ec) &&
            !e.is_symlink(ec))
            fs::remove_all(e.path(), ec);
}

}  // namespace

RunLock::RunLock(const std::string& dir) {
    const fs::path target = fs::path(dir).lexically_normal();
    const std::string leaf = target.filename().string();
    fs::path parent = target.parent_path();
    if (parent.empty()) parent = ".";
    std::error_code ec;
    fs::create_directories(parent, ec);
    path_ = (parent / ("." + leaf + ".lock")).string();
    for (;;) {
        fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (fd_ < 0)
            throw std::runtime_error(path_ +
                                     ": cannot create the lock file: " + std::strerror(errno));
        if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
            const int saved = errno;
            char pid[32] = {};
            (void)!::pread(fd_, pid, sizeof pid - 1, 0);
            ::close(fd_);
            fd_ = -1;
            if (saved == EWOULDBLOCK)
                throw std::runtime_error(dir + ": another mxsim run (process " + std::string(pid) +
                                         ") is writing its results here; wait for it to end "
                                         "or give another --out");
            throw std::runtime_error(path_ + ": cannot lock: " + std::strerror(saved));
        }
        // The holder before us may have unlinked the file after we opened it.
        struct stat by_fd {
        }, by_name{};
        if (::fstat(fd_, &by_fd) == 0 && ::stat(path_.c_str(), &by_name) == 0 &&
            by_fd.st_ino == by_name.st_ino && by_fd.st_dev == by_name.st_dev)
            break;
        ::close(fd_);
    }
    const std::string pid = std::to_string(::getpid());
    if (::ftruncate(fd_, 0) == 0) (void)!::pwrite(fd_, pid.data(), pid.size(), 0);
    remove_left_overs(parent, leaf);
}

RunLock::~RunLock() {
    ::unlink(path_.c_str());  // while still locked: no one else holds this file
    ::close(fd_);
}

}  // namespace mxsim::experiment
