// headless.hpp - driving a MainWindow without a user, for --screenshot and --report: open
// a scenario and run it to the end, then let the teaching view tell the story of message 0.
// Offers run_to_end() and tell_first_story().
#pragma once

#include <QString>

#include "gui/main_window.hpp"

namespace mxsim::gui {

// Opens `scenario` in `window` and runs it to the end (the window's own event loop
// turning meanwhile); false, with the window's message in `why`, when it cannot.
bool run_to_end(MainWindow& window, const QString& scenario, QString& why);
// Tells the story of the teaching view's query (message 0 unless changed) and waits
// until it is shown.
void tell_first_story(MainWindow& window);

}  // namespace mxsim::gui
