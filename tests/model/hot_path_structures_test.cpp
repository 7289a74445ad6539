// hot_path_structures_test.cpp - name interning, host lists and expiring maps.
#include <catch2/catch.hpp>

#include "model/expiring_map.hpp"
#include "model/host_list.hpp"
#include "model/name_table.hpp"

using mxsim::model::HostList;
using mxsim::model::NameTable;

TEST_CASE("names intern to dense ids and read back", "[model][names]") {
    NameTable t;
    const auto a = t.id_of("alice");
    CHECK(t.id_of("bob") == a + 1);
    CHECK(t.id_of("alice") == a);
    CHECK(t.name(a) == "alice");
    CHECK(t.find("carol") == std::nullopt);
    CHECK(t.size() == 2);
}

TEST_CASE("numbered local parts get computed ids and take no table space", "[model][names]") {
    NameTable t;
    const auto guess = t.id_of("x123456");
    CHECK(guess == NameTable::numbered_id(123456));
    CHECK(t.name(guess) == "x123456");
    CHECK(t.find("x123456") == guess);  // a mailbox named so is the same address
    CHECK(t.name(NameTable::numbered_id(0)) == "x0");
    CHECK(t.size() == 0);
    // Not numbers in canonical form: ordinary names.
    for (const char* plain : {"x", "x01", "xray", "x12a", "y12", "x12345678901"}) {
        INFO(plain);
        CHECK(t.id_of(plain) < NameTable::kNumberedBase);
        CHECK(t.name(t.id_of(plain)) == plain);
    }
}

TEST_CASE("a host list holds smtp_mx_address_limit hosts and no more", "[model][route]") {
    HostList l;
    for (mxsim::model::HostIndex h = 0; h < HostList::kCapacity; ++h)
        l.push_back(10 + h);
    CHECK(l.size() == 5);
    CHECK(l.front() == 10);
    CHECK(l.back() == 14);
    CHECK_THROWS_AS(l.push_back(99), std::logic_error);
    l.assign_one(7);
    CHECK((l.size() == 1 && l[0] == 7));
}

TEST_CASE("an expiring map answers until expiry and forgets expired entries as it grows",
          "[model][dns]") {
    mxsim::model::ExpiringMap<int> m;
    CHECK(m.find(1, 0) == nullptr);
    m.put(1, 10, 100, 0);
    m.put(2, 20, 50, 0);
    REQUIRE(m.find(1, 99) != nullptr);
    CHECK(*m.find(1, 99) == 10);
    CHECK(m.find(1, 100) == nullptr);  // expired at its expiry time
    CHECK(*m.find(2, 49) == 20);
    m.put(2, 21, 500, 60);  // replaced, not added
    CHECK(*m.find(2, 499) == 21);
    CHECK(m.size() == 2);
    // Thousands of short-lived entries: the table keeps only the live ones.
    for (mxsim::model::NameId k = 100; k < 10100; ++k)
        m.put(k, static_cast<int>(k), 1000 + k, 1000 + k - 10);
    CHECK(m.size() < 200);
    CHECK(*m.find(10099, 10000) == 10099);
    CHECK(m.find(100, 10000) == nullptr);
    for (mxsim::model::NameId k = 10090; k < 10100; ++k)
        CHECK((m.find(k, 1000 + 10095) != nullptr) == (k > 10095));
}
