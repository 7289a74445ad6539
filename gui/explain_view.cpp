// explain_view.cpp - experiment::tell_story in the background, shown as a table and as text.
#include "gui/explain_view.hpp"

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QSplitter>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrent>

#include "experiment/explain.hpp"
#include "sim/sim_time.hpp"

namespace mxsim::gui {
namespace {

// The query as `mxsim explain` takes it: digits are a message id, else an address.
experiment::ExplainQuery parse_query(const QString& text) {
    experiment::ExplainQuery q;
    bool number = false;
    const uint id = text.trimmed().toUInt(&number);
    if (number)
        q.message = id;
    else
        q.address = text.trimmed().toStdString();
    return q;
}

QString reply_of(const model::TraceRecord& t) {
    if (t.code == 0) return t.enhanced.empty() ? QString() : QString::fromStdString(t.enhanced);
    return QString::number(t.code) +
           (t.enhanced.empty() ? "" : " " + QString::fromStdString(t.enhanced));
}

}  // namespace

ExplainView::ExplainView(QWidget* parent)
    : QWidget(parent),
      variant_(new QComboBox),
      query_(new QLineEdit("0")),
      button_(new QPushButton("Tell the story")),
      status_(new QLabel("Run a scenario, then ask for the story of a message id or an address.")),
      table_(new QTableWidget(0, 7)),
      story_(new QPlainTextEdit) {
    query_->setPlaceholderText("message id (0, 1, ...) or address (joe@victim.example, <>)");
    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel("Variant:"));
    controls->addWidget(variant_);
    controls->addWidget(new QLabel("Message or address:"));
    controls->addWidget(query_, 1);
    controls->addWidget(button_);
    table_->setHorizontalHeaderLabels(
        {"time", "message", "step", "between", "SMTP reply", "outcome", "why (the rule)"});
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->verticalHeader()->setVisible(false);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setWordWrap(true);
    story_->setReadOnly(true);
    story_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    auto* split = new QSplitter(Qt::Vertical);
    split->addWidget(table_);
    split->addWidget(story_);
    status_->setWordWrap(true);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addWidget(status_);
    layout->addWidget(split, 1);
    button_->setEnabled(false);
    connect(button_, &QPushButton::clicked, this, &ExplainView::tell);
    connect(query_, &QLineEdit::returnPressed, this, &ExplainView::tell);
    connect(&watcher_, &QFutureWatcher<experiment::Story>::finished, this,
            &ExplainView::show_story);
}

void ExplainView::setExperiment(const format::Experiment* experiment, std::uint64_t seed) {
    watcher_.waitForFinished();  // a story in flight may still read the old experiment
    experiment_ = experiment;
    seed_ = seed;
    variant_->clear();
    if (experiment_)
        for (const std::string& v : experiment_->variants)
            variant_->addItem(QString::fromStdString(v));
    button_->setEnabled(experiment_ != nullptr);
}

void ExplainView::setQuery(const QString& query) {
    query_->setText(query);
}

void ExplainView::tell() {
    if (!experiment_ || busy()) return;
    const experiment::ExplainQuery q = parse_query(query_->text());
    if (!q.message && q.address->empty()) {
        status_->setText("Say which story: a message id or an address.");
        emit told();
        return;
    }
    const auto v = static_cast<std::size_t>(std::max(0, variant_->currentIndex()));
    const model::Scenario scenario = experiment_->at(v, 0);
    status_->setText("Running " + variant_->currentText() + " with every message traced...");
    button_->setEnabled(false);
    const std::uint64_t seed = seed_;
    watcher_.setFuture(QtConcurrent::run(
        [scenario, seed, q] { return experiment::tell_story(scenario, seed, q); }));
}

void ExplainView::show_story() {
    button_->setEnabled(experiment_ != nullptr);
    experiment::Story story;
    try {
        story = watcher_.result();  // rethrows what tell_story threw
    } catch (const std::exception& e) {
        status_->setText(QString("No story: ") + e.what());
        table_->setRowCount(0);
        story_->clear();
        emit told();
        return;
    }
    status_->setText(QString::number(story.selected.size()) + " message(s), " +
                     QString::number(story.steps.size()) +
                     " step(s); the replies are those of replication 0 with the run's seed.");
    table_->setRowCount(static_cast<int>(story.steps.size()));
    for (std::size_t i = 0; i < story.steps.size(); ++i) {
        const model::TraceRecord& t = story.steps[i];
        const QString cells[] = {
            QString::fromStdString(sim::format_duration(t.t - t.t % sim::kSecond)),
            QString::number(t.msg) +
                (t.parent == model::kNoMessage ? "" : " (about " + QString::number(t.parent) + ")"),
            QString::fromStdString(t.stage),
            QString::fromStdString(t.from + (t.to.empty() ? "" : " -> " + t.to)),
            reply_of(t) + (t.reason.empty() ? "" : ": " + QString::fromStdString(t.reason)),
            QString::fromStdString(t.action),
            QString::fromStdString(experiment::rule_behind(t))};
        for (int c = 0; c < 7; ++c)
            table_->setItem(static_cast<int>(i), c, new QTableWidgetItem(cells[c]));
    }
    for (const int c : {0, 1, 2, 3, 5})
        table_->resizeColumnToContents(c);
    table_->setColumnWidth(4, 320);
    table_->resizeRowsToContents();
    story_->setPlainText(QString::fromStdString(story.text));
    emit told();
}

}  // namespace mxsim::gui
