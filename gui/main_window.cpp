// main_window.cpp - wiring of the window: every action calls the engine (experiment/,
// scenario/) through the gui/ layers; nothing here simulates.
#include "gui/main_window.hpp"

#include <algorithm>

#include <QActionGroup>
#include <QCloseEvent>
#include <QDesktopServices>
#include <QFileDialog>
#include <QFileInfo>
#include <QGuiApplication>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QScreen>
#include <QSplitter>
#include <QStatusBar>
#include <QThread>
#include <QToolBar>
#include <QToolButton>
#include <QUrl>

#include "gui/app_settings.hpp"
#include "gui/exporter.hpp"
#include "gui/human_units.hpp"
#include "gui/report.hpp"
#include "gui/result_match.hpp"
#include "gui/teaching_scenarios.hpp"
#include "gui/views.hpp"

namespace mxsim::gui {
namespace {

constexpr const char* kVersion = MXSIM_VERSION;  // as `mxsim run` reports it

QString html_escape(const std::string& s) {
    return QString::fromStdString(s).toHtmlEscaped();
}

// 1400 x 900, or less on a smaller screen: a 1280 x 800 projector gets the whole window.
QSize default_size() {
    const QScreen* screen = QGuiApplication::primaryScreen();
    const QSize room = screen ? screen->availableGeometry().size() : QSize(1400, 900);
    return {std::min(1400, room.width() * 95 / 100), std::min(900, room.height() * 9 / 10)};
}

}  // namespace

MainWindow::MainWindow(Memory memory)
    : memory_(memory),
      editor_(new ScenarioEditor),
      charts_(new ChartPanel),
      controller_(new RunController(this)),
      teaching_(new QListWidget),
      progress_(new QProgressBar),
      rate_(new QLabel),
      message_(new QLabel) {
    setWindowTitle("mxsim-gui");
    build_file_menu();
    build_run_menu();
    build_view_menu();
    build_help_menu();
    build_toolbar();
    build_teaching_list();
    build_layout();

    connect(editor_, &ScenarioEditor::validityChanged, this, [this] {
        update_actions();
        update_stale();
    });
    connect(controller_, &RunController::progress, this, &MainWindow::on_progress);
    connect(controller_, &RunController::finished, this, &MainWindow::on_finished);
    connect(controller_, &RunController::failed, this, [this](const QString& why) {
        show_message("The run failed: " + why, true);
        update_actions();
        emit runEnded();
    });
    connect(controller_, &RunController::cancelled, this, &MainWindow::on_cancelled);
    update_actions();
    const QByteArray geometry = memory_ == Memory::Remember ? saved_geometry() : QByteArray();
    if (geometry.isEmpty() || !restoreGeometry(geometry)) resize(default_size());
}

QAction* MainWindow::add_action(QMenu* menu, const QString& name, const QString& text,
                                const QList<QKeySequence>& keys,
                                const std::function<void()>& done) {
    auto* a = new QAction(text, this);
    a->setObjectName(name);
    a->setShortcuts(keys);
    connect(a, &QAction::triggered, this, done);
    menu->addAction(a);
    return a;
}

QAction* MainWindow::action(const QString& name) const {
    return findChild<QAction*>(name);
}

QString MainWindow::ask_save_path(const QString& title, const QString& name,
                                  const QString& filter) {
    return QFileDialog::getSaveFileName(this, title, name, filter);
}

void MainWindow::build_file_menu() {
    QMenu* file = menuBar()->addMenu("&File");
    add_action(file, "open", "&Open...", {QKeySequence("Ctrl+O")}, [this] {
        const QString path = QFileDialog::getOpenFileName(
            this, "Open a scenario", QString::fromStdString(bundled_scenario_dir()),
            "Scenarios (*.json)");
        if (!path.isEmpty()) openScenario(path);
    });
    add_action(file, "save_as", "Save &as...", {QKeySequence("Ctrl+Shift+S")}, [this] {
        const QString path = ask_save_path("Save the scenario", {}, "Scenarios (*.json)");
        if (!path.isEmpty()) saveScenario(path);
    });
    recent_ = file->addMenu("&Recent files");
    recent_->setObjectName("recent");
    rebuild_recent_menu();
    export_ = file->addMenu("&Export");
    exports_ << add_action(export_, "export_png", "Chart as &PNG...", {}, [this] {
        const QString path =
            ask_save_path("Export the chart", charts_->currentView() + ".png", "PNG (*.png)");
        if (!path.isEmpty()) exportPng(path);
    });
    exports_ << add_action(export_, "export_svg", "Chart as &SVG...", {}, [this] {
        const QString path =
            ask_save_path("Export the chart", charts_->currentView() + ".svg", "SVG (*.svg)");
        if (!path.isEmpty()) exportSvg(path);
    });
    exports_ << add_action(export_, "export_csv", "&timeseries.csv...", {}, [this] {
        const QString path = ask_save_path("Export the data", "timeseries.csv", "CSV (*.csv)");
        if (!path.isEmpty()) exportCsv(path);
    });
    exports_ << add_action(export_, "export_summary", "&summary.json...", {}, [this] {
        const QString path = ask_save_path("Export the result", "summary.json", "JSON (*.json)");
        if (!path.isEmpty()) exportSummary(path);
    });
    exports_ << add_action(
        export_, "export_report", "&Report folder (every view, index.html)...", {}, [this] {
            const QString dir =
                ask_save_path("Export a report into a new folder", "report", "Folders (*)");
            if (!dir.isEmpty()) exportReport(dir);
        });
    file->addSeparator();
    add_action(file, "quit", "&Quit", {QKeySequence("Ctrl+Q")}, [this] { close(); });
}

void MainWindow::build_run_menu() {
    QMenu* run = menuBar()->addMenu("&Run");
    add_action(run, "run", "&Run", {QKeySequence("Ctrl+R"), QKeySequence(Qt::Key_F5)},
               [this] { startRun(); });
    add_action(run, "cancel", "&Cancel", {QKeySequence(Qt::Key_Escape)}, [this] { cancelRun(); });
}

void MainWindow::build_view_menu() {
    QMenu* menu = menuBar()->addMenu("&View");
    auto* group = new QActionGroup(this);
    const std::vector<ViewInfo>& views = result_views();
    for (std::size_t i = 0; i < views.size(); ++i) {
        const QString name = views[i].name;
        const QString n = QString::number(i + 1);
        QAction* a = add_action(menu, "view_" + name, "&" + n + " " + views[i].title,
                                {QKeySequence("Ctrl+" + n)},
                                [this, name] { charts_->setCurrentView(name); });
        a->setCheckable(true);
        a->setChecked(i == 0);
        a->setStatusTip(views[i].caption);
        group->addAction(a);
        views_ << a;
    }
    connect(charts_, &ChartPanel::currentViewChanged, this, [this](const QString& name) {
        const int i = static_cast<int>(view_names().indexOf(name));
        if (i >= 0) views_[i]->setChecked(true);
    });
}

void MainWindow::build_help_menu() {
    QMenu* help = menuBar()->addMenu("&Help");
    const QString docs = QString::fromStdString(bundled_docs_dir());
    add_action(help, "about", "&About mxsim-gui", {}, [this, docs] {
        QMessageBox::about(
            this, "About mxsim-gui",
            QString("<p><b>mxsim-gui %1</b>: the desktop app of mxsim, a simulator of Internet "
                    "mail and of backscatter.</p><p>The user guide is <code>%2/gui.md</code>; "
                    "<code>man mxsim-gui</code> lists the command-line options.</p>")
                .arg(kVersion, docs.toHtmlEscaped()));
    });
    add_action(help, "docs", "&Documentation (where it is)...", {}, [this, docs] {
        QMessageBox box(QMessageBox::Information, "Documentation",
                        "The user guide is " + docs + "/gui.md, beside the other docs in " + docs +
                            " (teaching walkthroughs in " + docs + "/teaching).",
                        QMessageBox::Close, this);
        QPushButton* open = box.addButton("Open gui.md", QMessageBox::ActionRole);
        box.exec();
        if (box.clickedButton() == open)
            QDesktopServices::openUrl(QUrl::fromLocalFile(docs + "/gui.md"));
    });
}

void MainWindow::build_toolbar() {
    QToolBar* bar = addToolBar("main");
    bar->setObjectName("toolbar");
    bar->setMovable(false);
    bar->addAction(action("open"));
    bar->addAction(action("save_as"));
    bar->addSeparator();
    bar->addAction(action("run"));
    bar->addAction(action("cancel"));
    bar->addSeparator();
    auto* button = new QToolButton;
    button->setText("Export");
    button->setMenu(export_);
    button->setPopupMode(QToolButton::InstantPopup);
    bar->addWidget(button);
}

void MainWindow::build_teaching_list() {
    for (const TeachingScenario& t : list_teaching_scenarios(bundled_scenario_dir())) {
        auto* item = new QListWidgetItem(QString::fromStdString(t.name));
        item->setData(Qt::UserRole, QString::fromStdString(t.path));
        item->setToolTip("<p><b>" + html_escape(t.question) + "</b></p><p>" +
                         html_escape(t.description) + "</p>");
        teaching_->addItem(item);
    }
    connect(teaching_, &QListWidget::itemActivated, this,
            [this](QListWidgetItem* item) { openScenario(item->data(Qt::UserRole).toString()); });
}

void MainWindow::build_layout() {
    auto* left = new QSplitter(Qt::Vertical);
    auto* list_box = new QWidget;
    auto* list_layout = new QVBoxLayout(list_box);
    list_layout->setContentsMargins(0, 0, 0, 0);
    list_layout->addWidget(new QLabel("Teaching scenarios (double-click to open):"));
    list_layout->addWidget(teaching_);
    left->addWidget(list_box);
    left->addWidget(editor_);
    left->setStretchFactor(0, 1);
    left->setStretchFactor(1, 4);
    auto* main = new QSplitter(Qt::Horizontal);
    main->addWidget(left);
    main->addWidget(charts_);
    main->setStretchFactor(1, 3);
    main->setSizes({400, 880});
    setCentralWidget(main);

    progress_->setRange(0, 1000);
    progress_->setMaximumWidth(200);
    // A long message is cut, never widening the window; its tooltip holds it whole.
    message_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    statusBar()->addWidget(message_, 1);
    statusBar()->addPermanentWidget(rate_);
    statusBar()->addPermanentWidget(progress_);
}

void MainWindow::rebuild_recent_menu() {
    recent_->clear();
    // A window that forgets does not read the settings either.
    const QStringList files = memory_ == Memory::Remember ? recent_files() : QStringList();
    for (qsizetype i = 0; i < files.size(); ++i) {
        const QString path = files[i];
        QAction* a =
            recent_->addAction(QString("&%1 %2").arg(i + 1).arg(QFileInfo(path).fileName()), this,
                               [this, path] { openScenario(path); });
        a->setToolTip(path);
        a->setStatusTip(path);
    }
    if (files.isEmpty()) recent_->addAction("(none yet)")->setEnabled(false);
    recent_->addSeparator();
    QAction* clear = recent_->addAction("Clear the list", this, [this] {
        clear_recent_files();
        rebuild_recent_menu();
    });
    clear->setObjectName("recent_clear");
    clear->setEnabled(!files.isEmpty());
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (memory_ == Memory::Remember) save_geometry(saveGeometry());
    QMainWindow::closeEvent(event);
}

void MainWindow::show_message(const QString& text, bool error) {
    message_->setStyleSheet(error ? "color: #d62728;" : "");
    message_->setText(text);
    message_->setToolTip(text);
}

void MainWindow::update_actions() {
    const bool running = controller_->running();
    const bool valid = editor_->hasDocument() && editor_->validation().experiment.has_value();
    action("run")->setEnabled(!running && valid);
    action("cancel")->setEnabled(running);
    action("save_as")->setEnabled(editor_->hasDocument());
    for (QAction* a : exports_)
        a->setEnabled(result_ != nullptr);
    editor_->setEnabled(editor_->hasDocument() && !running);
}

void MainWindow::update_stale() {
    const bool compare = result_ && editor_->hasDocument();
    charts_->setStale(compare ? QString::fromStdString(stale_reason(*result_, editor_->document(),
                                                                    editor_->validation()))
                              : QString());
}

bool MainWindow::openScenario(const QString& path) {
    if (controller_->running()) {
        show_message("Cancel the run before opening another scenario.", true);
        return false;
    }
    try {
        editor_->setDocument(ScenarioDocument::load(path.toStdString()));
    } catch (const std::exception& e) {
        show_message(QString("Cannot open the scenario: ") + e.what(), true);
        if (memory_ == Memory::Remember &&
            recent_files().contains(QFileInfo(path).absoluteFilePath())) {
            forget_file(path);  // a recent file that is gone leaves the list
            rebuild_recent_menu();
        }
        return false;
    }
    setWindowTitle("mxsim-gui - " + QFileInfo(path).fileName());
    for (int i = 0; i < teaching_->count(); ++i)
        if (QFileInfo(teaching_->item(i)->data(Qt::UserRole).toString()) == QFileInfo(path))
            teaching_->setCurrentRow(i);
    if (memory_ == Memory::Remember) {
        remember_file(path);
        rebuild_recent_menu();
    }
    if (editor_->validation().experiment)
        show_message("Opened " + path + ". Press Run.", false);
    else
        show_message("The scenario has an error (see the editor): " + editor_->message(), true);
    update_actions();
    update_stale();
    return true;
}

bool MainWindow::saveScenario(const QString& path) {
    if (!editor_->hasDocument()) return false;
    try {
        editor_->document().save(path.toStdString());
    } catch (const std::exception& e) {
        show_message(QString("Cannot save: ") + e.what(), true);
        return false;
    }
    if (memory_ == Memory::Remember) {
        remember_file(path);
        rebuild_recent_menu();
    }
    setWindowTitle("mxsim-gui - " + QFileInfo(path).fileName());
    show_message("Saved " + path, false);
    update_stale();
    return true;
}

bool MainWindow::startRun() {
    if (controller_->running()) return false;
    if (!editor_->hasDocument()) {
        show_message("Open a scenario first.", true);
        return false;
    }
    const Validation& v = editor_->validation();
    if (!v.experiment) {
        show_message("Cannot run: " + QString::fromStdString(v.error), true);
        return false;
    }
    const format::Experiment& ex = *v.experiment;
    const ScenarioDocument& doc = editor_->document();
    RunRequest request;
    request.experiment = ex;
    request.meta = {ex.baseline().name, doc.path(), ex.content_hash, ex.baseline().seed, kVersion,
                    ex.warnings,        {}};
    request.threads = static_cast<unsigned>(std::max(1, QThread::idealThreadCount()));
    request.variant_slots = doc.variant_slots(ex.variants);
    request.fingerprint = doc.fingerprint();
    controller_->start(std::move(request));
    progress_->setValue(0);
    show_message("Running " + QString::fromStdString(ex.baseline().name) + "...", false);
    update_actions();
    return true;
}

void MainWindow::cancelRun() {
    controller_->cancel();
}

void MainWindow::on_progress(const experiment::ProgressState& s) {
    progress_->setValue(static_cast<int>(s.fraction * 1000));
    rate_->setText(QString::fromStdString(experiment::format_event_rate(s.events_per_second) +
                                          "  ETA " + experiment::format_eta(s.eta_seconds)));
}

void MainWindow::on_finished(std::shared_ptr<const ExperimentResult> result) {
    result_ = std::move(result);
    charts_->setResult(result_);
    progress_->setValue(1000);
    const ExperimentResult& r = *result_;
    std::uint64_t events = 0;
    for (const model::RunResults& run : r.runs)
        events += run.events;
    rate_->setText(
        QString::fromStdString(experiment::format_event_rate(r.timing.events_per_second)));
    show_message(QString("Done: %1 job(s), %2 events in %3 s.")
                     .arg(r.runs.size())
                     .arg(format_count(static_cast<double>(events)))
                     .arg(r.timing.wall_seconds, 0, 'f', 1),
                 false);
    update_actions();
    update_stale();
    emit runEnded();
}

void MainWindow::on_cancelled() {
    progress_->setValue(0);
    rate_->clear();
    show_message(
        result_ ? "Run cancelled: the charts still show the previous results." : "Run cancelled.",
        false);
    update_actions();
    update_stale();
    emit runEnded();
}

bool MainWindow::export_to(const QString& path, const std::function<void()>& write) {
    try {
        write();
    } catch (const std::exception& e) {
        show_message(QString("Cannot export: ") + e.what(), true);
        return false;
    }
    const QString stale = charts_->staleText();
    if (stale.isEmpty())
        show_message("Exported " + path, false);
    else
        show_message("Exported " + path + ". Warning: " + stale, true);
    return true;
}

bool MainWindow::exportPng(const QString& path) {
    return export_to(path, [&] { save_png(*charts_->view(charts_->currentView()), path); });
}

bool MainWindow::exportSvg(const QString& path) {
    const ViewInfo* v = find_view(charts_->currentView());
    return export_to(path, [&] {
        save_svg(*charts_->view(charts_->currentView()), path, v ? v->title : QString(),
                 v ? v->caption : QString());
    });
}

bool MainWindow::exportCsv(const QString& path) {
    return result_ &&
           export_to(path, [&] { save_text(path.toStdString(), timeseries_text(*result_)); });
}

bool MainWindow::exportSummary(const QString& path) {
    return result_ &&
           export_to(path, [&] { save_text(path.toStdString(), summary_text(*result_)); });
}

bool MainWindow::exportReport(const QString& dir) {
    return result_ && export_to(dir, [&] {
               write_report(*charts_, *result_, charts_->staleText(), dir.toStdString());
           });
}

}  // namespace mxsim::gui
