// chart_panel.hpp - the views of a result: one tab per chart plus the teaching
// view, with the choices that pick what they show (sweep point, origin, victims
// shown, the variant whose queues are drawn).
// Offers ChartPanel: setResult(), the views by name, and the chart shown in each.
#pragma once

#include <memory>

#include <QChartView>
#include <QComboBox>
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

    // "ndr", "fates", "lost", "queue", "victims", "sweep", "explain": the tabs, in order.
    static const QStringList& viewNames();

    void setResult(std::shared_ptr<const ExperimentResult> result);
    const ExperimentResult* result() const { return result_.get(); }

    bool setCurrentView(const QString& name);  // false for an unknown name
    QString currentView() const;
    QWidget* view(const QString& name) const;
    // The chart view of a chart tab, or nullptr (the teaching view has none).
    QChartView* chartView(const QString& name) const;
    ExplainView* explainView() const { return explain_; }

  private:
    void rebuild();

    std::shared_ptr<const ExperimentResult> result_;
    QTabWidget* tabs_;
    QComboBox* point_;
    QComboBox* origin_;
    QSpinBox* top_;
    QComboBox* variant_;               // whose queues the queue view draws, one line per MTA
    std::vector<QChartView*> charts_;  // by viewNames() index, the last (explain) excluded
    ExplainView* explain_;
};

}  // namespace mxsim::gui
