// safe_files.cpp - exclusive, fsynced, atomically placed result files.
#include "experiment/safe_files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <set>
#include <stdexcept>

#include "experiment/run_cancelled.hpp"

namespace mxsim::experiment {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void fail(const fs::path& path, const std::string& what) {
    throw std::runtime_error(path.string() + ": " + what + ": " + std::strerror(errno));
}

// All of `content` to the open descriptor, then fsync and close.
void write_and_close(int fd, const fs::path& path, const std::string& content) {
    const char* p = content.data();
    std::size_t left = content.size();
    while (left > 0) {
        const ssize_t n = ::write(fd, p, left);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            const int saved = errno;
            ::close(fd);
            errno = saved;
            fail(path, "cannot write");
        }
        p += n;
        left -= static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0) {
        const int saved = errno;
        ::close(fd);
        errno = saved;
        fail(path, "cannot sync");
    }
    if (::close(fd) != 0) fail(path, "cannot close");
}

// A new file: O_EXCL and O_NOFOLLOW, so never an existing file or a symlink.
void write_new_file(const fs::path& path, const std::string& content) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0) fail(path, "cannot create");
    write_and_close(fd, path, content);
}

void sync_folder(const fs::path& dir) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) fail(dir, "cannot open folder");
    ::fsync(fd);  // a folder's fsync may fail on some file systems; the data is synced
    ::close(fd);
}

void make_folder(const fs::path& dir) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw std::runtime_error(dir.string() + ": cannot create folder: " + ec.message());
}

fs::path parent_of(const fs::path& dir) {
    const fs::path parent = fs::path(dir).lexically_normal().parent_path();
    return parent.empty() ? fs::path(".") : parent;
}

// The old folder is replaced whole, so it may hold only an earlier result
// set: `--out .` or `--out ~/Documents` must not wipe a user's files.
void refuse_foreign_files(const fs::path& target, const std::vector<NamedContent>& files) {
    static const std::set<std::string> kResultFiles{"summary.json", "timeseries.csv", "runs.csv",
                                                    "trace.jsonl"};
    // backscatter.dot, and one .dot (and .svg) per variant.
    const auto graph = [](const std::string& name) {
        return name.starts_with("backscatter") &&
               (name.ends_with(".dot") || name.ends_with(".svg"));
    };
    std::error_code ec;
    for (const fs::directory_entry& e : fs::directory_iterator(target, ec)) {
        const std::string name = e.path().filename().string();
        const bool ours = kResultFiles.contains(name) || graph(name) ||
                          std::any_of(files.begin(), files.end(),
                                      [&](const NamedContent& f) { return f.first == name; });
        if (!ours)
            throw std::runtime_error(target.string() + ": holds " + name +
                                     ", which is not a result file; results go into a folder "
                                     "of their own, replaced whole");
    }
    if (ec) throw std::runtime_error(target.string() + ": cannot list: " + ec.message());
}

// Where the file system cannot exchange two names (EINVAL: NFS, some FUSE),
// the old set is moved aside first; a reader may then briefly find no folder,
// but never a mixture. The old set is removed.
bool swap_in_two_steps(const fs::path& fresh, const fs::path& target) {
    const fs::path aside = fresh.string() + ".old";
    if (std::rename(target.c_str(), aside.c_str()) != 0) return false;
    if (std::rename(fresh.c_str(), target.c_str()) != 0) {
        const int saved = errno;
        std::rename(aside.c_str(), target.c_str());
        errno = saved;
        return false;
    }
    std::error_code ec;
    fs::remove_all(aside, ec);
    return true;
}

}  // namespace

void write_files_atomically(const std::string& dir, const std::vector<NamedContent>& files) {
    make_folder(dir);
    for (const auto& [name, content] : files) {
        std::error_code ec;
        const fs::path target = fs::path(dir) / name;
        const fs::file_status st = fs::symlink_status(target, ec);
        // A symlink is replaced, never followed; a device or a folder is refused.
        if (fs::exists(st) && !fs::is_regular_file(st) && !fs::is_symlink(st))
            throw std::runtime_error(target.string() +
                                     ": exists and is not a regular file (a device or a folder "
                                     "is not replaced)");
    }
    std::vector<fs::path> temps;
    const auto cleanup = [&temps] {
        for (const fs::path& p : temps)
            ::unlink(p.c_str());
    };
    try {
        for (const auto& [name, content] : files) {
            std::string pattern = (fs::path(dir) / ("." + name + ".XXXXXX")).string();
            const int fd = ::mkstemp(pattern.data());
            if (fd < 0) fail(fs::path(dir) / name, "cannot create a temporary file");
            temps.emplace_back(pattern);
            ::fchmod(fd, 0644);
            write_and_close(fd, fs::path(dir) / name, content);
        }
        for (std::size_t i = 0; i < files.size(); ++i) {
            const fs::path target = fs::path(dir) / files[i].first;
            if (std::rename(temps[i].c_str(), target.c_str()) != 0)
                fail(target, "cannot rename into place");
        }
    } catch (...) {
        cleanup();
        throw;
    }
    sync_folder(dir);
}

bool check_result_folder(const std::string& dir, const std::vector<NamedContent>& files) {
    const fs::path target = fs::path(dir).lexically_normal();
    const std::string leaf = target.filename().string();
    if (leaf.empty() || leaf == "." || leaf == "..")
        throw std::runtime_error(dir + ": results need a folder of their own, not . or ..");
    std::error_code ec;
    const fs::file_status old = fs::symlink_status(target, ec);
    const bool exists = fs::exists(old);
    if (fs::is_symlink(old))
        throw std::runtime_error(target.string() +
                                 ": exists and is not a folder (a symlink is not followed)");
    if (exists && !fs::is_directory(old))
        throw std::runtime_error(target.string() + ": exists and is not a folder");
    if (exists) refuse_foreign_files(target, files);
    return exists;
}

void write_result_set(const std::string& dir, const std::vector<NamedContent>& files,
                      const std::function<bool()>& cancelled) {
    const fs::path target = fs::path(dir).lexically_normal();
    const fs::path parent = parent_of(target);
    make_folder(parent);
    const bool exists = check_result_folder(dir, files);
    std::error_code ec;
    std::string pattern = (parent / ("." + target.filename().string() + ".XXXXXX")).string();
    if (::mkdtemp(pattern.data()) == nullptr) fail(target, "cannot create a temporary folder");
    const fs::path fresh(pattern);
    try {
        const auto check = [&] {
            if (cancelled && cancelled()) throw RunCancelled();
        };
        for (const auto& [name, content] : files) {
            check();
            write_new_file(fresh / name, content);
        }
        sync_folder(fresh);
        check();
        ::chmod(fresh.c_str(), 0755);
        // The old set and the new change places in one step; the old is then removed.
        const unsigned flags = exists ? RENAME_EXCHANGE : RENAME_NOREPLACE;
        if (::renameat2(AT_FDCWD, fresh.c_str(), AT_FDCWD, target.c_str(), flags) != 0 &&
            !(errno == EINVAL && exists && swap_in_two_steps(fresh, target)))
            fail(target, "cannot move the results into place");
    } catch (...) {
        fs::remove_all(fresh, ec);
        throw;
    }
    if (exists) fs::remove_all(fresh, ec);
    sync_folder(parent);
}

}  // namespace mxsim::experiment
