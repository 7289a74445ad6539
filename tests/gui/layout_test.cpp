// layout_test.cpp - the window on a 1280x800 screen (a virtual one: Qt's offscreen platform
// with a screen of that size): it opens within the screen, the editor's error stays in view
// while the fields scroll, the tabs fit; the menus' shortcuts; the recent files and the
// geometry kept in QSettings (in a folder of the test's own); the question shown with the
// results and with the editor; the banner over results that no longer match the editor.
#include <QApplication>
#include <QFile>
#include <QLabel>
#include <QMenuBar>
#include <QScreen>
#include <QScrollArea>
#include <QScrollBar>
#include <QTabBar>
#include <QTemporaryDir>

#include "gui/app_settings.hpp"
#include "gui/teaching_scenarios.hpp"
#include "gui/views.hpp"
#include "gui_test_support.hpp"

using namespace mxsim::gui;

namespace {

constexpr QSize kScreen(1280, 800);

bool within(const QRect& inner, const QRect& outer) {
    return outer.contains(inner.topLeft()) && outer.contains(inner.bottomRight());
}

QString text_of(const QMenuBar* bar) {
    QStringList titles;
    for (const QAction* a : bar->actions())
        titles << a->text();
    return titles.join(' ');
}

}  // namespace

class LayoutTest : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

    // Every widget of the window inside the window, the window inside the screen.
    static void check_fits(MainWindow& w) {
        QApplication::processEvents();
        const QRect screen = QGuiApplication::primaryScreen()->availableGeometry();
        QVERIFY2(within(w.frameGeometry(), screen), qPrintable(QString("window %1x%2 at %3,%4")
                                                                   .arg(w.frameGeometry().width())
                                                                   .arg(w.frameGeometry().height())
                                                                   .arg(w.frameGeometry().x())
                                                                   .arg(w.frameGeometry().y())));
        QVERIFY(w.width() <= kScreen.width() && w.height() <= kScreen.height());
        QVERIFY2(w.minimumSizeHint().width() <= screen.width() &&
                     w.minimumSizeHint().height() <= screen.height(),
                 qPrintable(QString("minimum %1x%2")
                                .arg(w.minimumSizeHint().width())
                                .arg(w.minimumSizeHint().height())));
        // The tabs scroll rather than widen the window, and at this size all fit.
        const QTabWidget* tabs = w.charts()->tabs();
        QVERIFY(tabs->usesScrollButtons());
        QVERIFY2(tabs->tabBar()->sizeHint().width() <= tabs->width(),
                 qPrintable(QString("tabs want %1 px of %2")
                                .arg(tabs->tabBar()->sizeHint().width())
                                .arg(tabs->width())));
        for (int i = 0; i < tabs->count(); ++i)
            QVERIFY(within(tabs->tabBar()->tabRect(i), tabs->tabBar()->rect()));
    }

  private slots:
    void initTestCase() {
        QCOMPARE(QGuiApplication::primaryScreen()->geometry().size(), kScreen);
        // No earlier session's geometry: the window opens at its default size.
        QVERIFY(saved_geometry().isEmpty());
    }

    void theWindowFitsA1280x800Screen() {
        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        check_fits(w);
        // With a scenario open and its results shown (combos and titles now full).
        QVERIFY(w.openScenario(test::scenario("mailbox-rate-limit.json")));
        QVERIFY(w.editor()->edit("/replications", "1"));
        QVERIFY(w.editor()->edit("/duration", "6h"));
        QVERIFY(test::run_to_end(w));
        for (const QString& view : view_names()) {
            QVERIFY(w.charts()->setCurrentView(view));
            check_fits(w);
        }
    }

    void theEditorsErrorIsInViewWhileTheFieldsScroll() {
        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(w.openScenario(test::scenario("klez-flood.json")));
        auto* scroll = w.editor()->findChild<QScrollArea*>();
        QVERIFY(scroll);
        QScrollBar* bar = scroll->verticalScrollBar();
        QVERIFY(bar->maximum() > 0);  // at 800 pixels the fields do scroll
        const QLabel* error = w.editor()->messageLabel();
        // A field at the top, then the last one, each scrolled to as the user does.
        const std::pair<const char*, int> fields[] = {{"/duration", bar->minimum()},
                                                      {"stop", bar->maximum()}};
        for (const auto& [key, scrolled] : fields) {
            bar->setValue(scrolled);
            QVERIFY(w.editor()->edit(key, "soon"));
            QApplication::processEvents();
            QVERIFY(error->text().contains(QString(key).remove('/')));
            QVERIFY(error->isVisible());
            const QRect in_window(error->mapTo(&w, QPoint(0, 0)), error->size());
            QVERIFY(within(in_window, w.rect()));
            // Wholly visible: not clipped by the scroll area or a splitter.
            QCOMPARE(error->visibleRegion().boundingRect(), error->rect());
            QVERIFY(w.editor()->edit(key, ""));
            QVERIFY(!error->isVisible());
        }
    }

    void menusHaveTheirShortcuts() {
        MainWindow w;
        QCOMPARE(text_of(w.menuBar()), QString("&File &Run &View &Help"));
        const QList<std::pair<const char*, QKeySequence>> keys{
            {"open", QKeySequence("Ctrl+O")},  {"save_as", QKeySequence("Ctrl+Shift+S")},
            {"quit", QKeySequence("Ctrl+Q")},  {"run", QKeySequence("Ctrl+R")},
            {"run", QKeySequence(Qt::Key_F5)}, {"cancel", QKeySequence(Qt::Key_Escape)}};
        for (const auto& [name, key] : keys) {
            QAction* a = w.action(name);
            QVERIFY2(a, name);
            QVERIFY2(a->shortcuts().contains(key), name);
        }
        for (const char* name : {"export_png", "export_svg", "export_csv", "export_summary",
                                 "export_report", "about", "docs"})
            QVERIFY2(w.action(name), name);
        QVERIFY(w.recentMenu());
        // The docs the Help menu points to are there.
        QVERIFY(QFile::exists(QString::fromStdString(bundled_docs_dir()) + "/gui.md"));
        // One View entry per view, Ctrl+1, Ctrl+2, ..., each showing its view.
        const QStringList names = view_names();
        for (qsizetype i = 0; i < names.size(); ++i) {
            QAction* a = w.action("view_" + names[i]);
            QVERIFY(a);
            QCOMPARE(a->shortcut(), QKeySequence(QString("Ctrl+%1").arg(i + 1)));
            a->trigger();
            QCOMPARE(w.charts()->currentView(), names[i]);
        }
        // A key press, as the user gives it: Ctrl+2 shows the fates.
        w.show();
        w.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&w));
        QTest::keyClick(&w, Qt::Key_2, Qt::ControlModifier);
        QCOMPARE(w.charts()->currentView(), QString("fates"));
        QVERIFY(w.action("view_fates")->isChecked());
    }

    void recentFilesAreKeptInTheSettings() {
        // Kept in this test's own folder, never in the user's ~/.config.
        QVERIFY(QSettings("mxsim", "mxsim-gui").fileName().startsWith(test::settings_dir().path()));
        clear_recent_files();
        const QString a = test::scenario("relay-denied.json");
        const QString b = test::scenario("backup-mx-nxdomain.json");
        const QString gone = dir_.filePath("gone.json");
        QFile::copy(a, gone);
        {
            MainWindow w;
            QVERIFY(w.openScenario(a));
            QVERIFY(w.openScenario(gone));
            QVERIFY(w.openScenario(b));
            QVERIFY(w.openScenario(a));  // again: moves to the front, once
        }
        const QStringList want{QFileInfo(a).absoluteFilePath(), QFileInfo(b).absoluteFilePath(),
                               QFileInfo(gone).absoluteFilePath()};
        QCOMPARE(recent_files(), want);
        QCOMPARE(QSettings("mxsim", "mxsim-gui").value("recent_files").toStringList(), want);
        // A new window lists them in its File > Recent files menu, most recent first.
        MainWindow w;
        QStringList listed;
        for (const QAction* act : w.recentMenu()->actions())
            if (!act->isSeparator() && act->objectName() != "recent_clear")
                listed << act->toolTip();
        QCOMPARE(listed, want);
        // A recent file that is gone leaves the list when it fails to open.
        QVERIFY(QFile::remove(gone));
        w.recentMenu()->actions().at(2)->trigger();
        QVERIFY(w.lastMessage().contains("gone.json"));
        QCOMPARE(recent_files(), (QStringList{want[0], want[1]}));
        clear_recent_files();
        QVERIFY(recent_files().isEmpty());
    }

    void theGeometryIsRemembered() {
        {
            MainWindow w;
            w.show();
            QVERIFY(QTest::qWaitForWindowExposed(&w));
            w.resize(1000, 640);
            QApplication::processEvents();
            w.close();
        }
        QVERIFY(!saved_geometry().isEmpty());
        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QCOMPARE(w.size(), QSize(1000, 640));
        // --screenshot and --report windows neither read nor write it.
        MainWindow headless(MainWindow::Memory::Forget);
        QVERIFY(headless.size() != QSize(1000, 640));
    }

    void theQuestionShownIsThatOfTheResultsAndOfTheEditor() {
        MainWindow w;
        QVERIFY(w.openScenario(test::scenario("backup-mx-nxdomain.json")));
        const QString backup = w.editor()->document().value("/question").get<std::string>().c_str();
        QVERIFY(!backup.isEmpty());
        QVERIFY(w.editor()->heading().contains(backup.toHtmlEscaped()));
        QVERIFY(test::run_to_end(w));
        QVERIFY(w.charts()->heading().contains(backup.toHtmlEscaped()));
        QVERIFY(w.charts()->heading().contains("backup-mx-nxdomain"));
        // Another scenario in the editor: each pane keeps its own scenario's question.
        QVERIFY(w.openScenario(test::scenario("relay-denied.json")));
        const QString relay = w.editor()->document().value("/question").get<std::string>().c_str();
        QVERIFY(relay != backup);
        QVERIFY(w.editor()->heading().contains(relay.toHtmlEscaped()));
        QVERIFY(!w.editor()->heading().contains(backup.toHtmlEscaped()));
        QVERIFY(w.charts()->heading().contains(backup.toHtmlEscaped()));
        QVERIFY(!w.charts()->heading().contains(relay.toHtmlEscaped()));
        QVERIFY(w.staleReason().contains("not of relay-denied"));
    }

    void aBannerSaysWhenTheResultsNoLongerMatchTheEditor() {
        MainWindow w;
        w.show();
        QVERIFY(w.openScenario(test::scenario("backup-mx-nxdomain.json")));
        QVERIFY(test::run_to_end(w));
        QCOMPARE(w.staleReason(), QString());
        QVERIFY(!w.charts()->staleBanner()->isVisible());
        const auto as_run = w.editor()->document().value("/seed");
        const QString seed = as_run.is_null() ? QString() : QString::fromStdString(as_run.dump());
        QVERIFY(seed != "99");
        // An edit: the charts keep the old results, under a banner that says so.
        QVERIFY(w.editor()->edit("/seed", "99"));
        QVERIFY(w.staleReason().contains("previous settings"));
        QVERIFY(w.charts()->staleBanner()->isVisible());
        QVERIFY(within(QRect(w.charts()->staleBanner()->mapTo(&w, QPoint(0, 0)),
                             w.charts()->staleBanner()->size()),
                       w.rect()));
        // Exports still work, and say whose results they hold.
        QVERIFY(w.exportCsv(dir_.filePath("stale.csv")));
        QVERIFY(w.lastMessage().contains("Warning: These results are from the previous settings"));
        // Back to the value that ran: they match again.
        QVERIFY(w.editor()->edit("/seed", seed));
        QCOMPARE(w.staleReason(), QString());
        QVERIFY(w.editor()->edit("/seed", "99"));
        QVERIFY(test::run_to_end(w));
        QCOMPARE(w.staleReason(), QString());
        QVERIFY(!w.charts()->staleBanner()->isVisible());
        // A value that does not load: the old results are not the editor's either.
        QVERIFY(w.editor()->edit("/replications", "0"));
        QVERIFY(w.staleReason().contains("has an error"));
    }
};

// The offscreen platform with one 1280x800 screen, chosen before QApplication exists.
int main(int argc, char** argv) {
    QTemporaryDir config_dir;
    const QString config = config_dir.filePath("screen.json");
    QFile file(config);
    if (!file.open(QIODevice::WriteOnly)) return 1;
    file.write(R"({"screens": [{"name": "projector", "x": 0, "y": 0, "width": 1280,
                   "height": 800, "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]})");
    file.close();
    qputenv("QT_QPA_PLATFORM", ("offscreen:configfile=" + config).toLocal8Bit());
    QApplication app(argc, argv);
    LayoutTest test;
    return QTest::qExec(&test, argc, argv);
}

#include "layout_test.moc"
