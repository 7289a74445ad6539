// main_window.hpp - mxsim-gui's window: teaching scenarios, the editor, Run/Cancel
// with progress, the chart views and the exports. Offers MainWindow; its public
// slots are what the toolbar does, so tests and --screenshot drive it the same way.
#pragma once

#include <functional>
#include <memory>

#include <QLabel>
#include <QListWidget>
#include <QMainWindow>
#include <QProgressBar>
#include <QTextBrowser>

#include "gui/chart_panel.hpp"
#include "gui/run_controller.hpp"
#include "gui/scenario_editor.hpp"

namespace mxsim::gui {

class MainWindow : public QMainWindow {
    Q_OBJECT
  public:
    explicit MainWindow(QWidget* parent = nullptr);

    ScenarioEditor* editor() const { return editor_; }
    ChartPanel* charts() const { return charts_; }
    RunController* controller() const { return controller_; }
    std::shared_ptr<const ExperimentResult> result() const { return result_; }
    // The last error or notice shown in the status area ("" when none).
    QString lastMessage() const { return message_->text(); }

  public slots:
    // Each returns false and shows why in the status area; none throws.
    bool openScenario(const QString& path);
    bool saveScenario(const QString& path);
    bool startRun();
    void cancelRun();
    bool exportPng(const QString& path);  // the current chart view
    bool exportCsv(const QString& path);
    bool exportSummary(const QString& path);

  signals:
    void runEnded();  // finished, failed or cancelled

  private:
    void show_message(const QString& text, bool error);
    // Runs `write`; shows "Exported PATH" or why it failed.
    bool export_to(const QString& path, const std::function<void()>& write);
    void update_actions();
    void on_progress(const experiment::ProgressState& s);
    void on_finished(std::shared_ptr<const ExperimentResult> result);

    ScenarioEditor* editor_;
    ChartPanel* charts_;
    RunController* controller_;
    QListWidget* teaching_;
    QTextBrowser* about_;
    QProgressBar* progress_;
    QLabel* rate_;
    QLabel* message_;
    QAction* run_;
    QAction* cancel_;
    QAction* save_;
    QList<QAction*> exports_;
    std::shared_ptr<const ExperimentResult> result_;
};

}  // namespace mxsim::gui
