// receiving_flavors_test.cpp - what an Exim or Sendmail MX answers with its
// shipped default configuration, check by check, as a Postfix client sees it.
// Expected texts: Exim 4.96 configure.default acl_check_rcpt and smtp_in.c,
// daemon.c, deliver.c; Sendmail 8.17 generic-linux.mc through proto.m4,
// recipient.c, srvrsmtp.c, deliver.c (docs/architecture.md, the table).
#include <catch2/catch.hpp>

#include <string>

#include "model/world.hpp"
#include "scenario_builder.hpp"

using namespace mxsim;
using namespace mxsim::testing;

namespace {

// mx.sender.example (Postfix) sends to mx1.dest.example, of `flavor`, which is
// the final MX of dest.example and also the MX of other.example (not its own).
Scenario towards(MtaFlavor flavor) {
    Scenario s = sender_and_dest(false);
    s.duration = sim::kHour;
    s.hosts[1].mta->flavor = flavor;
    add_domain(s, "other.example", {{10, "mx1.dest.example"}}, {"x"});
    return s;
}

// The first step of message `m` at `stage` that the server answered.
TraceRecord answer(const Scenario& s, const std::string& from, const std::string& to,
                   const std::string& stage = "rcpt") {
    Scenario copy = s;
    add_message(copy, 0, from, to, "mx.sender.example");
    World w(copy, {1, 0, true});
    w.run();
    for (const TraceRecord& t : w.trace())
        if (t.msg == 0 && t.stage == stage && t.code != 0) return t;
    FAIL("no " << stage << " step");
    return {};
}

std::string said(const std::string& reply, const std::string& command = "RCPT TO") {
    return "host mx1.dest.example[10.0.0.2] said: " + reply + " (in reply to " + command +
           " command)";
}

// What the Postfix client recorded about the failure (the queue step's reason).
std::string client_reason(const Scenario& s, const std::string& from, const std::string& to) {
    Scenario copy = s;
    add_message(copy, 0, from, to, "mx.sender.example");
    World w(copy, {1, 0, true});
    w.run();
    for (const TraceRecord& t : w.trace())
        if (t.msg == 0 && t.stage == "queue" && (t.action == "bounced" || t.action == "deferred"))
            return t.reason;
    return {};
}

}  // namespace

TEST_CASE("Exim's default ACL: 250 Accepted, relay not permitted, Unrouteable address",
          "[model][exim][smtpd]") {
    const Scenario s = towards(MtaFlavor::Exim);
    const TraceRecord ok = answer(s, "alice@sender.example", "bob@dest.example");
    CHECK(ok.code == 250);
    CHECK(ok.reason == "Accepted");
    CHECK(ok.enhanced.empty());  // Exim sends no enhanced codes of its own

    const TraceRecord relay = answer(s, "alice@sender.example", "x@other.example");
    CHECK(relay.code == 550);
    CHECK(relay.reason == "relay not permitted");
    // smtp_chat.c: Postfix fills in 5.0.0 for a reply without an enhanced code.
    CHECK(client_reason(s, "alice@sender.example", "x@other.example") ==
          said("550 relay not permitted"));

    const TraceRecord unknown = answer(s, "alice@sender.example", "nobody@dest.example");
    CHECK(unknown.code == 550);
    CHECK(unknown.reason == "Unrouteable address");
}

TEST_CASE(
    "Exim's require verify = sender: an unroutable sender domain fails at RCPT, "
    "postmaster is accepted first",
    "[model][exim][smtpd]") {
    const Scenario s = towards(MtaFlavor::Exim);
    CHECK(client_reason(s, "ghost@nowhere.example", "bob@dest.example") ==
          said("550-Verification failed for <ghost@nowhere.example> 550-Unrouteable address "
               "550 Sender verify failed"));
    CHECK(answer(s, "ghost@nowhere.example", "postmaster@dest.example").code == 250);
    // A local sender must exist too (Exim routes it like any address).
    CHECK(answer(s, "nobody@dest.example", "bob@dest.example").code == 550);
    // <> is never verified: bounces are accepted.
    CHECK(answer(s, "<>", "bob@dest.example").code == 250);

    Scenario servfail = s;
    servfail.domains[0].servfail.push_back({0, sim::kHour});  // sender.example's zone
    const TraceRecord later = answer(servfail, "alice@sender.example", "bob@dest.example");
    CHECK(later.code == 451);
    CHECK(later.reason == "Temporary local problem - please try later");
}

