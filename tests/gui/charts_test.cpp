// charts_test.cpp - a teaching scenario run in the window: every chart holds series
// whose values equal the run's own numbers (its comparison, i.e. summary.json).
#include <algorithm>
#include <cmath>

#include <QBarSet>
#include <QComboBox>
#include <QHorizontalBarSeries>
#include <QLineSeries>
#include <QRegularExpression>
#include <QStackedBarSeries>
#include <QValueAxis>

#include "gui/chart_data.hpp"
#include "gui/chart_panel.hpp"
#include "gui/explain_view.hpp"
#include "gui/human_units.hpp"
#include "gui_test_support.hpp"

using namespace mxsim;
using namespace mxsim::gui;

namespace {

double metric_mean(const ExperimentResult& r, std::size_t v, std::size_t p, const char* name) {
    for (std::size_t m = 0; m < r.comparison.metrics.size(); ++m)
        if (r.comparison.metrics[m] == name) return r.comparison.at(v, p, m).summary.mean;
    qFatal("no metric %s", name);
}

bool close(double a, double b) {
    return std::abs(a - b) <= 1e-9 * std::max(1.0, std::abs(b));
}

double peak(const Band& b) {
    return *std::max_element(b.mean.begin(), b.mean.end());
}

QLineSeries* line_named(QChart* chart, const QString& name) {
    for (QAbstractSeries* s : chart->series())
        if (auto* line = qobject_cast<QLineSeries*>(s); line && line->name() == name) return line;
    return nullptr;
}

template <class Series>
Series* first_of(QChart* chart) {
    for (QAbstractSeries* s : chart->series())
        if (auto* found = qobject_cast<Series*>(s)) return found;
    return nullptr;
}

// Each variant's line on the "lost" chart, added up; checked against legit.lost.
std::vector<double> lost_sums(QChart* chart, const ExperimentResult& r, std::size_t point) {
    std::vector<double> sums;
    for (std::size_t v = 0; v < r.experiment.variants.size(); ++v) {
        QLineSeries* line = line_named(chart, QString::fromStdString(r.experiment.variants[v]));
        if (!line) qFatal("no line for variant %zu", v);
        double sum = 0;
        for (const QPointF& p : line->points())
            sum += p.y();
        if (!close(sum, metric_mean(r, v, point, "legit.lost"))) qFatal("variant %zu: lost", v);
        sums.push_back(sum);
    }
    return sums;
}

}  // namespace

class ChartsTest : public QObject {
    Q_OBJECT
    MainWindow window_;       // klez-flood
    MainWindow rateLimited_;  // mailbox-rate-limit: a sweep, and legitimate mail lost

  private slots:
    void initTestCase() {
        QVERIFY(window_.openScenario(test::scenario("klez-flood.json")));
        QVERIFY(window_.editor()->edit("/replications", "2"));  // keeps the test short
        QCOMPARE(window_.editor()->message(), QString());
        QVERIFY(test::run_to_end(window_));
        QCOMPARE(window_.result()->experiment.variants.size(), std::size_t{3});
        QCOMPARE(window_.result()->replications(), std::size_t{2});
        QVERIFY(rateLimited_.openScenario(test::scenario("mailbox-rate-limit.json")));
        QVERIFY(rateLimited_.editor()->edit("/replications", "1"));
        QVERIFY(rateLimited_.editor()->edit("/duration", "1d"));
        QVERIFY(test::run_to_end(rateLimited_));
    }

    void axesAndTooltipsUseHumanUnits() {
        QCOMPARE(time_unit_for(2 * 3600.0).name, QString("minutes"));
        QCOMPARE(time_unit_for(2 * 86400.0).name, QString("hours"));
        QCOMPARE(time_unit_for(7 * 86400.0).name, QString("days"));
        QCOMPARE(format_count(1234567), QString("1,234,567"));
        QCOMPARE(format_count(1234.56), QString("1,234.6"));
        QCOMPARE(format_count(0.0125), QString("0.013"));
        QCOMPARE(format_time(5400, time_unit_for(86400)), QString("1.50 h"));
        // The NDR chart's axes: hours for a 2-day run, counts with separators.
        QChart* chart = window_.charts()->chartView("ndr")->chart();
        const auto* x = qobject_cast<QValueAxis*>(chart->axes(Qt::Horizontal).front());
        QVERIFY(x->titleText().contains("hours"));
        QCOMPARE(x->max(), 48.0);
        QVERIFY(chart->localizeNumbers());
    }

