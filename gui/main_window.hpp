// main_window.hpp - mxsim-gui's window: teaching scenarios, the editor, Run/Cancel
// with progress, the chart views and the exports, with menus and shortcuts (File, Run,
// View, Help). Offers MainWindow; its public slots are what the menus do, so tests,
// --screenshot and --report drive it the same way.
#pragma once

#include <functional>
#include <memory>

#include <QLabel>
#include <QListWidget>
#include <QMainWindow>
#include <QMenu>
#include <QProgressBar>

#include "gui/chart_panel.hpp"
#include "gui/run_controller.hpp"
#include "gui/scenario_editor.hpp"

namespace mxsim::gui {

class MainWindow : public QMainWindow {
    Q_OBJECT
  public:
    // Remember: restore the last geometry, and keep the geometry and the recent
    // files in the settings (app_settings.hpp). Forget: neither (--screenshot, --report).
    enum class Memory { Remember, Forget };

    explicit MainWindow(Memory memory = Memory::Remember);

    ScenarioEditor* editor() const { return editor_; }
    ChartPanel* charts() const { return charts_; }
    RunController* controller() const { return controller_; }
    std::shared_ptr<const ExperimentResult> result() const { return result_; }
    // The last error or notice shown in the status area ("" when none).
    QString lastMessage() const { return message_->text(); }
    // Why the results shown no longer match the editor ("" when they do).
    QString staleReason() const { return charts_->staleText(); }
    // The action called `name` ("open", "run", "view_ndr", ...: objectName), or nullptr.
    QAction* action(const QString& name) const;
    const QMenu* recentMenu() const { return recent_; }

  public slots:
    // Each returns false and shows why in the status area; none throws.
    bool openScenario(const QString& path);
    bool saveScenario(const QString& path);
    bool startRun();
    void cancelRun();
    bool exportPng(const QString& path);  // the current chart view
    bool exportSvg(const QString& path);
    bool exportCsv(const QString& path);
    bool exportSummary(const QString& path);
    bool exportReport(const QString& dir);  // as --report writes it

  signals:
    void runEnded();  // finished, failed or cancelled

  protected:
    void closeEvent(QCloseEvent* event) override;

  private:
    QAction* add_action(QMenu* menu, const QString& name, const QString& text,
                        const QList<QKeySequence>& keys, const std::function<void()>& done);
    void build_file_menu();
    void build_run_menu();
    void build_view_menu();
    void build_help_menu();
    void build_toolbar();
    void build_teaching_list();
    void build_layout();
    void rebuild_recent_menu();
    QString ask_save_path(const QString& title, const QString& name, const QString& filter);
    void show_message(const QString& text, bool error);
    // Runs `write`; shows "Exported PATH" (with a warning when the results are stale)
    // or why it failed.
    bool export_to(const QString& path, const std::function<void()>& write);
    void update_actions();
    void update_stale();
    void on_progress(const experiment::ProgressState& s);
    void on_finished(std::shared_ptr<const ExperimentResult> result);
    void on_cancelled();

    const Memory memory_;
    ScenarioEditor* editor_;
    ChartPanel* charts_;
    RunController* controller_;
    QListWidget* teaching_;
    QProgressBar* progress_;
    QLabel* rate_;
    QLabel* message_;
    QMenu* recent_ = nullptr;
    QMenu* export_ = nullptr;
    QList<QAction*> exports_;
    QList<QAction*> views_;
    std::shared_ptr<const ExperimentResult> result_;
};

}  // namespace mxsim::gui
