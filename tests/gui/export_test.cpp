// export_test.cpp - exports equal the CLI's files for the same scenario and seed,
// a chart exports as a PNG, and `mxsim-gui --screenshot` renders a chart that is
// not blank (pixels of several colours).
#include <set>

#include <QColor>
#include <QFile>
#include <QImage>
#include <QProcess>
#include <QTemporaryDir>

#include <nlohmann/json.hpp>

#include "gui_test_support.hpp"

using namespace mxsim::gui;

namespace {

QByteArray read(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Saturated colours (chart lines, bars, bands), quantised so antialiasing
// shades of one colour count once.
std::set<int> chart_colours(const QImage& image) {
    std::set<int> hues;
    for (int y = 0; y < image.height(); y += 2)
        for (int x = 0; x < image.width(); x += 2) {
            const QColor c = image.pixelColor(x, y);
            if (c.hsvSaturation() > 100 && c.value() > 100) hues.insert(c.hsvHue() / 20);
        }
    return hues;
}

}  // namespace

class ExportTest : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

  private slots:
    void csvAndSummaryEqualTheCliForTheSameSeed() {
        const QString scenario = test::scenario("klez-flood.json");
        MainWindow w;
        QVERIFY(w.openScenario(scenario));
        QVERIFY(w.editor()->edit("/seed", "11"));
        QVERIFY(w.editor()->edit("/replications", "2"));
        QVERIFY(test::run_to_end(w));
        QVERIFY(w.exportCsv(dir_.filePath("gui.csv")));
        QVERIFY(w.exportSummary(dir_.filePath("gui-summary.json")));

        // The CLI on the same scenario: two replications are what the GUI ran.
        QFile edited(dir_.filePath("klez-2.json"));
        QVERIFY(edited.open(QIODevice::WriteOnly));
        auto doc = nlohmann::json::parse(read(scenario).toStdString());
        doc["replications"] = 2;
        edited.write(QByteArray::fromStdString(doc.dump()));
        edited.close();
        QProcess cli;
        cli.start(MXSIM_CLI, {"run", edited.fileName(), "--seed", "11", "--out",
                              dir_.filePath("cli"), "--quiet"});
        QVERIFY(cli.waitForFinished(120'000));
        QCOMPARE(cli.exitCode(), 0);

        const QByteArray gui_csv = read(dir_.filePath("gui.csv"));
        QVERIFY(gui_csv.startsWith("variant,sweep_point,replication,bin_start_s,metric,value\n"));
        QVERIFY(gui_csv.count('\n') > 100);
        QCOMPARE(gui_csv, read(dir_.filePath("cli/timeseries.csv")));

        const auto gui =
            nlohmann::json::parse(read(dir_.filePath("gui-summary.json")).toStdString());
        const auto cli_json =
            nlohmann::json::parse(read(dir_.filePath("cli/summary.json")).toStdString());
        QVERIFY(gui["run"]["seed"] == 11);
        for (const char* key :
             {"seed", "variants", "sweep_points", "replications", "simulated_seconds", "scenario"})
            QVERIFY2(gui["run"][key] == cli_json["run"][key], key);
        // Everything but where the scenario came from and the wall-clock timing.
        for (const char* key : {"fates", "mtas", "series", "backscatter_top_victims", "comparison"})
            QVERIFY2(gui[key] == cli_json[key], key);
    }

    void aChartExportsAsAPng() {
        MainWindow w;
        QVERIFY(w.openScenario(test::scenario("klez-flood.json")));
        QVERIFY(w.editor()->edit("/replications", "2"));
        QVERIFY(test::run_to_end(w));
        w.resize(1200, 800);
        w.show();
        QVERIFY(w.charts()->setCurrentView("fates"));
        QVERIFY(w.exportPng(dir_.filePath("fates.png")));
        const QImage image(dir_.filePath("fates.png"));
        QVERIFY(!image.isNull());
        QVERIFY(chart_colours(image).size() >= 3);  // stacked bars of several fates
        QVERIFY(!w.exportPng(dir_.filePath("no-such-dir/x.png")));
        QVERIFY(w.lastMessage().startsWith("Cannot export"));
    }

    void screenshotIsNotBlank() {
        const QString out = dir_.filePath("ndr.png");
        QProcess gui;
        gui.start(MXSIM_GUI_EXE,
                  {"--screenshot", out, "--view", "ndr", test::scenario("klez-flood.json")});
        QVERIFY(gui.waitForFinished(120'000));
        QCOMPARE(gui.exitCode(), 0);
        const QImage image(out);
        QVERIFY(!image.isNull());
        QVERIFY(image.width() >= 800);
        // Three variants: three line colours (and their bands).
        QVERIFY(chart_colours(image).size() >= 3);
    }

    void screenshotOfAnUnknownViewFails() {
        QProcess gui;
        gui.start(MXSIM_GUI_EXE, {"--screenshot", dir_.filePath("x.png"), "--view", "pie",
                                  test::scenario("klez-flood.json")});
        QVERIFY(gui.waitForFinished(60'000));
        QCOMPARE(gui.exitCode(), 2);
        QVERIFY(gui.readAllStandardError().contains("no view 'pie'"));
        QVERIFY(!QFile::exists(dir_.filePath("x.png")));
    }
};

QTEST_MAIN(ExportTest)
#include "export_test.moc"