TEST_CASE("Sendmail's default rulesets: Recipient ok, Relaying denied, User unknown",
          "[model][sendmail][smtpd]") {
    const Scenario s = towards(MtaFlavor::Sendmail);
    const TraceRecord ok = answer(s, "alice@sender.example", "bob@dest.example");
    CHECK(ok.code == 250);
    CHECK(ok.enhanced == "2.1.5");
    CHECK(ok.reason == "<bob@dest.example>... Recipient ok");

    CHECK(client_reason(s, "alice@sender.example", "x@other.example") ==
          said("550 5.7.1 <x@other.example>... Relaying denied"));
    const TraceRecord unknown = answer(s, "alice@sender.example", "nobody@dest.example");
    CHECK(unknown.code == 550);
    CHECK(unknown.enhanced == "5.1.1");
    CHECK(unknown.reason == "<nobody@dest.example>... User unknown");
    // A sender of the server's own domain ($=w) passes check_mail; what the
    // server refuses then is refused at RCPT TO.
    CHECK(client_reason(s, "bob@dest.example", "nobody@dest.example") ==
          said("550 5.1.1 <nobody@dest.example>... User unknown"));
}

TEST_CASE("Sendmail's check_mail refuses a sender domain that does not resolve, at MAIL FROM",
          "[model][sendmail][smtpd]") {
    const Scenario s = towards(MtaFlavor::Sendmail);
    const TraceRecord mail = answer(s, "ghost@nowhere.example", "bob@dest.example", "mail");
    CHECK(mail.code == 553);
    CHECK(mail.enhanced == "5.1.8");
    CHECK(mail.reason ==
          "<ghost@nowhere.example>... Domain of sender address ghost@nowhere.example does not "
          "exist");
    CHECK(client_reason(s, "ghost@nowhere.example", "bob@dest.example") ==
          said("553 5.1.8 <ghost@nowhere.example>... Domain of sender address "
               "ghost@nowhere.example does not exist",
               "MAIL FROM"));

    Scenario servfail = s;
    servfail.domains[0].servfail.push_back({0, sim::kHour});
    const TraceRecord later = answer(servfail, "alice@sender.example", "bob@dest.example", "mail");
    CHECK(later.code == 451);
    CHECK(later.reason == "Domain of sender address alice@sender.example does not resolve");
}

TEST_CASE("a backup MX of Exim or Sendmail accepts any recipient of its relay domains",
          "[model][exim][sendmail][smtpd]") {
    for (const MtaFlavor flavor : {MtaFlavor::Exim, MtaFlavor::Sendmail}) {
        Scenario s = sender_and_dest(true);  // backup.isp.example relays dest.example
        s.duration = sim::kHour;
        s.hosts[2].mta->flavor = flavor;
        s.hosts[1].outages.push_back({{0, sim::kDay}, OutageMode::Refuse});
        add_message(s, 0, "alice@sender.example", "nobody@dest.example", "mx.sender.example");
        World w(s, {1, 0, true});
        w.run();
        bool accepted = false;
        for (const TraceRecord& t : w.trace())
            accepted |=
                t.msg == 0 && t.stage == "rcpt" && t.to == "backup.isp.example" && t.code == 250;
        CHECK(accepted);
    }
}

TEST_CASE("a busy Exim greets with 421, and a busy Sendmail stops listening",
          "[model][exim][sendmail][smtpd]") {
    for (const MtaFlavor flavor : {MtaFlavor::Exim, MtaFlavor::Sendmail}) {
        Scenario s = towards(flavor);
        s.hosts[1].mta->inbound_session_limit = 1;
        for (int i = 0; i < 2; ++i)
            add_message(s, 0, "alice@sender.example", "bob@dest.example", "mx.sender.example");
        World w(s, {1, 0, true});
        w.run();
        std::string refused;
        for (const TraceRecord& t : w.trace())
            if (t.stage == "connect" && t.action == "deferred") refused = t.reason;
        CHECK(refused == (flavor == MtaFlavor::Exim
                              ? "host mx1.dest.example[10.0.0.2] refused to talk to me: 421 Too "
                                "many concurrent SMTP connections; please try again later."
                              : "connect to mx1.dest.example[10.0.0.2]:25: Connection refused"));
    }
}

TEST_CASE("Exim and Sendmail accept a looping message and fail it at delivery",
          "[model][exim][sendmail]") {
    for (const MtaFlavor flavor : {MtaFlavor::Exim, MtaFlavor::Sendmail}) {
        Scenario s = towards(flavor);
        s.hosts[1].mta->hopcount_limit = 1;  // our own Received: header makes two
        add_message(s, 0, "alice@sender.example", "bob@dest.example", "mx.sender.example");
        World w(s, {1, 0, true});
        const RunResults r = w.run();
        CHECK(count(r, Origin::Legit, Fate::Bounced) == 1);
        std::string why;
        for (const TraceRecord& t : w.trace())
            if (t.msg == 0 && t.action == "bounced") why = t.enhanced + " " + t.reason;
        CHECK(why == (flavor == MtaFlavor::Exim
                          ? "5.0.0 Too many \"Received\" headers - suspected mail loop"
                          : "5.4.6 Too many hops"));
    }
}
