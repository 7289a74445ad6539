// run_test.cpp - running from the window: Cancel stops a long run within a second
// while the window keeps processing events, and keeps the previous results under a
// banner; a bad scenario or a bad value is explained, never a crash.
#include <QElapsedTimer>
#include <QFile>
#include <QLineEdit>
#include <QTemporaryDir>

#include "gui_test_support.hpp"

using namespace mxsim::gui;

namespace {

QString write(const QTemporaryDir& dir, const QString& name, const QByteArray& text) {
    const QString path = dir.filePath(name);
    QFile f(path);
    f.open(QIODevice::WriteOnly);
    f.write(text);
    return path;
}

// A flood that takes minutes to simulate: two months of a 500-PC worm against 20 bouncers.
const QByteArray kLongRun = R"({
  "name": "long-run", "seed": 3, "duration": "60d", "bin_width": "1d",
  "hosts": [ { "name": "mx.site{i}.example", "count": 20,
               "mta": { "local_domains": ["site{i}.example"], "reject_unlisted_recipient": false } } ],
  "domains": [ { "name": "site{i}.example", "count": 20, "mailboxes": ["ann", "ben"],
                 "mx": [ { "preference": 10, "host": "mx.site{i}.example" } ] } ],
  "traffic": { "worms": [ { "name": "worm", "infected_hosts": 500, "rate_per_hour": 60,
                            "random_recipient_share": 0.5 } ] }
})";

}  // namespace

