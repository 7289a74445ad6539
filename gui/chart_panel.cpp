// chart_panel.cpp - builds every chart of a result with charts.hpp and shows it in a tab.
#include "gui/chart_panel.hpp"

#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

#include "gui/chart_data.hpp"
#include "gui/charts.hpp"
#include "gui/explain_view.hpp"
#include "sim/sim_time.hpp"

namespace mxsim::gui {
namespace {

const QStringList kTabTitles{"NDR volume",   "Message fates",       "Legitimate mail lost",
                             "Queue depth",  "Backscatter victims", "Rate-limit sweep",
                             "Teaching view"};

// "limit_per_hour=50" -> "limit_per_hour"
QString sweep_name(const std::vector<std::string>& points) {
    if (points.empty() || points.front().empty()) return "sweep point";
    const std::string& p = points.front();
    return QString::fromStdString(p.find(';') == std::string::npos ? p.substr(0, p.find('='))
                                                                   : std::string("sweep point"));
}

}  // namespace

const QStringList& ChartPanel::viewNames() {
    static const QStringList names{"ndr", "fates", "lost", "queue", "victims", "sweep", "explain"};
    return names;
}

ChartPanel::ChartPanel(QWidget* parent)
    : QWidget(parent),
      tabs_(new QTabWidget),
      point_(new QComboBox),
      origin_(new QComboBox),
      top_(new QSpinBox),
      variant_(new QComboBox),
      explain_(new ExplainView) {
    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel("Sweep point:"));
    controls->addWidget(point_);
    controls->addWidget(new QLabel("Victims shown:"));
    top_->setRange(1, 100);
    top_->setValue(10);
    controls->addWidget(top_);
    controls->addWidget(new QLabel("Fates of:"));
    origin_->addItem("all messages", -1);
    for (std::size_t o = 0; o < model::kOriginCount; ++o)
        origin_->addItem(QString::fromUtf8(model::kOriginNames[o].data(),
                                           static_cast<int>(model::kOriginNames[o].size())),
                         static_cast<int>(o));
    controls->addWidget(origin_);
    controls->addWidget(new QLabel("Queues of:"));
    variant_->setObjectName("queue_variant");
    controls->addWidget(variant_);
    controls->addStretch();
    point_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    origin_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    variant_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    for (int i = 0; i + 1 < viewNames().size(); ++i) {
        auto* view = new QChartView;
        view->setRenderHint(QPainter::Antialiasing);
        view->setObjectName(viewNames()[i]);
        view->setChart(make_empty_chart(kTabTitles[i], "press Run to see results"));
        charts_.push_back(view);
        tabs_->addTab(view, kTabTitles[i]);
    }
    explain_->setObjectName("explain");
    tabs_->addTab(explain_, kTabTitles.back());
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addWidget(tabs_);
    const auto changed = [this] { rebuild(); };
    connect(point_, &QComboBox::currentIndexChanged, this, changed);
    connect(origin_, &QComboBox::currentIndexChanged, this, changed);
    connect(variant_, &QComboBox::currentIndexChanged, this, changed);
    connect(top_, &QSpinBox::valueChanged, this, changed);
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
    point_->setEnabled(point_->count() > 1);
    variant_->setEnabled(variant_->count() > 1);
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
    const QString reps =
        r.replications() > 1
            ? QString(", mean of %1 replications with 95% band").arg(r.replications())
            : QString(", 1 replication");
    const auto fate_origin = origin < 0
                                 ? std::nullopt
                                 : std::optional<model::Origin>(static_cast<model::Origin>(origin));
    const QString origin_text = origin < 0 ? QString("all messages") : origin_->currentText();
    const auto v = static_cast<std::size_t>(std::max(0, variant_->currentIndex()));
    const MtaQueues queues = queue_per_mta(r, v, p, kQueueLinesShown);
    const QString queue_title =
        "Messages queued per MTA, " + variant_->currentText() + " (time-weighted mean per " + bin +
        ")" +
        (r.replications() > 1 ? QString(", mean of %1 replications").arg(r.replications())
                              : QString(", 1 replication")) +
        at +
        (queues.hidden == 0 ? QString()
                            : QString("<br>the %1 MTAs with the highest peak; %2 more not shown")
                                  .arg(queues.shown.size())
                                  .arg(queues.hidden));
    QChart* charts[] = {
        make_time_chart("NDRs generated per " + bin + reps + at, ndr_volume(r, p), "NDRs"),
        make_fates_chart("Message fates (" + origin_text + ")" + at, fates(r, p, fate_origin)),
        make_time_chart(
            "Legitimate mail lost (bounced, rejected, expired or dropped) per " + bin + reps + at,
            legit_lost_over_time(r, p), "messages lost"),
        queues.shown.empty() ? make_empty_chart(queue_title, "no MTA queued any mail")
                             : make_time_chart(queue_title, queues.shown, "messages queued", false),
        make_victims_chart(
            "Backscatter received, top " + QString::number(top_->value()) + " victims" + at,
            backscatter_victims(r, p, static_cast<std::size_t>(top_->value()))),
        make_sweep_chart("Rate-limit effect: backscatter absorbed and legitimate mail lost",
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
