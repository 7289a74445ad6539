// reply_schedule_test.cpp - scripted replies (MtaSpec::replies): a recorded
// incident replayed at the SMTP command, time and recipient it names, as a
// Postfix client (smtp_proto.c, smtp_trouble.c) reports it.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "model/world.hpp"
#include "scenario_builder.hpp"

using namespace mxsim;
using namespace mxsim::testing;

namespace {

ScheduledReply scripted(SmtpCommand command, int code, std::string enhanced, std::string text,
                        SimTime from = 0, SimTime to = sim::kTimeMax) {
    ScheduledReply r;
    r.command = command;
    r.code = code;
    r.enhanced = std::move(enhanced);
    r.text = std::move(text);
    r.window = {from, to};
    return r;
}

std::vector<std::string> queue_reasons(const World& w, MessageId m) {
    std::vector<std::string> out;
    for (const TraceRecord& t : w.trace())
        if (t.msg == m && t.stage == "queue" && t.action != "accepted") out.push_back(t.reason);
    return out;
}

}  // namespace

TEST_CASE("450 4.7.1 to every RCPT until 45 s, then the server accepts", "[model][replies]") {
    Scenario s = sender_and_dest(false);
    s.duration = sim::kHour;
    s.hosts[1].mta->replies.push_back(
        scripted(SmtpCommand::Rcpt, 450, "4.7.1", "try again later", 0, 45 * sim::kSecond));
    add_message(s, 0, "alice@sender.example", "bob@dest.example", "mx.sender.example");
    World w(s, {1, 0, true});
    w.run();
    CHECK(queue_reasons(w, 0) ==
          std::vector<std::string>{"host mx1.dest.example[10.0.0.2] said: 450 4.7.1 try again "
                                   "later (in reply to RCPT TO command)"});
    CHECK(w.messages()[0].fate == Fate::Delivered);
    // Postfix's first retry, at the 300 s scan (postfix-queue.md rule 3), is past the window.
    const auto delivered =
        std::find_if(w.trace().begin(), w.trace().end(),
                     [](const TraceRecord& t) { return t.msg == 0 && t.action == "delivered"; });
    REQUIRE(delivered != w.trace().end());
    CHECK(sim::whole_seconds(delivered->t) == 300);
}

TEST_CASE("a scripted reply can name its recipients", "[model][replies]") {
    Scenario s = sender_and_dest(false);
    s.duration = sim::kHour;
    s.domains[1].mailboxes = MailboxList(std::vector<std::string>{"bob", "joe"});
    ScheduledReply r = scripted(SmtpCommand::Rcpt, 550, "5.7.1", "mailbox disabled");
    r.recipients = {"joe@dest.example"};
    s.hosts[1].mta->replies.push_back(r);
    add_message(s, 0, "alice@sender.example", "bob@dest.example", "mx.sender.example");
    add_message(s, 0, "alice@sender.example", "joe@dest.example", "mx.sender.example");
    World w(s, {1, 0, true});
    const RunResults r2 = w.run();
    CHECK(w.messages()[0].fate == Fate::Delivered);
    CHECK(w.messages()[1].fate == Fate::Bounced);
    CHECK(count(r2, Origin::Ndr, Fate::Delivered) == 1);
}

TEST_CASE("a scripted 421 greeting is a site failure, and one at the end of DATA bounces",
          "[model][replies]") {
    Scenario s = sender_and_dest(false);
    s.duration = 10 * sim::kMinute;
    s.hosts[1].mta->replies.push_back(
        scripted(SmtpCommand::Connect, 421, "4.3.2", "Service shutting down", 0, sim::kMinute));
    for (int i = 0; i < 10; ++i)
        add_message(s, 0, "alice@sender.example", "bob@dest.example", "mx.sender.example");
    World w(s, {1, 0, true});
    w.run();
    int refused = 0, suspended = 0;
    for (const TraceRecord& t : w.trace()) {
        refused += t.stage == "connect" &&
                   t.reason ==
                       "host mx1.dest.example[10.0.0.2] refused to talk to me: 421 "
                       "4.3.2 Service shutting down";
        suspended += t.reason.rfind("delivery temporarily suspended", 0) == 0;
    }
    CHECK(refused == 5);  // qmgr: five failures make a failed pseudo-cohort: dead
    CHECK(suspended == 5);

    Scenario d = sender_and_dest(false);
    d.duration = sim::kHour;
    d.hosts[1].mta->replies.push_back(
        scripted(SmtpCommand::EndOfData, 554, "5.7.1", "Message rejected"));
    add_message(d, 0, "alice@sender.example", "bob@dest.example", "mx.sender.example");
    World wd(d, {1, 0, true});
    wd.run();
    CHECK(wd.messages()[0].fate == Fate::Bounced);
    CHECK(queue_reasons(wd, 0).front() ==
          "host mx1.dest.example[10.0.0.2] said: 554 5.7.1 Message rejected (in reply to end "
          "of DATA command)");
}

TEST_CASE("a scripted reply to MAIL FROM is reported as such", "[model][replies]") {
    Scenario s = sender_and_dest(false);
    s.duration = sim::kHour;
    s.hosts[1].mta->replies.push_back(scripted(SmtpCommand::Mail, 550, "", "go away"));
    add_message(s, 0, "alice@sender.example", "bob@dest.example", "mx.sender.example");
    World w(s, {1, 0, true});
    w.run();
    CHECK(queue_reasons(w, 0).front() ==
          "host mx1.dest.example[10.0.0.2] said: 550 go away (in reply to MAIL FROM command)");
    bool mail_stage = false;
    for (const TraceRecord& t : w.trace())
        mail_stage |= t.msg == 0 && t.stage == "mail" && t.code == 550;
    CHECK(mail_stage);
}
