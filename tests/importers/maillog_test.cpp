// maillog_test.cpp - Postfix's log lines read into messages, recipients and
// attempts: syslog and ISO 8601 times, the daemons' own formats, refusals.
#include <catch2/catch.hpp>

#include "importers/maillog.hpp"
#include "importers/postfix_config.hpp"
#include "tests/test_support.hpp"

using namespace mxsim;

namespace {

const std::string kLog = std::string(MXSIM_SOURCE_DIR) + "/tests/importers/replay/maillog";

const importer::LoggedMessage& by_id(const importer::Maillog& log, const std::string& id) {
    for (const auto& m : log.messages)
        if (m.queue_id == id) return m;
    FAIL("no message " << id);
    throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("a syslog maillog: messages, recipients, attempts in order", "[import][maillog]") {
    const importer::Maillog log = importer::read_maillog(testing::read_file(kLog), "maillog");
    CHECK(log.host == "mail");
    CHECK(log.start_time == "Dec  1 10:00:00");
    CHECK(log.span == 900);
    REQUIRE(log.messages.size() == 4);  // three taken in, one NDR this host wrote
    const auto& carol = by_id(log, "4A1B2C3D4E");
    CHECK(carol.arrival == 0);
    CHECK(carol.from == "carol@client.example.net");
    CHECK(carol.size == 2048);
    CHECK(carol.client == "client.example.net[192.0.2.10]");
    const auto& bob = by_id(log, "5B2C3D4E5F");
    CHECK(bob.arrival == 5);
    CHECK(bob.from == "alice@example.org");  // qmgr's from=, not pickup's bare name
    REQUIRE(bob.recipients.size() == 1);
    const auto& attempts = bob.recipients[0].attempts;
    REQUIRE(attempts.size() == 2);
    CHECK(attempts[0].t == 5);
    CHECK(attempts[0].status == "deferred");
    CHECK(attempts[0].dsn == "4.4.1");
    CHECK(attempts[0].relay == "none");
    CHECK(attempts[0].text == "connect to mx.dest.example[198.51.100.25]:25: Connection refused");
    CHECK(attempts[1].t == 600);
    CHECK(attempts[1].status == "sent");
    CHECK(by_id(log, "7D4E5F6A7B").notice);  // "sender non-delivery notification"
    REQUIRE(log.rejections.size() == 1);
    const auto& r = log.rejections[0];
    CHECK(r.t == 780);
    CHECK(r.code == 550);
    CHECK(r.dsn == "5.1.1");
    CHECK(r.from == "carol@client.example.net");
    CHECK(r.to == "nobody@example.org");
    CHECK(r.client == "client.example.net[192.0.2.10]");
    CHECK(log.warnings.empty());  // anvil's "statistics:" is no queue id
}

TEST_CASE("maillog_file lines with ISO 8601 times, and a year that turns", "[import][maillog]") {
    const importer::Maillog iso = importer::read_maillog(
        "2026-12-01T10:00:00.250000+01:00 mx postfix/qmgr[7]: ABCDEF123: from=<a@b.example>, "
        "size=10, nrcpt=1 (queue active)\n"
        "2026-12-01T09:00:02.750000+00:00 mx postfix/smtp[8]: ABCDEF123: to=<c@d.example>, "
        "relay=mx.d.example[192.0.2.1]:25, delay=2.5, delays=0/0/1/1.5, dsn=2.0.0, status=sent "
        "(250 ok)\n",
        "maillog");
    REQUIRE(iso.messages.size() == 1);
    CHECK(iso.messages[0].recipients[0].attempts[0].t == Approx(2.5));
    const importer::Maillog turn = importer::read_maillog(
        "Dec 31 23:59:59 mx postfix/qmgr[7]: ABCDEF123: from=<a@b.example>, size=10, nrcpt=1 "
        "(queue active)\n"
        "Jan  1 00:00:01 mx postfix/qmgr[7]: ABCDEF123: from=<a@b.example>, status=expired, "
        "returned to sender\n",
        "maillog");
    CHECK(turn.span == 2);
}

TEST_CASE("qmgr's expiry ends every recipient still waiting", "[import][maillog]") {
    const importer::Maillog log = importer::read_maillog(
        "Dec  1 10:00:00 mx postfix/qmgr[7]: ABCDEF123: from=<a@b.example>, size=10, nrcpt=2 "
        "(queue active)\n"
        "Dec  1 10:00:01 mx postfix/smtp[8]: ABCDEF123: to=<c@d.example>, relay=none, "
        "delay=1, delays=0/0/1/0, dsn=4.4.1, status=deferred (connect to x: Connection refused)\n"
        "Dec  1 10:00:01 mx postfix/smtp[8]: ABCDEF123: to=<e@d.example>, orig_to=<f@d.example>, "
        "relay=mx.d.example[192.0.2.1]:25, delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent (ok)\n"
        "Dec  6 10:00:01 mx postfix/qmgr[7]: ABCDEF123: from=<a@b.example>, status=expired, "
        "returned to sender\n",
        "maillog");
    const auto& rs = log.messages.at(0).recipients;
    REQUIRE(rs.size() == 2);
    CHECK(rs[0].attempts.back().status == "expired");
    CHECK(rs[0].attempts.back().t == 5 * 86400 + 1);
    CHECK(rs[1].attempts.size() == 1);  // sent: not expired
}

TEST_CASE("a line that is not a log line is refused naming it", "[import][maillog]") {
    CHECK_THROWS_WITH(importer::read_maillog("Dec  1 10:00:00 mx postfix/qmgr[7]: X\n"
                                             "this is not syslog\n",
                                             "maillog"),
                      Catch::Contains("maillog:2: not a log line"));
    // A daemon's warning is no message.
    const importer::Maillog warned = importer::read_maillog(
        "Dec  1 10:00:00 mx postfix/smtpd[7]: warning: hostname x.example does not resolve to "
        "address 192.0.2.7\n"
        "Dec  1 10:00:01 mx postfix/smtp[8]: connect to mx.d.example[192.0.2.1]:25: "
        "Connection timed out\n"
        "Dec  1 10:00:02 mx postfix/qmgr[9]: 4YbCd5kXnPz8FGn: from=<a@b.example>, size=1, "
        "nrcpt=1 (queue active)\n"
        "Dec  1 10:00:02 mx postfix/smtp[8]: 4YbCd5kXnPz8FGn: to=<c@d.example>, relay=none, "
        "delay=0, delays=0/0/0/0, dsn=4.4.1, status=deferred (no route)\n",
        "maillog");
    CHECK(warned.warnings.empty());
    REQUIRE(warned.messages.size() == 1);  // a long queue id
    CHECK(warned.messages[0].queue_id == "4YbCd5kXnPz8FGn");
    // Another program's line is skipped.
    CHECK(importer::read_maillog("Dec  1 10:00:00 mx dovecot[7]: imap-login: Login\n", "maillog")
              .lines_used == 0);
}