class RunTest : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

  private slots:
    void cancelStopsALongRunWithinASecond() {
        MainWindow w;
        QVERIFY(w.openScenario(write(dir_, "long.json", kLongRun)));
        QSignalSpy progress(w.controller(), &RunController::progress);
        QSignalSpy ended(&w, &MainWindow::runEnded);
        QVERIFY(w.startRun());
        // The window's event loop keeps turning: progress reports arrive while it
        // runs, and soon show the simulation's events per second.
        const auto rate = [&progress] {
            return progress.isEmpty() ? 0.0
                                      : progress.last()
                                            .at(0)
                                            .value<mxsim::experiment::ProgressState>()
                                            .events_per_second;
        };
        QTRY_VERIFY_WITH_TIMEOUT(rate() > 0, 30'000);
        const auto state = progress.last().at(0).value<mxsim::experiment::ProgressState>();
        QVERIFY(state.fraction < 0.5);
        QVERIFY(w.controller()->running());
        QElapsedTimer clock;
        clock.start();
        w.cancelRun();
        QVERIFY(ended.wait(1000));
        QVERIFY(clock.elapsed() < 1000);
        qInfo("cancelled after %lld ms", static_cast<long long>(clock.elapsed()));
        QVERIFY(!w.controller()->running());
        QVERIFY(w.result() == nullptr);
        QCOMPARE(w.lastMessage(), QString("Run cancelled."));
        // The window can run again afterwards.
        QVERIFY(w.openScenario(test::scenario("backup-mx-nxdomain.json")));
        QVERIFY(test::run_to_end(w));
    }

    void cancelKeepsThePreviousResultsUnderABanner() {
        MainWindow w;
        QVERIFY(w.openScenario(test::scenario("backup-mx-nxdomain.json")));
        QVERIFY(test::run_to_end(w));
        const std::shared_ptr<const ExperimentResult> before = w.result();
        QCOMPARE(w.staleReason(), QString());
        QVERIFY(w.openScenario(write(dir_, "long-2.json", kLongRun)));
        QVERIFY(w.staleReason().contains("not of long-run"));
        QSignalSpy progress(w.controller(), &RunController::progress);
        QSignalSpy ended(&w, &MainWindow::runEnded);
        QVERIFY(w.startRun());
        QTRY_VERIFY_WITH_TIMEOUT(!progress.isEmpty(), 30'000);
        w.cancelRun();
        QVERIFY(ended.wait(30'000));
        // The charts keep the previous run's results, and the banner says whose they are.
        QCOMPARE(w.result(), before);
        QCOMPARE(w.lastMessage(),
                 QString("Run cancelled: the charts still show the previous results."));
        QVERIFY(w.charts()->staleBanner()->isVisibleTo(w.charts()));
        QVERIFY(w.staleReason().startsWith("These results are of backup-mx-nxdomain"));
        // An export of them says so.
        QVERIFY(w.exportSummary(dir_.filePath("previous.json")));
        QVERIFY(w.lastMessage().contains("Warning: These results are of backup-mx-nxdomain"));
    }

    void aMissingFileIsExplained() {
        MainWindow w;
        QVERIFY(!w.openScenario(dir_.filePath("nope.json")));
        QVERIFY(w.lastMessage().contains("nope.json"));
        QVERIFY(!w.startRun());
    }

    void brokenJsonIsExplained() {
        MainWindow w;
        QVERIFY(!w.openScenario(write(dir_, "broken.json", "{\"name\": \"x\",")));
        QVERIFY(w.lastMessage().contains("broken.json"));
        QVERIFY(w.lastMessage().contains("invalid JSON"));
    }

    void aBadValueInTheFileIsShownAndBlocksTheRun() {
        MainWindow w;
        const QString path = write(
            dir_, "bad-duration.json",
            R"({"name": "x", "duration": 17, "hosts": [{"name": "mx.a.example", "mta": {}}]})");
        QVERIFY(w.openScenario(path));  // opened, so it can be fixed in the editor
        QVERIFY(w.editor()->message().contains("/duration: expected a duration"));
        QVERIFY(!w.startRun());
        QVERIFY(w.lastMessage().contains("/duration"));
        QVERIFY(w.editor()->field("/duration")->styleSheet().contains("border"));
        QVERIFY(w.editor()->edit("/duration", "2h"));
        QCOMPARE(w.editor()->message(), QString());
        QVERIFY(w.editor()->field("/duration")->styleSheet().isEmpty());
        QVERIFY(test::run_to_end(w));
    }

    void aScenarioOfTheWrongShapeIsExplained() {
        MainWindow w;
        const QString path = write(dir_, "shape.json", R"({"name": "x",
          "hosts": [{"name": "mx.a.example", "mta": 5}],
          "traffic": {"worms": ["w"]}, "sweeps": [3], "variants": [7]})");
        QVERIFY(w.openScenario(path));
        QVERIFY(w.editor()->message().contains("shape.json: /"));
        QVERIFY(!w.startRun());
        QVERIFY(w.editor()->edit("mta/flavor", "exim"));  // "mta" is 5: nothing to set a key in
        QVERIFY(w.editor()->message().contains("/hosts/0/mta/flavor: cannot be set here"));
        QVERIFY(w.editor()->document().value("/hosts/0/mta") == nlohmann::ordered_json(5));
    }

    void badEditsAreExplainedInline() {
        MainWindow w;
        QVERIFY(w.openScenario(test::scenario("mailbox-rate-limit.json")));
        QCOMPARE(w.editor()->message(), QString());
        QVERIFY(w.editor()->edit("/replications", "many"));
        QVERIFY(w.editor()->message().contains("/replications"));
        QVERIFY(!w.startRun());
        QVERIFY(w.editor()->edit("/replications", "0"));
        QVERIFY(w.editor()->message().contains("/replications"));
        QVERIFY(w.editor()->edit("/replications", "1"));
        QCOMPARE(w.editor()->message(), QString());
        // A host field: the rate limit of the victim's MX (the first host). Its
        // per_hour is swept, so the burst is the value the run takes as written.
        QVERIFY(w.editor()->edit("mta/mailbox_rate_limit/burst", "-5"));
        QVERIFY2(w.editor()->message().contains("/hosts/0/mta/mailbox_rate_limit/burst"),
                 qPrintable(w.editor()->message()));
        QVERIFY(w.editor()->field("mta/mailbox_rate_limit/burst")->styleSheet().contains("border"));
        QVERIFY(w.editor()->edit("mta/mailbox_rate_limit/burst", "20"));
        QCOMPARE(w.editor()->message(), QString());
        QVERIFY(w.editor()->edit("mta/queue/maximal_backoff_time", "10s"));  // below minimal
        QVERIFY(w.editor()->message().contains("maximal_backoff_time"));
        QVERIFY(w.editor()->edit("mta/queue/maximal_backoff_time", ""));  // back to the default
        QCOMPARE(w.editor()->message(), QString());
        // A flavor change hides the other flavor's timers and shows its own.
        QVERIFY(w.editor()->edit("mta/flavor", "exim"));
        QVERIFY(w.editor()->edit("mta/queue/queue_run_interval", "soon"));
        QVERIFY(w.editor()->message().contains("queue_run_interval"));
        QVERIFY(w.editor()->edit("mta/queue/queue_run_interval", "10m"));
        QCOMPARE(w.editor()->message(), QString());
    }
};

QTEST_MAIN(RunTest)
#include "run_test.moc"
