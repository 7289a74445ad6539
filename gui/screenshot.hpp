// screenshot.hpp - `mxsim-gui --screenshot OUT.png [--view NAME] SCENARIO.json`:
// opens the scenario, runs it, shows the chosen view and saves the window as PNG,
// for the docs and the tests. Offers take_screenshot().
#pragma once

#include <QString>
#include <QTextStream>

namespace mxsim::gui {

// Returns the process exit code; problems go to `err` as one clear line.
int take_screenshot(const QString& scenario, const QString& out, const QString& view,
                    QTextStream& err);

}  // namespace mxsim::gui
