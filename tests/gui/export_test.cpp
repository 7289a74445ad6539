// export_test.cpp - exports equal the CLI's files for the same scenario and seed,
// a chart exports as a PNG and an SVG, `mxsim-gui --screenshot` renders a chart that is
// not blank (pixels of several colours), and `mxsim-gui --report` writes every view as
// PNG and SVG with an index.html, into a folder replaced whole.
#include <set>

#include <QColor>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QPainter>
#include <QProcess>
#include <QSvgRenderer>
#include <QTemporaryDir>

#include <nlohmann/json.hpp>

#include "gui/views.hpp"
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
    QString last_error_;  // run_gui()'s stderr

    // mxsim-gui with `args`; its exit code (-1 when it did not end).
    int run_gui(const QStringList& args) {
        QProcess gui;
        gui.start(MXSIM_GUI_EXE, args);
        if (!gui.waitForFinished(120'000)) return -1;
        last_error_ = QString::fromUtf8(gui.readAllStandardError());
        return gui.exitStatus() == QProcess::NormalExit ? gui.exitCode() : -1;
    }

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
        QVERIFY(w.exportSvg(dir_.filePath("fates.svg")));
        const QByteArray svg = read(dir_.filePath("fates.svg"));
        QVERIFY(svg.contains("<svg") && svg.contains("<title>Message fates</title>"));
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

    void reportWritesEveryViewWithAnIndex() {
        const QString out = dir_.filePath("report");
        const QString scenario = test::scenario("relay-denied.json");
        QCOMPARE(run_gui({"--report", out, scenario}), 0);
        const auto doc = nlohmann::json::parse(read(scenario).toStdString());
        const QString index = QString::fromUtf8(read(out + "/index.html"));
        QVERIFY(index.startsWith("<!DOCTYPE html>"));
        // The scenario's name, question and description, then each view.
        for (const char* key : {"name", "question", "description"})
            QVERIFY2(
                index.contains(QString::fromStdString(doc[key].get<std::string>()).toHtmlEscaped()),
                key);
        qsizetype at = index.indexOf(QString::fromStdString(doc["description"]));
        for (const ViewInfo& v : result_views()) {
            const qsizetype heading = index.indexOf(v.title.toHtmlEscaped() + "</h2>");
            QVERIFY2(heading > at, qPrintable(v.name));  // in the views' order
            at = heading;
            QVERIFY(index.contains("<img src=\"" + v.name + ".png\""));
            QVERIFY(index.contains("<a href=\"" + v.name + ".svg\">"));
            QVERIFY(index.contains(v.caption.toHtmlEscaped()));
            const QImage png(out + "/" + v.name + ".png");
            QVERIFY2(!png.isNull() && png.width() >= 600 && png.height() >= 400,
                     qPrintable(v.name));
            const QByteArray svg = read(out + "/" + v.name + ".svg");
            QVERIFY2(svg.startsWith("<?xml") && svg.contains("<svg"), qPrintable(v.name));
            QVERIFY(svg.contains("<title>" + v.title.toUtf8() + "</title>"));
        }
        // Charts drawn, not blank: the NDR chart has its variants' colours, in the PNG and
        // in the SVG as Qt SVG draws it.
        QVERIFY(chart_colours(QImage(out + "/ndr.png")).size() >= 2);
        QSvgRenderer svg(out + "/ndr.svg");
        QVERIFY(svg.isValid());
        QImage drawn(svg.viewBox().size(), QImage::Format_ARGB32);
        drawn.fill(Qt::white);
        QPainter painter(&drawn);
        svg.render(&painter);
        painter.end();
        QVERIFY(chart_colours(drawn).size() >= 2);
        QVERIFY(read(out + "/summary.json").contains("\"comparison\""));
        QVERIFY(read(out + "/timeseries.csv")
                    .startsWith("variant,sweep_point,replication,bin_start_s,metric,value\n"));
        // Again into the same folder: replaced whole, nothing left beside it.
        QCOMPARE(run_gui({"--report", out, scenario}), 0);
        QCOMPARE(QDir(dir_.path())
                     .entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot)
                     .filter("report"),
                 QStringList{"report"});
    }

    void reportRefusesAFolderOfOtherFilesAndBadScenarios() {
        const QString mine = dir_.filePath("mine");
        QVERIFY(QDir().mkpath(mine));
        QFile notes(mine + "/notes.txt");
        QVERIFY(notes.open(QIODevice::WriteOnly));
        notes.write("keep me");
        notes.close();
        QCOMPARE(run_gui({"--report", mine, test::scenario("relay-denied.json")}), 1);
        QVERIFY(last_error_.contains("notes.txt"));
        QCOMPARE(read(mine + "/notes.txt"), QByteArray("keep me"));
        QVERIFY(!QFile::exists(mine + "/index.html"));
        // A scenario that does not load: nothing written.
        QCOMPARE(run_gui({"--report", dir_.filePath("none"), dir_.filePath("no-such.json")}), 1);
        QVERIFY(!QFile::exists(dir_.filePath("none")));
        // Usage errors.
        QCOMPARE(run_gui({"--report", dir_.filePath("x")}), 2);
        QVERIFY(last_error_.contains("--report needs a scenario"));
        QCOMPARE(run_gui({"--report", dir_.filePath("x"), "--screenshot", dir_.filePath("x.png"),
                          test::scenario("relay-denied.json")}),
                 2);
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
