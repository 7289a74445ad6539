// name_table_test.cpp - interning, and the computed ids of numbered local parts.
#include <catch2/catch.hpp>

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
