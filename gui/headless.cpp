// headless.cpp - a local event loop per wait: the run's end, the story's.
#include "gui/headless.hpp"

#include <QEventLoop>

#include "gui/explain_view.hpp"

namespace mxsim::gui {

bool run_to_end(MainWindow& window, const QString& scenario, QString& why) {
    if (!window.openScenario(scenario)) {
        why = window.lastMessage();
        return false;
    }
    QEventLoop loop;
    QObject::connect(&window, &MainWindow::runEnded, &loop, &QEventLoop::quit);
    if (!window.startRun()) {
        why = window.lastMessage();
        return false;
    }
    loop.exec();
    if (!window.result()) why = window.lastMessage();
    return window.result() != nullptr;
}

void tell_first_story(MainWindow& window) {
    ExplainView* explain = window.charts()->explainView();
    QEventLoop loop;
    QObject::connect(explain, &ExplainView::told, &loop, &QEventLoop::quit);
    explain->tell();
    if (explain->busy()) loop.exec();
}

}  // namespace mxsim::gui
