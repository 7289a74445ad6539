// main.cpp - mxsim-gui, the Qt desktop app; its arguments read with QCommandLineParser.
// Usage: mxsim-gui [SCENARIO.json]
//        mxsim-gui --screenshot OUT.png [--view NAME] SCENARIO.json
//        mxsim-gui --report DIR SCENARIO.json
#include <QApplication>
#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QStringList>
#include <QTextStream>

#include "gui/main_window.hpp"
#include "gui/report.hpp"
#include "gui/screenshot.hpp"
#include "gui/views.hpp"

namespace {

constexpr const char* kVersion = MXSIM_VERSION;  // the project()'s, CMakeLists.txt

QString usage() {
    return "usage: mxsim-gui [SCENARIO.json]\n"
           "       mxsim-gui --screenshot OUT.png [--view NAME] SCENARIO.json\n"
           "       mxsim-gui --report DIR SCENARIO.json\n"
           "  views: " +
           mxsim::gui::view_names().join(", ") + " (default ndr)\n";
}

struct Args {
    QString scenario, screenshot, report, view = "ndr";
    bool help = false, version = false;
};

// The argument as typed for an option name the parser did not know ("x" of "-x" or
// "--x=1"), so that the message names what the user wrote.
QString typed_option(const QStringList& args, const QString& name) {
    for (qsizetype i = 1; i < args.size(); ++i) {
        const QString& arg = args[i];
        if (arg == "--") break;
        if (!arg.startsWith('-')) continue;
        const QString bare = arg.mid(arg.startsWith("--") ? 2 : 1).section('=', 0, 0);
        // "-xy" holds the short options x and y.
        if (bare == name || (!arg.startsWith("--") && bare.contains(name))) return arg;
    }
    return (name.size() == 1 ? "-" : "--") + name;
}

// Parses without a QCoreApplication (QT_QPA_PLATFORM must be chosen before QApplication
// exists). Returns an error message, or "" when the arguments are fine.
QString parse(const QStringList& args, QCommandLineParser& parser, Args& a) {
    parser.setApplicationDescription(
        "The mxsim desktop app: open a scenario, change its policies, run it and\n"
        "compare the variants on charts.\n"
        "Views: " +
        mxsim::gui::view_names().join(", ") + " (default ndr).");
    const QCommandLineOption help = parser.addHelpOption();
    const QCommandLineOption version = parser.addVersionOption();
    const QCommandLineOption screenshot(
        "screenshot", "Run SCENARIO.json and save a view as FILE (PNG), without a display.",
        "FILE");
    const QCommandLineOption view("view", "The view --screenshot saves (default ndr).", "NAME");
    const QCommandLineOption report(
        "report",
        "Run SCENARIO.json without a display and write every view as PNG and SVG, with an "
        "index.html, summary.json and timeseries.csv, into folder DIR (replaced whole).",
        "DIR");
    parser.addOption(screenshot);
    parser.addOption(view);
    parser.addOption(report);
    parser.addPositionalArgument("SCENARIO.json", "The scenario to open (or to run).",
                                 "[SCENARIO.json]");

    if (!parser.parse(args)) {
        const QStringList unknown = parser.unknownOptionNames();
        if (!unknown.isEmpty())
            return "unknown option '" + typed_option(args, unknown.first()) + "'";
        // A missing value can only be the last argument's.
        if (args.last() == "--screenshot") return "--screenshot: missing file name";
        if (args.last() == "--view") return "--view: missing view name";
        if (args.last() == "--report") return "--report: missing folder name";
        return parser.errorText();
    }
    a.help = parser.isSet(help) || parser.isSet("help-all");
    a.version = parser.isSet(version);
    if (a.help || a.version) return {};
    if (parser.isSet(screenshot)) {
        a.screenshot = parser.value(screenshot);
        if (a.screenshot.isEmpty()) return "--screenshot: missing file name";
    }
    if (parser.isSet(view)) {
        a.view = parser.value(view);
        if (a.view.isEmpty()) return "--view: missing view name";
    }
    if (parser.isSet(report)) {
        a.report = parser.value(report);
        if (a.report.isEmpty()) return "--report: missing folder name";
        if (!a.screenshot.isEmpty()) return "--report and --screenshot go separately";
        if (parser.isSet(view)) return "--view goes with --screenshot, not --report";
    }
    const QStringList positional = parser.positionalArguments();
    if (positional.size() > 1) return "more than one scenario file given";
    if (!positional.isEmpty()) a.scenario = positional.first();
    if (!a.screenshot.isEmpty() && a.scenario.isEmpty()) return "--screenshot needs a scenario";
    if (!a.report.isEmpty() && a.scenario.isEmpty()) return "--report needs a scenario";
    return {};
}

}  // namespace

int main(int argc, char** argv) {
    QCoreApplication::setApplicationName("mxsim-gui");
    QCoreApplication::setApplicationVersion(kVersion);
    QStringList args;
    for (int i = 0; i < argc; ++i)
        args << QString::fromLocal8Bit(argv[i]);
    if (args.isEmpty()) args << "mxsim-gui";

    QCommandLineParser parser;
    Args a;
    const QString error = parse(args, parser, a);
    QTextStream err(stderr);
    if (!error.isEmpty()) {
        err << "mxsim-gui: " << error << "\n" << usage();
        return 2;
    }
    if (a.help || a.version) {
        // helpText() names the program from QCoreApplication::arguments(): a core
        // application, which needs no display, is enough.
        const QCoreApplication core(argc, argv);
        QTextStream out(stdout);
        if (a.help)
            out << parser.helpText();
        else
            out << QCoreApplication::applicationName() << ' '
                << QCoreApplication::applicationVersion() << '\n';
        return 0;
    }
    // A screenshot or a report needs no display.
    const bool headless = !a.screenshot.isEmpty() || !a.report.isEmpty();
    if (headless && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    if (!a.screenshot.isEmpty())
        return mxsim::gui::take_screenshot(a.scenario, a.screenshot, a.view, err);
    if (!a.report.isEmpty()) return mxsim::gui::make_report(a.scenario, a.report, err);
    mxsim::gui::MainWindow window;
    window.show();
    if (!a.scenario.isEmpty()) window.openScenario(a.scenario);
    return app.exec();
}
