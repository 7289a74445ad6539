// explain_view.hpp - the teaching view: the `mxsim explain` story of a message or
// an address as a timeline, each SMTP reply with the rule behind the decision.
// Offers ExplainView: pick a variant and a message id or address, then tell().
#pragma once

#include <cstdint>

#include <QComboBox>
#include <QFutureWatcher>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QWidget>

#include "experiment/explain.hpp"
#include "scenario/experiment_file.hpp"

namespace mxsim::gui {

class ExplainView : public QWidget {
    Q_OBJECT
  public:
    explicit ExplainView(QWidget* parent = nullptr);

    // The experiment whose scenarios the stories run (not owned; nullptr: none).
    void setExperiment(const format::Experiment* experiment, std::uint64_t seed);
    // "7" for message 7, anything else an address ("joe@victim.example", "<>").
    void setQuery(const QString& query);
    // Runs the chosen variant in the background (replication 0, every message
    // traced) and shows the story; emits told() when it is shown or failed.
    void tell();
    bool busy() const { return watcher_.isRunning(); }

    const QTableWidget* timeline() const { return table_; }
    QString storyText() const { return story_->toPlainText(); }
    QString message() const { return status_->text(); }

  signals:
    void told();

  private:
    void show_story();

    const format::Experiment* experiment_ = nullptr;
    std::uint64_t seed_ = 0;
    QComboBox* variant_;
    QLineEdit* query_;
    QPushButton* button_;
    QLabel* status_;
    QTableWidget* table_;
    QPlainTextEdit* story_;
    QFutureWatcher<experiment::Story> watcher_;
};

}  // namespace mxsim::gui
