// accounting_test.cpp - the books checker itself: balanced books pass, and each
// way books can fail to balance is caught and named (the golden-results and
// every world test lean on it, so it must be able to say no).
#include <catch2/catch.hpp>

#include <vector>

#include "model/accounting.hpp"

using namespace mxsim::model;

namespace {

// Two hosts: a relay that took 3 messages and relayed 2, and an MX that took
// those 2 and delivered 1; one message sits at each.
struct Books {
    std::vector<Message> messages;
    std::vector<MtaFlows> flows{2};
    FateTable fates{};
    std::vector<std::string> names{"relay.example", "mx.example"};

    Books() {
        flows[0].submitted = 3;
        flows[0].relayed = 2;
        flows[0].queued = 1;
        flows[1].received = 2;
        flows[1].delivered = 1;
        flows[1].queued = 1;
        message(0, Fate::Queued);
        message(1, Fate::Queued);
        message(1, Fate::Delivered);
    }
    void message(HostIndex owner, Fate fate) {
        Message m;
        m.owner = owner;
        m.fate = fate;
        messages.push_back(m);
        ++fates[static_cast<std::size_t>(Origin::Legit)][static_cast<std::size_t>(fate)];
    }
    void check(bool every_message_kept = true) const {
        check_books(messages, flows, fates, names, every_message_kept);
    }
};

}  // namespace

TEST_CASE("balanced books pass the check", "[accounting]") {
    CHECK_NOTHROW(Books{}.check());
}

TEST_CASE("in != out + queued at a host is caught and names the host", "[accounting]") {
    Books b;
    b.flows[1].delivered = 2;  // one delivery too many
    CHECK_THROWS_WITH(b.check(), "books do not balance at mx.example: in 2 != out 2 + queued 1");
}

TEST_CASE("a queued count that differs from the messages held is caught", "[accounting]") {
    Books b;
    b.flows[0].queued = 2;  // in/out still balance ...
    b.flows[0].submitted = 4;
    CHECK_THROWS_WITH(b.check(),
                      "books do not balance at relay.example: 2 counted as queued, "
                      "but 1 messages held there");
}

TEST_CASE("a fate table that does not match the messages is caught", "[accounting]") {
    Books b;
    auto& legit = b.fates[static_cast<std::size_t>(Origin::Legit)];
    --legit[static_cast<std::size_t>(Fate::Delivered)];
    ++legit[static_cast<std::size_t>(Fate::Bounced)];
    CHECK_THROWS_AS(b.check(), AccountingError);
    // With reused slots the settled fates cannot be recounted, but the queued ones can.
    CHECK_NOTHROW(b.check(false));
    ++legit[static_cast<std::size_t>(Fate::Queued)];
    CHECK_THROWS_AS(b.check(false), AccountingError);
}
