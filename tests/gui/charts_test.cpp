// charts_test.cpp - a teaching scenario run in the window: every chart holds series
// whose values equal the run's own numbers (its comparison, i.e. summary.json).
#include <cmath>

#include <QBarSet>
#include <QHorizontalBarSeries>
#include <QLineSeries>
#include <QRegularExpression>
#include <QStackedBarSeries>
#include <QValueAxis>

#include "gui/chart_data.hpp"
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

}  // namespace

class ChartsTest : public QObject {
    Q_OBJECT
    MainWindow window_;

  private slots:
    void initTestCase() {
        QVERIFY(window_.openScenario(test::scenario("klez-flood.json")));
        QVERIFY(window_.editor()->edit("/replications", "2"));  // keeps the test short
        QCOMPARE(window_.editor()->message(), QString());
        QVERIFY(test::run_to_end(window_));
        QCOMPARE(window_.result()->experiment.variants.size(), std::size_t{3});
        QCOMPARE(window_.result()->replications(), std::size_t{2});
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

    void queueLinesAreTheMeanQueueSeries() {
        const ExperimentResult& r = *window_.result();
        QChart* chart = window_.charts()->chartView("queue")->chart();
        for (std::size_t v = 0; v < r.experiment.variants.size(); ++v) {
            QLineSeries* line = line_named(chart, QString::fromStdString(r.experiment.variants[v]));
            QVERIFY(line);
            for (int i = 0; i < line->count(); ++i) {
                const auto b = static_cast<std::size_t>(i);
                const double mean = (r.run(v, 0, 0).queued_mean_per_bin[b] +
                                     r.run(v, 0, 1).queued_mean_per_bin[b]) /
                                    2;
                QCOMPARE(line->at(i).y(), mean);
            }
        }
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
        MainWindow w;
        QVERIFY(w.openScenario(test::scenario("mailbox-rate-limit.json")));
        QVERIFY(w.editor()->edit("/replications", "1"));
        QVERIFY(w.editor()->edit("/duration", "1d"));
        QVERIFY(test::run_to_end(w));
        const ExperimentResult& r = *w.result();
        QChart* chart = w.charts()->chartView("sweep")->chart();
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