    void ndrLinesSumToTheNdrsOfTheSummary() {
        const ExperimentResult& r = *window_.result();
        QChart* chart = window_.charts()->chartView("ndr")->chart();
        double bouncers = 0;
        for (std::size_t v = 0; v < r.experiment.variants.size(); ++v) {
            QLineSeries* line = line_named(chart, QString::fromStdString(r.experiment.variants[v]));
            QVERIFY(line);
            QCOMPARE(static_cast<std::size_t>(line->count()),
                     r.run(v, 0, 0).ndrs_generated_per_bin.size());
            double sum = 0;
            for (const QPointF& p : line->points())
                sum += p.y();
            QCOMPARE(sum, metric_mean(r, v, 0, "ndrs_generated"));
            bouncers += sum;
        }
        QVERIFY(bouncers > 0);  // the variants that bounce did produce NDRs
        QCOMPARE(metric_mean(r, 0, 0, "ndrs_generated"), 0.0);  // all reject at RCPT
        // x is in hours for a 2-day run: the last bin starts at 46 h.
        QCOMPARE(line_named(chart, "baseline")->points().back().x(), 46.0);
    }

    void fateBarsEqualTheFateCounts() {
        const ExperimentResult& r = *window_.result();
        QChart* chart = window_.charts()->chartView("fates")->chart();
        auto* bars = first_of<QStackedBarSeries>(chart);
        QVERIFY(bars);
        const StackedBars expected = fates(r, 0);
        QCOMPARE(static_cast<std::size_t>(bars->count()), expected.sets.size());
        for (int s = 0; s < bars->count(); ++s) {
            QBarSet* set = bars->barSets()[s];
            QCOMPARE(set->label().toStdString(), expected.sets[static_cast<std::size_t>(s)].first);
            for (std::size_t v = 0; v < r.experiment.variants.size(); ++v)
                QCOMPARE(set->at(static_cast<int>(v)),
                         expected.sets[static_cast<std::size_t>(s)].second[v]);
        }
        // The same counts, per origin, are the summary's metrics.
        for (std::size_t v = 0; v < r.experiment.variants.size(); ++v) {
            const StackedBars worm = fates(r, 0, model::Origin::Worm);
            for (const auto& [fate, values] : worm.sets)
                if (fate == "rejected") QCOMPARE(values[v], metric_mean(r, v, 0, "worm.rejected"));
            const StackedBars legit = fates(r, 0, model::Origin::Legit);
            for (const auto& [fate, values] : legit.sets)
                if (fate == "delivered")
                    QCOMPARE(values[v], metric_mean(r, v, 0, "legit.delivered"));
        }
    }

