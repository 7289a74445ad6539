// gui_test_support.hpp - shared steps of the mxsim-gui tests: settings kept away from the
// user's, open a scenario in a MainWindow, edit it as a user would, run it to the end.
#pragma once

#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QString>
#include <QTemporaryDir>
#include <QTest>

#include "gui/main_window.hpp"

namespace mxsim::gui::test {

// The folder this test process keeps its QSettings in: a fresh one of its own, so the
// user's ~/.config/mxsim is never read nor written and tests running side by side
// share nothing.
inline const QTemporaryDir& settings_dir() {
    static const QTemporaryDir dir;
    return dir;
}

// Runs before main(), so before any QSettings (or the windows a test object holds) exists.
inline void isolate_settings() {
    QStandardPaths::setTestModeEnabled(true);
    for (const QSettings::Format f : {QSettings::NativeFormat, QSettings::IniFormat})
        QSettings::setPath(f, QSettings::UserScope, settings_dir().path());
}
Q_CONSTRUCTOR_FUNCTION(isolate_settings)

inline QString scenario(const char* name) {
    return QString(MXSIM_SOURCE_DIR) + "/scenarios/" + name;
}

// Runs what the window holds and waits for the end; false when it did not finish.
inline bool run_to_end(MainWindow& w) {
    QSignalSpy ended(&w, &MainWindow::runEnded);
    if (!w.startRun()) return false;
    if (!ended.wait(120'000)) return false;
    return w.result() != nullptr;
}

}  // namespace mxsim::gui::test
