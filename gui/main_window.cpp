// main_window.cpp - wiring of the window: every action calls the engine (experiment/,
// scenario/) through the gui/ layers; nothing here simulates.
#include "gui/main_window.hpp"

#include <QFileDialog>
#include <QFileInfo>
#include <QScrollArea>
#include <QSplitter>
#include <QStatusBar>
#include <QThread>
#include <QToolBar>

#include "gui/exporter.hpp"
#include "gui/human_units.hpp"
#include "gui/teaching_scenarios.hpp"
#include "scenario/scenario_loader.hpp"

namespace mxsim::gui {
namespace {

constexpr const char* kVersion = "0.1.0";  // as `mxsim run` reports it

QString html_escape(const std::string& s) {
    return QString::fromStdString(s).toHtmlEscaped();
}

}  // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent),
      editor_(new ScenarioEditor),
      charts_(new ChartPanel),
      controller_(new RunController(this)),
      teaching_(new QListWidget),
      about_(new QTextBrowser),
      progress_(new QProgressBar),
      rate_(new QLabel),
      message_(new QLabel) {
    setWindowTitle("mxsim-gui");
    QToolBar* bar = addToolBar("main");
    bar->setObjectName("toolbar");
    bar->addAction("Open...", this, [this] {
        const QString path = QFileDialog::getOpenFileName(
            this, "Open a scenario", QString::fromStdString(bundled_scenario_dir()),
            "Scenarios (*.json)");
        if (!path.isEmpty()) openScenario(path);
    });
    save_ = bar->addAction("Save as...", this, [this] {
        const QString path =
            QFileDialog::getSaveFileName(this, "Save the scenario", {}, "Scenarios (*.json)");
        if (!path.isEmpty()) saveScenario(path);
    });
    bar->addSeparator();
    run_ = bar->addAction("Run", this, [this] { startRun(); });
    cancel_ = bar->addAction("Cancel", this, [this] { cancelRun(); });
    bar->addSeparator();
    exports_ << bar->addAction("Export chart PNG...", this, [this] {
        const QString path = QFileDialog::getSaveFileName(
            this, "Export the chart", charts_->currentView() + ".png", "PNG (*.png)");
        if (!path.isEmpty()) exportPng(path);
    });
    exports_ << bar->addAction("Export timeseries.csv...", this, [this] {
        const QString path =
            QFileDialog::getSaveFileName(this, "Export the data", "timeseries.csv", "CSV (*.csv)");
        if (!path.isEmpty()) exportCsv(path);
    });
    exports_ << bar->addAction("Export summary.json...", this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, "Export the result", "summary.json",
                                                          "JSON (*.json)");
        if (!path.isEmpty()) exportSummary(path);
    });

    for (const TeachingScenario& t : list_teaching_scenarios(bundled_scenario_dir())) {
        auto* item = new QListWidgetItem(QString::fromStdString(t.name));
        item->setData(Qt::UserRole, QString::fromStdString(t.path));
        item->setData(Qt::UserRole + 1, "<p><b>" + html_escape(t.question) + "</b></p><p>" +
                                            html_escape(t.description) + "</p>");
        item->setToolTip(QString::fromStdString(t.question));
        teaching_->addItem(item);
    }
    connect(teaching_, &QListWidget::currentItemChanged, this, [this](QListWidgetItem* item) {
        about_->setHtml(item ? item->data(Qt::UserRole + 1).toString() : QString());
    });
    connect(teaching_, &QListWidget::itemActivated, this,
            [this](QListWidgetItem* item) { openScenario(item->data(Qt::UserRole).toString()); });

    auto* left = new QSplitter(Qt::Vertical);
    auto* list_box = new QWidget;
    auto* list_layout = new QVBoxLayout(list_box);
    list_layout->setContentsMargins(0, 0, 0, 0);
    list_layout->addWidget(new QLabel("Teaching scenarios (double-click to open):"));
    list_layout->addWidget(teaching_);
    left->addWidget(list_box);
    left->addWidget(about_);
    auto* scroll = new QScrollArea;
    scroll->setWidget(editor_);
    scroll->setWidgetResizable(true);
    left->addWidget(scroll);
    left->setStretchFactor(2, 3);
    auto* main = new QSplitter(Qt::Horizontal);
    main->addWidget(left);
    main->addWidget(charts_);
    main->setStretchFactor(1, 3);
    main->setSizes({430, 1170});
    setCentralWidget(main);

    progress_->setRange(0, 1000);
    progress_->setMaximumWidth(240);
    message_->setWordWrap(true);
    statusBar()->addWidget(message_, 1);
    statusBar()->addPermanentWidget(rate_);
    statusBar()->addPermanentWidget(progress_);

    connect(editor_, &ScenarioEditor::validityChanged, this, [this] { update_actions(); });
    connect(controller_, &RunController::progress, this, &MainWindow::on_progress);
    connect(controller_, &RunController::finished, this, &MainWindow::on_finished);
    connect(controller_, &RunController::failed, this, [this](const QString& why) {
        show_message("The run failed: " + why, true);
        update_actions();
        emit runEnded();
    });
    connect(controller_, &RunController::cancelled, this, [this] {
        progress_->setValue(0);
        rate_->clear();
        show_message("Run cancelled.", false);
        update_actions();
        emit runEnded();
    });
    update_actions();
    resize(1400, 900);
}

void MainWindow::show_message(const QString& text, bool error) {
    message_->setStyleSheet(error ? "color: #d62728;" : "");
    message_->setText(text);
}

void MainWindow::update_actions() {
    const bool running = controller_->running();
    const bool valid = editor_->hasDocument() && editor_->validation().experiment.has_value();
    run_->setEnabled(!running && valid);
    cancel_->setEnabled(running);
    save_->setEnabled(editor_->hasDocument());
    for (QAction* a : exports_)
        a->setEnabled(result_ != nullptr);
    editor_->setEnabled(editor_->hasDocument() && !running);
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
        return false;
    }
    setWindowTitle("mxsim-gui - " + QFileInfo(path).fileName());
    for (int i = 0; i < teaching_->count(); ++i)
        if (QFileInfo(teaching_->item(i)->data(Qt::UserRole).toString()) == QFileInfo(path))
            teaching_->setCurrentRow(i);
    if (editor_->validation().experiment)
        show_message("Opened " + path + ". Press Run.", false);
    else
        show_message("The scenario has an error (see the editor): " + editor_->message(), true);
    update_actions();
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
    show_message("Saved " + path, false);
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
    RunRequest request{ex,
                       {ex.baseline().name,
                        doc.path(),
                        ex.content_hash,
                        ex.baseline().seed,
                        kVersion,
                        ex.warnings,
                        {}},
                       static_cast<unsigned>(std::max(1, QThread::idealThreadCount()))};
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
    emit runEnded();
}

bool MainWindow::export_to(const QString& path, const std::function<void()>& write) {
    try {
        write();
    } catch (const std::exception& e) {
        show_message(QString("Cannot export: ") + e.what(), true);
        return false;
    }
    show_message("Exported " + path, false);
    return true;
}

bool MainWindow::exportPng(const QString& path) {
    return export_to(path, [&] { save_png(*charts_->view(charts_->currentView()), path); });
}

bool MainWindow::exportCsv(const QString& path) {
    return result_ &&
           export_to(path, [&] { save_text(path.toStdString(), timeseries_text(*result_)); });
}

bool MainWindow::exportSummary(const QString& path) {
    return result_ &&
           export_to(path, [&] { save_text(path.toStdString(), summary_text(*result_)); });
}

}  // namespace mxsim::gui
