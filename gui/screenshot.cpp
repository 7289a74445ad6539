// screenshot.cpp - drives MainWindow as a user would, then renders it.
#include "gui/screenshot.hpp"

#include <QApplication>

#include "gui/exporter.hpp"
#include "gui/headless.hpp"
#include "gui/views.hpp"

namespace mxsim::gui {

int take_screenshot(const QString& scenario, const QString& out, const QString& view,
                    QTextStream& err) {
    if (!find_view(view)) {
        err << "mxsim-gui: --view: no view '" << view << "'; one of " << view_names().join(", ")
            << "\n";
        return 2;
    }
    MainWindow window(MainWindow::Memory::Forget);
    window.resize(1280, 800);  // a projector's screen
    window.show();
    QString why;
    if (!run_to_end(window, scenario, why)) {
        err << "mxsim-gui: " << why << "\n";
        return 1;
    }
    window.charts()->setCurrentView(view);
    if (view == "explain") tell_first_story(window);
    QApplication::processEvents();
    try {
        save_png(window, out, 1);
    } catch (const std::exception& e) {
        err << "mxsim-gui: " << e.what() << "\n";
        return 1;
    }
    return 0;
}

}  // namespace mxsim::gui
