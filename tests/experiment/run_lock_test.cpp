// run_lock_test.cpp - one run at a time per results folder; what a killed run left
// beside the folder is cleared (issue 12, point 4).
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "experiment/run_lock.hpp"

namespace fs = std::filesystem;
using mxsim::experiment::RunLock;

TEST_CASE("a second lock on a results folder is refused, naming the holder",
          "[experiment][safety]") {
    const fs::path base = fs::temp_directory_path() / "mxsim-lock-test";
    fs::remove_all(base);
    const std::string out = (base / "out").string();
    {
        const RunLock first(out);
        CHECK(fs::exists(base / ".out.lock"));
        std::string error;
        try {
            const RunLock second(out);
        } catch (const std::runtime_error& e) {
            error = e.what();
        }
        CHECK(error.find(out + ": another mxsim run (process " + std::to_string(::getpid()) +
                         ") is writing its results here") == 0);
        // Another folder beside it is free.
        const RunLock other((base / "other").string());
    }
    CHECK_FALSE(fs::exists(base / ".out.lock"));
    const RunLock again(out);  // free once the first is gone
    fs::remove_all(base);
}

TEST_CASE("temporary folders a killed run left are removed once the lock is held",
          "[experiment][safety]") {
    const fs::path base = fs::temp_directory_path() / "mxsim-lock-leftovers";
    fs::remove_all(base);
    fs::create_directories(base / ".out.Ab12Cd");
    fs::create_directories(base / ".out.Xy34Zw.old");
    fs::create_directories(base / ".outer.Ab12Cd");  // another folder's
    std::ofstream(base / ".out.notes") << "a user's file\n";
    {
        const RunLock lock((base / "out").string());
        CHECK_FALSE(fs::exists(base / ".out.Ab12Cd"));
        CHECK_FALSE(fs::exists(base / ".out.Xy34Zw.old"));
        CHECK(fs::exists(base / ".outer.Ab12Cd"));
        CHECK(fs::exists(base / ".out.notes"));  // a file, and not six characters
    }
    fs::remove_all(base);
}
