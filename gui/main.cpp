// main.cpp - mxsim-gui, the Qt desktop app.
// Usage: mxsim-gui [SCENARIO.json]
//        mxsim-gui --screenshot OUT.png [--view NAME] SCENARIO.json
#include <QApplication>
#include <QTextStream>

#include "gui/main_window.hpp"
#include "gui/screenshot.hpp"

namespace {

constexpr const char* kUsage =
    "usage: mxsim-gui [SCENARIO.json]\n"
    "       mxsim-gui --screenshot OUT.png [--view NAME] SCENARIO.json\n"
    "  views: ndr, fates, lost, queue, victims, sweep, explain (default ndr)\n";

struct Args {
    QString scenario, screenshot, view = "ndr";
};

// Returns an error message, or "" when the arguments are fine.
QString parse(int argc, char** argv, Args& a) {
    for (int i = 1; i < argc; ++i) {
        const QString arg = QString::fromLocal8Bit(argv[i]);
        const auto value = [&]() -> QString {
            return i + 1 < argc ? QString::fromLocal8Bit(argv[++i]) : QString();
        };
        if (arg == "--screenshot") {
            a.screenshot = value();
            if (a.screenshot.isEmpty()) return "--screenshot: missing file name";
        } else if (arg == "--view") {
            a.view = value();
            if (a.view.isEmpty()) return "--view: missing view name";
        } else if (arg.startsWith('-')) {
            return "unknown option '" + arg + "'";
        } else if (a.scenario.isEmpty()) {
            a.scenario = arg;
        } else {
            return "more than one scenario file given";
        }
    }
    if (!a.screenshot.isEmpty() && a.scenario.isEmpty()) return "--screenshot needs a scenario";
    return {};
}

}  // namespace

int main(int argc, char** argv) {
    Args a;
    const QString error = parse(argc, argv, a);
    QTextStream err(stderr);
    if (!error.isEmpty()) {
        err << "mxsim-gui: " << error << "\n" << kUsage;
        return 2;
    }
    // A screenshot needs no display.
    if (!a.screenshot.isEmpty() && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    if (!a.screenshot.isEmpty())
        return mxsim::gui::take_screenshot(a.scenario, a.screenshot, a.view, err);
    mxsim::gui::MainWindow window;
    window.show();
    if (!a.scenario.isEmpty()) window.openScenario(a.scenario);
    return app.exec();
}
