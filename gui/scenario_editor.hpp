// scenario_editor.hpp - the panel that edits a scenario's main choices: run length,
// seed and replications, per-MTA policy, queue timers, mailbox rate limit, flood
// size and which variants run. Every edit is checked at once by mxsim's loader (scenario/);
// a bad value gets the loader's message at the top of the panel (always in view, above
// the scrolling fields), never a crash. The scenario's name and question head the panel.
// Offers ScenarioEditor over a ScenarioDocument it owns.
#pragma once

#include <functional>
#include <optional>
#include <vector>

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QVBoxLayout>
#include <QWidget>

#include "gui/scenario_document.hpp"

namespace mxsim::gui {

class ScenarioEditor : public QWidget {
    Q_OBJECT
  public:
    explicit ScenarioEditor(QWidget* parent = nullptr);

    void setDocument(ScenarioDocument document);
    bool hasDocument() const { return document_.has_value(); }
    ScenarioDocument& document() { return *document_; }
    const Validation& validation() const { return validation_; }
    // The message shown above the fields ("" when the scenario is valid).
    QString message() const { return message_->text(); }
    const QLabel* messageLabel() const { return message_; }
    // The scenario's name and question, as the heading shows them (rich text).
    QString heading() const { return heading_->text(); }

    // For tests and scripted use: the editable field bound to a JSON pointer
    // relative to the chosen host ("mta/flavor"), worm ("rate_per_hour") or
    // the document ("/duration"), or nullptr.
    QWidget* field(const QString& key) const;
    // Types `text` into a text field (or sets a check box from "true"/"false",
    // a list from its item text), exactly as the user would.
    bool edit(const QString& key, const QString& text);

  signals:
    void validityChanged(bool valid);

  private:
    enum class Kind { Text, Integer, Number, Bool, Choice };
    enum class Scope { Document, Host, Worm };
    struct Field {
        QString key;  // "/duration", "mta/queue/queue_run_delay", "rate_per_hour"
        Scope scope;
        Kind kind;
        QWidget* widget;
        QFormLayout* form;
        QString fallback;  // shown when the key is absent: the loader's default
        QString flavor;    // queue keys: the flavor they belong to ("" for any)
    };

    QWidget* add(QFormLayout* form, const QString& label, const QString& key, Scope scope,
                 Kind kind, const QString& fallback = {}, const QStringList& choices = {},
                 const QString& flavor = {});
    // The range of expanded /hosts indices the chosen template entry stands for.
    std::pair<int, int> expanded_hosts() const;
    bool error_is_about(const Field& f) const;
    QString pointer(const Field& f) const;
    void load_fields();
    void field_edited(const Field& f);
    void revalidate();
    void rebuild_variants();
    void show_heading();
    void show_message(const QString& text);

    std::optional<ScenarioDocument> document_;
    Validation validation_;
    std::vector<Field> fields_;
    QComboBox* host_;
    QComboBox* worm_;
    QVBoxLayout* variants_;
    std::vector<QCheckBox*> variant_boxes_;
    QCheckBox* rate_limit_on_;
    QLabel* sweeps_;
    QLabel* heading_;      // name and question
    QLabel* description_;  // at the top of the scrolling fields
    QLabel* message_;
    bool loading_ = false;
};

}  // namespace mxsim::gui
