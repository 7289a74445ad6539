// screenshot.cpp - drives MainWindow as a user would, then renders it.
#include "gui/screenshot.hpp"

#include <QApplication>
#include <QEventLoop>

#include "gui/explain_view.hpp"
#include "gui/exporter.hpp"
#include "gui/main_window.hpp"

namespace mxsim::gui {

int take_screenshot(const QString& scenario, const QString& out, const QString& view,
                    QTextStream& err) {
    if (!ChartPanel::viewNames().contains(view)) {
        err << "mxsim-gui: --view: no view '" << view << "'; one of "
            << ChartPanel::viewNames().join(", ") << "\n";
        return 2;
    }
    MainWindow window;
    window.resize(1600, 1000);
    window.show();
    if (!window.openScenario(scenario)) {
        err << "mxsim-gui: " << window.lastMessage() << "\n";
        return 1;
    }
    QEventLoop loop;
    QObject::connect(&window, &MainWindow::runEnded, &loop, &QEventLoop::quit);
    if (!window.startRun()) {
        err << "mxsim-gui: " << window.lastMessage() << "\n";
        return 1;
    }
    loop.exec();
    if (!window.result()) {
        err << "mxsim-gui: " << window.lastMessage() << "\n";
        return 1;
    }
    window.charts()->setCurrentView(view);
    if (view == "explain") {
        ExplainView* explain = window.charts()->explainView();
        QObject::connect(explain, &ExplainView::told, &loop, &QEventLoop::quit);
        explain->tell();
        if (explain->busy()) loop.exec();
    }
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
