// memory_budget_test.cpp - --max-memory sizes, and this machine's own limit.
#include <catch2/catch.hpp>

#include <unistd.h>

#include "experiment/memory_budget.hpp"

using mxsim::experiment::machine_memory_budget;
using mxsim::experiment::parse_memory_size;

TEST_CASE("memory sizes: plain bytes and K, M, G, T suffixes", "[experiment][estimate]") {
    CHECK(parse_memory_size("800000000") == 800'000'000u);
    CHECK(parse_memory_size("512M") == 512ull << 20);
    CHECK(parse_memory_size("2G") == 2ull << 30);
    CHECK(parse_memory_size("2g") == 2ull << 30);
    CHECK(parse_memory_size("1.5GiB") == 3ull << 29);
    CHECK(parse_memory_size("64KB") == 64ull << 10);
    CHECK(parse_memory_size("1T") == 1ull << 40);
    for (const char* bad : {"", "lots", "0", "-1G", "2X", "G", "1.2.3M", "99999999999T"})
        CHECK_FALSE(parse_memory_size(bad));
}

TEST_CASE("this machine's budget is at most its physical memory, and named",
          "[experiment][estimate]") {
    const auto budget = machine_memory_budget();
    const auto physical = static_cast<std::uint64_t>(sysconf(_SC_PHYS_PAGES)) *
                          static_cast<std::uint64_t>(sysconf(_SC_PAGE_SIZE));
    CHECK(budget.bytes > 0);
    CHECK(budget.bytes <= physical);
    CHECK(budget.source.find("this machine's limit of ") == 0);
}