    void queueLinesArePerMtaSeriesAndAddUpToTheTotal() {
        const ExperimentResult& r = *window_.result();
        for (std::size_t v = 0; v < r.experiment.variants.size(); ++v) {
            // Every MTA: its line is the mean of its queued_mean.<host> series over
            // the replications (0 where its queue stayed empty), and the lines add up
            // to the queue of all MTAs together.
            const MtaQueues all = queue_per_mta(r, v, 0, SIZE_MAX);
            QCOMPARE(all.hidden, std::size_t{0});
            QVERIFY(!all.shown.empty());
            const std::vector<double>& total0 = r.run(v, 0, 0).queued_mean_per_bin;
            std::vector<double> sum(total0.size(), 0.0);
            for (const Band& b : all.shown) {
                QCOMPARE(b.mean.size(), total0.size());
                const auto* s0 = model::find_series(r.run(v, 0, 0).series, "queued_mean." + b.name);
                const auto* s1 = model::find_series(r.run(v, 0, 1).series, "queued_mean." + b.name);
                QVERIFY(s0 || s1);
                for (std::size_t i = 0; i < b.mean.size(); ++i) {
                    const double expected =
                        ((s0 ? s0->bins[i] : 0.0) + (s1 ? s1->bins[i] : 0.0)) / 2;
                    QVERIFY(close(b.mean[i], expected));
                    sum[i] += b.mean[i];
                }
            }
            const std::vector<Band> total = queue_depth(r, 0);
            for (std::size_t i = 0; i < sum.size(); ++i)
                QVERIFY2(close(sum[i], total[v].mean[i]), qPrintable(QString("bin %1").arg(i)));
            // The top N: the first N of the ranking, highest peak first.
            const MtaQueues top = queue_per_mta(r, v, 0, ChartPanel::kQueueLinesShown);
            QCOMPARE(top.shown.size() + top.hidden, all.shown.size());
            for (std::size_t m = 0; m < top.shown.size(); ++m)
                QCOMPARE(top.shown[m].name, all.shown[m].name);
            for (std::size_t m = 1; m < all.shown.size(); ++m)
                QVERIFY(peak(all.shown[m - 1]) >= peak(all.shown[m]));
        }
        // The chart draws the chosen variant's top MTAs, one line each, and says how
        // many it leaves out (klez-flood has more MTAs that queue than lines shown).
        auto* variant = window_.charts()->findChild<QComboBox*>("queue_variant");
        QVERIFY(variant);
        QCOMPARE(variant->count(), 3);
        for (int v = 0; v < 3; ++v) {
            variant->setCurrentIndex(v);
            QChart* chart = window_.charts()->chartView("queue")->chart();
            const MtaQueues top =
                queue_per_mta(r, static_cast<std::size_t>(v), 0, ChartPanel::kQueueLinesShown);
            QVERIFY(chart->title().contains(QString::fromStdString(r.experiment.variants[v])));
            QCOMPARE(chart->title().contains(QString("%1 more not shown").arg(top.hidden)),
                     top.hidden > 0);
            int lines = 0;
            for (QAbstractSeries* s : chart->series())
                lines += qobject_cast<QLineSeries*>(s) != nullptr;
            QCOMPARE(static_cast<std::size_t>(lines), top.shown.size());
            for (const Band& b : top.shown) {
                QLineSeries* line = line_named(chart, QString::fromStdString(b.name));
                QVERIFY(line);
                QCOMPARE(static_cast<std::size_t>(line->count()), b.mean.size());
                for (int i = 0; i < line->count(); ++i)
                    QCOMPARE(line->at(i).y(), b.mean[static_cast<std::size_t>(i)]);
            }
        }
        const MtaQueues bounce = queue_per_mta(r, 2, 0, ChartPanel::kQueueLinesShown);
        QCOMPARE(bounce.shown.size(), ChartPanel::kQueueLinesShown);
        QVERIFY(bounce.hidden > 0);
        variant->setCurrentIndex(0);
    }

    void lostLinesAddUpToTheLegitLostOfTheSummary() {
        // klez-flood loses no legitimate mail; the rate-limit sweep's 550 does.
        const ExperimentResult& r = *window_.result();
        QChart* chart = window_.charts()->chartView("lost")->chart();
        QCOMPARE(lost_sums(chart, r, 0), (std::vector<double>{0, 0, 0}));
        const ExperimentResult& limited = *rateLimited_.result();
        const std::vector<double> sums =
            lost_sums(rateLimited_.charts()->chartView("lost")->chart(), limited, 0);
        QCOMPARE(sums.size(), std::size_t{2});
        QCOMPARE(sums[0], 0.0);  // 450 defers: nothing lost
        QVERIFY(sums[1] > 0);    // 550 at 50 per hour bounces some
    }

