// gui_test_support.hpp - shared steps of the mxsim-gui tests: open a scenario in a
// MainWindow, edit it as a user would, run it to the end.
#pragma once

#include <QSignalSpy>
#include <QString>
#include <QTest>

#include "gui/main_window.hpp"

namespace mxsim::gui::test {

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
