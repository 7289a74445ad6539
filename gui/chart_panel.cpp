// chart_panel.cpp - builds every chart of a result with charts.hpp and shows it in a tab.
#include "gui/chart_panel.hpp"

#include <QFileInfo>
#include <QHBoxLayout>
#include <QTabBar>
#include <QVBoxLayout>

#include "gui/chart_data.hpp"
#include "gui/charts.hpp"
#include "gui/explain_view.hpp"
#include "gui/views.hpp"
#include "sim/sim_time.hpp"

namespace mxsim::gui {
namespace {

// "limit_per_hour=50" -> "limit_per_hour"
QString sweep_name(const std::vector<std::string>& points) {
    if (points.empty() || points.front().empty()) return "sweep point";
    const std::string& p = points.front();
    return QString::fromStdString(p.find(';') == std::string::npos ? p.substr(0, p.find('='))
                                                                   : std::string("sweep point"));
}

QString replications_text(std::size_t n, bool bands) {
    if (n < 2) return ", 1 replication";
    return QString(", mean of %1 replications").arg(n) + (bands ? " with 95% band" : "");
}

}  // namespace

QStringList ChartPanel::viewNames() {
    return view_names();
}

ChartPanel::ChartPanel(QWidget* parent)
    : QWidget(parent),
      heading_(new QLabel),
      stale_(new QLabel),
      tabs_(new QTabWidget),
      point_(new QComboBox),
      origin_(new QComboBox),
      top_(new QSpinBox),
      variant_(new QComboBox),
      point_box_(labelled("Sweep point:", point_)),
      origin_box_(labelled("Fates of:", origin_)),
      top_box_(labelled("Victims shown:", top_)),
      variant_box_(labelled("Queues of:", variant_)),
      explain_(new ExplainView) {
    heading_->setObjectName("results_heading");
    heading_->setWordWrap(true);
    heading_->setTextFormat(Qt::RichText);
    stale_->setObjectName("stale_banner");
    stale_->setWordWrap(true);
    stale_->setStyleSheet(
        "background: #fff3cd; color: #664d03; border: 1px solid #e0b000; padding: 4px;");
    stale_->setVisible(false);
    top_->setRange(1, 100);
    top_->setValue(10);
    origin_->addItem("all messages", -1);
    for (std::size_t o = 0; o < model::kOriginCount; ++o)
        origin_->addItem(QString::fromUtf8(model::kOriginNames[o].data(),
                                           static_cast<int>(model::kOriginNames[o].size())),
                         static_cast<int>(o));
    variant_->setObjectName("queue_variant");
    for (QComboBox* c : {point_, origin_, variant_}) {
        c->setSizeAdjustPolicy(QComboBox::AdjustToContents);
        c->setMaximumWidth(320);
    }
    auto* controls = new QHBoxLayout;
    controls->setContentsMargins(0, 0, 0, 0);
    for (QWidget* box : {point_box_, origin_box_, top_box_, variant_box_})
        controls->addWidget(box);
    controls->addStretch();

    tabs_->setUsesScrollButtons(true);  // tabs never widen the window; they scroll
    tabs_->setElideMode(Qt::ElideRight);
    const std::vector<ViewInfo>& views = result_views();
    for (std::size_t i = 0; i + 1 < views.size(); ++i) {
        auto* view = new QChartView;
        view->setRenderHint(QPainter::Antialiasing);
        view->setObjectName(views[i].name);
        view->setChart(make_empty_chart(views[i].title, "Press Run to see results"));
        charts_.push_back(view);
        tabs_->addTab(view, views[i].tab);
    }
    explain_->setObjectName("explain");
    tabs_->addTab(explain_, views.back().tab);
    for (int i = 0; i < tabs_->count(); ++i) {
        const ViewInfo& v = views[static_cast<std::size_t>(i)];
        tabs_->setTabToolTip(i, QString("%1 (Ctrl+%2): %3").arg(v.title).arg(i + 1).arg(v.caption));
    }

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(heading_);
    layout->addWidget(stale_);
    layout->addLayout(controls);
    layout->addWidget(tabs_, 1);
    const auto changed = [this] { rebuild(); };
    connect(point_, &QComboBox::currentIndexChanged, this, changed);
    connect(origin_, &QComboBox::currentIndexChanged, this, changed);
    connect(variant_, &QComboBox::currentIndexChanged, this, changed);
    connect(top_, &QSpinBox::valueChanged, this, changed);
    connect(tabs_, &QTabWidget::currentChanged, this, [this] {
        show_controls();
        emit currentViewChanged(currentView());
    });
    show_heading();
    show_controls();
}

QWidget* ChartPanel::labelled(const QString& label, QWidget* control) {
    auto* box = new QWidget;
    auto* row = new QHBoxLayout(box);
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(new QLabel(label));
    row->addWidget(control);
    return box;
}

// Each choice is shown with the views it changes; the sweep point only when there is one
// to choose.
void ChartPanel::show_controls() {
    const QString v = currentView();
    point_box_->setVisible(point_->count() > 1 && v != "sweep" && v != "delay" && v != "explain");
    origin_box_->setVisible(v == "fates");
    top_box_->setVisible(v == "victims");
    variant_box_->setVisible(v == "queue");
}

void ChartPanel::show_heading() {
    if (!result_) {
        heading_->setText("<i>No results yet: open a scenario and press Run.</i>");
        return;
    }
    const model::Scenario& s = result_->experiment.baseline();
    const QString file = QFileInfo(QString::fromStdString(result_->meta.scenario_file)).fileName();
    heading_->setText(
        "<b>Results of " + QString::fromStdString(s.name).toHtmlEscaped() + "</b> <small>(" +
        file.toHtmlEscaped() + ", seed " + QString::number(result_->meta.seed) +
        replications_text(result_->replications(), false).toHtmlEscaped() + ")</small>" +
        (s.question.empty() ? QString()
                            : "<br>" + QString::fromStdString(s.question).toHtmlEscaped()));
}

void ChartPanel::setStale(const QString& why) {
    stale_->setText(why);
    stale_->setVisible(!why.isEmpty());
}

QString ChartPanel::staleText() const {
    return stale_->isVisibleTo(this) ? stale_->text() : QString();
}

void ChartPanel::setResult(std::shared_ptr<const ExperimentResult> result) {
    result_ = std::move(result);
    explain_->setExperiment(result_ ? &result_->experiment : nullptr,
                            result_ ? result_->meta.seed : 0);
    const QSignalBlocker point_blocker(point_);
    const QSignalBlocker variant_blocker(variant_);
    const QString variant = variant_->currentText();  // kept when the new result has it
    point_->clear();
    variant_->clear();
    if (result_) {
        for (const std::string& p : result_->experiment.sweep_points)
            point_->addItem(p.empty() ? QString("(no sweep)") : QString::fromStdString(p));
        for (const std::string& v : result_->experiment.variants)
            variant_->addItem(QString::fromStdString(v));
        variant_->setCurrentIndex(std::max(0, variant_->findText(variant)));
    }
    variant_->setEnabled(variant_->count() > 1);
    show_heading();
    show_controls();
    rebuild();
}

void ChartPanel::rebuild() {
    if (!result_) return;
    const ExperimentResult& r = *result_;
    const auto p = static_cast<std::size_t>(std::max(0, point_->currentIndex()));
    const int origin = origin_->currentData().toInt();
    const QString at = r.points() > 1 ? ", " + point_->currentText() : QString();
    const QString bin =
        QString::fromStdString(sim::format_duration(r.runs.front().bin_width)) + " bin";
    const QString reps = replications_text(r.replications(), true);
    const auto fate_origin = origin < 0
                                 ? std::nullopt
                                 : std::optional<model::Origin>(static_cast<model::Origin>(origin));
    const QString origin_text = origin < 0 ? QString("all messages") : origin_->currentText();
    const auto v = static_cast<std::size_t>(std::max(0, variant_->currentIndex()));
    const MtaQueues queues = queue_per_mta(r, v, p, kQueueLinesShown);
    const QString queue_title =
        "Messages queued per MTA, " + variant_->currentText() + " (time-weighted mean per " + bin +
        ")" + replications_text(r.replications(), false) + at +
        (queues.hidden == 0 ? QString()
                            : QString("<br>the %1 MTAs with the highest peak; %2 more not shown")
                                  .arg(queues.shown.size())
                                  .arg(queues.hidden));
    const QString delay_title =
        "Legitimate mail delay: median and 95th percentile" +
        QString(r.points() > 1 ? " (dashed) against the swept value" : " over the whole run") +
        reps +
        "<br>mail still queued at the end counts at its wait so far (a lower bound); mail lost "
        "is not counted";
    QChart* charts[] = {
        make_time_chart("NDRs generated per " + bin + reps + at, ndr_volume(r, p), "NDRs", true,
                        "No NDRs in this run"),
        make_fates_chart("Message fates (" + origin_text + ")" + at, fates(r, p, fate_origin)),
        make_time_chart(
            "Legitimate mail lost (bounced, rejected, expired or dropped) per " + bin + reps + at,
            legit_lost_over_time(r, p), "messages lost", true,
            "No legitimate mail lost in this run"),
        make_delay_chart(delay_title, legit_delay(r), sweep_name(r.experiment.sweep_points)),
        make_queue_chart(queue_title, queues),
        make_victims_chart(
            "Backscatter received, top " + QString::number(top_->value()) + " victims" + at,
            backscatter_victims(r, p, static_cast<std::size_t>(top_->value()))),
        make_sweep_chart("Rate-limit effect: backscatter absorbed and legitimate mail lost" + reps,
                         rate_limit_sweep(r), sweep_name(r.experiment.sweep_points)),
    };
    for (std::size_t i = 0; i < charts_.size(); ++i) {
        QChart* old = charts_[i]->chart();
        charts_[i]->setChart(charts[i]);
        delete old;
    }
}

bool ChartPanel::setCurrentView(const QString& name) {
    const int i = static_cast<int>(viewNames().indexOf(name));
    if (i < 0) return false;
    tabs_->setCurrentIndex(i);
    return true;
}

QString ChartPanel::currentView() const {
    return viewNames().value(tabs_->currentIndex());
}

QWidget* ChartPanel::view(const QString& name) const {
    const int i = static_cast<int>(viewNames().indexOf(name));
    return i < 0 ? nullptr : tabs_->widget(i);
}

QChartView* ChartPanel::chartView(const QString& name) const {
    const int i = static_cast<int>(viewNames().indexOf(name));
    return i < 0 || static_cast<std::size_t>(i) >= charts_.size()
               ? nullptr
               : charts_[static_cast<std::size_t>(i)];
}

}  // namespace mxsim::gui