    void victimBarsAddUpToTheBackscatterOfTheSummary() {
        const ExperimentResult& r = *window_.result();
        const VictimBars all = backscatter_victims(r, 0, SIZE_MAX);
        for (std::size_t v = 0; v < r.experiment.variants.size(); ++v) {
            double sum = 0;
            for (const double n : all.variants[v].second)
                sum += n;
            QCOMPARE(sum, metric_mean(r, v, 0, "backscatter_delivered"));
        }
        QVERIFY(metric_mean(r, 2, 0, "backscatter_delivered") > 0);
        // The chart: one bar set per variant, the top 10, the most hit at the top.
        QChart* chart = window_.charts()->chartView("victims")->chart();
        auto* bars = first_of<QHorizontalBarSeries>(chart);
        QVERIFY(bars);
        QCOMPARE(bars->count(), 3);
        const VictimBars top = backscatter_victims(r, 0, 10);
        QCOMPARE(top.addresses.size(), std::size_t{10});
        for (int v = 0; v < 3; ++v) {
            QBarSet* set = bars->barSets()[v];
            QCOMPARE(set->label().toStdString(),
                     r.experiment.variants[static_cast<std::size_t>(v)]);
            QCOMPARE(set->count(), 10);
            QCOMPARE(set->at(9), top.variants[static_cast<std::size_t>(v)].second.front());
        }
        QCOMPARE(bars->barSets()[0]->sum(), 0.0);  // the baseline rejects at RCPT
    }

    void sweepChartHasOneLinePerActionAndMetric() {
        const ExperimentResult& r = *rateLimited_.result();
        QChart* chart = rateLimited_.charts()->chartView("sweep")->chart();
        for (std::size_t v = 0; v < 2; ++v) {
            const QString name = QString::fromStdString(r.experiment.variants[v]);
            QLineSeries* lost = line_named(chart, name + ": legitimate mail lost");
            QLineSeries* absorbed = line_named(chart, name + ": backscatter absorbed");
            QVERIFY(lost && absorbed);
            QCOMPARE(lost->count(), 4);
            const double rates[] = {50, 100, 200, 400};
            for (std::size_t p = 0; p < 4; ++p) {
                const int i = static_cast<int>(p);
                QCOMPARE(lost->at(i).x(), rates[p]);
                QCOMPARE(lost->at(i).y(), metric_mean(r, v, p, "legit.lost"));
                QCOMPARE(absorbed->at(i).y(), backscatter_absorbed(r.run(v, p, 0)));
            }
        }
        // 450 keeps legitimate mail; 550 loses some when the limit is tight.
        QCOMPARE(line_named(chart, "baseline: legitimate mail lost")->at(0).y(), 0.0);
        QVERIFY(line_named(chart, "550: legitimate mail lost")->at(0).y() > 0);
        QVERIFY(line_named(chart, "550: backscatter absorbed")->at(0).y() > 0);
    }

    void teachingViewTellsTheStoryOfAMessage() {
        ExplainView* explain = window_.charts()->explainView();
        QSignalSpy told(explain, &ExplainView::told);
        explain->setQuery("0");
        explain->tell();
        QVERIFY(told.wait(60'000));
        QVERIFY(explain->timeline()->rowCount() > 0);
        QVERIFY(explain->storyText().startsWith("message 0"));
        // Each step carries its rule; an SMTP step carries its reply code.
        bool replied = false;
        for (int row = 0; row < explain->timeline()->rowCount(); ++row) {
            QVERIFY(!explain->timeline()->item(row, 6)->text().isEmpty());
            replied = replied || explain->timeline()->item(row, 4)->text().contains(
                                     QRegularExpression("^[245][0-9][0-9] "));
        }
        QVERIFY(replied);
        explain->setQuery("4000000000");
        explain->tell();
        QVERIFY(told.wait(60'000));
        QVERIFY(explain->message().startsWith("No story:"));
    }
};

QTEST_MAIN(ChartsTest)
#include "charts_test.moc"
