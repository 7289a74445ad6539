// chart_panel.hpp - the views of a result: one tab per chart plus the teaching view,
// headed by the name and question of the scenario whose results they are (and a banner
// when those no longer match the editor), with the choices that pick what a view shows
// (sweep point, origin, victims shown, the variant whose queues are drawn).
// Offers ChartPanel: setResult(), setStale(), the views by name, and the chart in each.
#pragma once

#include <memory>

#include <QChartView>
#include <QComboBox>
#include <QLabel>
#include <QSpinBox>
#include <QStringList>
#include <QTabWidget>
#include <QWidget>

#include "gui/experiment_result.hpp"

namespace mxsim::gui {

class ExplainView;

class ChartPanel : public QWidget {
    Q_OBJECT
  public:
    // The queue view draws this many MTAs (those with the highest peak) at most:
    // as many as the palette has distinct colours.
    static constexpr std::size_t kQueueLinesShown = 8;

    explicit ChartPanel(QWidget* parent = nullptr);

    // The views' names (views.hpp), in tab order.
    static QStringList viewNames();

    void setResult(std::shared_ptr<const ExperimentResult> result);
    const ExperimentResult* result() const { return result_.get(); }
    // Shows `why` in a banner over the views; "" hides it.
    void setStale(const QString& why);
    // The banner's text while it is shown, else "".
    QString staleText() const;
    const QLabel* staleBanner() const { return stale_; }
    // The name and question of the scenario whose results are shown (rich text).
    QString heading() const { return heading_->text(); }

    bool setCurrentView(const QString& name);  // false for an unknown name
    QString currentView() const;
    QWidget* view(const QString& name) const;
    // The chart view of a chart tab, or nullptr (the teaching view has none).
    QChartView* chartView(const QString& name) const;
    ExplainView* explainView() const { return explain_; }
    const QTabWidget* tabs() const { return tabs_; }

  signals:
    void currentViewChanged(const QString& name);

  private:
    QWidget* labelled(const QString& label, QWidget* control);
    void show_controls();
    void show_heading();
    void rebuild();

    std::shared_ptr<const ExperimentResult> result_;
    QLabel* heading_;
    QLabel* stale_;
    QTabWidget* tabs_;
    QComboBox* point_;
    QComboBox* origin_;
    QSpinBox* top_;
    QComboBox* variant_;  // whose queues the queue view draws, one line per MTA
    QWidget* point_box_;  // each choice with its label, shown with the views it serves
    QWidget* origin_box_;
    QWidget* top_box_;
    QWidget* variant_box_;
    std::vector<QChartView*> charts_;  // by viewNames() index, the last (explain) excluded
    ExplainView* explain_;
};

}  // namespace mxsim::gui
