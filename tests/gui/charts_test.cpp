// charts_test.cpp - a teaching scenario run in the window: every chart holds series whose
// values equal the numbers `mxsim run` writes for the same scenario and seed (summary.json
// and timeseries.csv, read back here). That source is independent of the charts: the
// expected values are never computed by gui/chart_data.cpp, only by this file's own
// arithmetic on the CLI's files (means over replications, sums over bins). Also: one
// colour per fate and per variant whatever the scenario or the variants run, whole host
// names in the queue legend, a note in the middle of a chart with nothing to show, the
// sweep chart's bands and the delay chart.
#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <QApplication>
#include <QAreaSeries>
#include <QBarCategoryAxis>
#include <QBarSet>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QGraphicsTextItem>
#include <QHorizontalBarSeries>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QProcess>
#include <QRegularExpression>
#include <QStackedBarSeries>
#include <QTemporaryDir>
#include <QValueAxis>

#include <nlohmann/json.hpp>

#include "gui/chart_data.hpp"
#include "gui/chart_panel.hpp"
#include "gui/charts.hpp"
#include "gui/explain_view.hpp"
#include "gui/human_units.hpp"
#include "gui/palette.hpp"
#include "gui_test_support.hpp"

using namespace mxsim;
using namespace mxsim::gui;
using nlohmann::json;

namespace {

// Origins and fates as docs/results-format.md lists them ("Origins and fates").
const std::vector<std::string> kOrigins{"legit",     "worm",          "spam",
                                        "ndr",       "delay_warning", "postmaster_notice",
                                        "av_notice", "auto_reply"};
const std::vector<std::string> kFates{"queued",  "delivered", "rejected", "bounced",
                                      "dropped", "expired",   "discarded"};
// legit.lost: "bounced + rejected + expired + dropped" (docs/results-format.md).
const std::vector<std::string> kLegitLostFates{"bounced", "rejected", "expired", "dropped"};

bool close(double a, double b) {
    return std::abs(a - b) <= 1e-9 * std::max(1.0, std::abs(b));
}

double sum_of(const std::vector<double>& v) {
    double s = 0;
    for (const double x : v)
        s += x;
    return s;
}

double peak_of(const std::vector<double>& v) {
    return v.empty() ? 0 : *std::max_element(v.begin(), v.end());
}

// What `mxsim run` wrote for one scenario: summary.json and timeseries.csv, as numbers.
class CliRun {
  public:
    // Runs the CLI on `scenario` with the top-level keys of `edits` replaced (the edits the
    // test makes in the window) and reads its files back; empty on success, else why not.
    QString run(const QString& scenario, const json& edits, const QString& dir) {
        QFile in(scenario);
        if (!in.open(QIODevice::ReadOnly)) return "cannot read " + scenario;
        json doc = json::parse(in.readAll().toStdString());
        for (const auto& [key, value] : edits.items())
            doc[key] = value;
        QFile edited(dir + "/scenario.json");
        if (!edited.open(QIODevice::WriteOnly)) return "cannot write " + edited.fileName();
        edited.write(QByteArray::fromStdString(doc.dump()));
        edited.close();
        QProcess cli;
        cli.start(MXSIM_CLI, {"run", edited.fileName(), "--out", dir + "/out", "--quiet"});
        if (!cli.waitForFinished(120'000) || cli.exitCode() != 0)
            return "mxsim run failed: " + QString(cli.readAllStandardError());
        summary_ = json::parse(read(dir + "/out/summary.json").toStdString());
        for (const auto& v : summary_["run"]["variants"])
            variants_.push_back(v.get<std::string>());
        for (const auto& p : summary_["run"]["sweep_points"])
            points_.push_back(p.get<std::string>());
        replications_ = summary_["run"]["replications"].get<int>();
        return read_csv(read(dir + "/out/timeseries.csv"));
    }

    const std::vector<std::string>& variants() const { return variants_; }
    int replications() const { return replications_; }
    const std::vector<double>& bin_starts() const { return bin_starts_; }
    const json& summary() const { return summary_; }

    bool has(std::size_t v, std::size_t p, int rep, const std::string& metric) const {
        return series_.count(key(v, p, rep, metric)) > 0;
    }
    // One run's bins of `metric`; zeros where the file has no such series (it lists only
    // the MTAs that queued mail and the run's ten most hit victims).
    std::vector<double> series(std::size_t v, std::size_t p, int rep,
                               const std::string& metric) const {
        const auto it = series_.find(key(v, p, rep, metric));
        return it == series_.end() ? std::vector<double>(bin_starts_.size(), 0.0) : it->second;
    }
    double total(std::size_t v, std::size_t p, int rep, const std::string& metric) const {
        return sum_of(series(v, p, rep, metric));
    }
    // Per bin, the mean over the replications.
    std::vector<double> mean_series(std::size_t v, std::size_t p, const std::string& metric) const {
        std::vector<double> mean(bin_starts_.size(), 0.0);
        for (int rep = 0; rep < replications_; ++rep) {
            const std::vector<double> bins = series(v, p, rep, metric);
            for (std::size_t i = 0; i < mean.size(); ++i)
                mean[i] += bins[i] / replications_;
        }
        return mean;
    }
    double mean_total(std::size_t v, std::size_t p, const std::string& metric) const {
        double mean = 0;
        for (int rep = 0; rep < replications_; ++rep)
            mean += total(v, p, rep, metric) / replications_;
        return mean;
    }
    // Messages of these origins that got `fate`, mean per replication: each
    // fate.<origin>.<fate> series adds up to that count, and "queued" (no fate when the run
    // ended) is what was created (created.<origin>) and got no other fate.
    double fate_mean(std::size_t v, std::size_t p, const std::string& fate,
                     const std::vector<std::string>& origins) const {
        double mean = 0;
        for (const std::string& o : origins) {
            if (fate != "queued") {
                mean += mean_total(v, p, "fate." + o + "." + fate);
                continue;
            }
            mean += mean_total(v, p, "created." + o);
            for (const std::string& f : kFates)
                if (f != "queued") mean -= mean_total(v, p, "fate." + o + "." + f);
        }
        return mean;
    }
    // Series names of one run that start with `prefix`, in the file's order.
    std::vector<std::string> named(std::size_t v, std::size_t p, int rep,
                                   const std::string& prefix) const {
        std::vector<std::string> out;
        for (const Key& k : order_)
            if (std::get<0>(k) == variants_[v] && std::get<1>(k) == points_[p] &&
                std::get<2>(k) == rep && std::get<3>(k).rfind(prefix, 0) == 0)
                out.push_back(std::get<3>(k));
        return out;
    }
    // summary.json's comparison: a metric's mean over the replications.
    double metric(std::size_t v, std::size_t p, const std::string& name) const {
        for (const auto& c : summary_["comparison"])
            if (c["variant"] == variants_[v] && c["sweep_point"] == points_[p])
                return c["metrics"][name]["mean"].get<double>();
        qFatal("summary.json has no comparison for %zu, %zu", v, p);
    }
    // The same, or nothing where summary.json has null (a quantile of no messages).
    std::optional<double> maybe_metric(std::size_t v, std::size_t p,
                                       const std::string& name) const {
        for (const auto& c : summary_["comparison"])
            if (c["variant"] == variants_[v] && c["sweep_point"] == points_[p]) {
                const json& mean = c["metrics"][name]["mean"];
                return mean.is_null() ? std::nullopt : std::optional<double>(mean.get<double>());
            }
        qFatal("summary.json has no comparison for %zu, %zu", v, p);
    }

  private:
    using Key = std::tuple<std::string, std::string, int, std::string>;
    Key key(std::size_t v, std::size_t p, int rep, const std::string& metric) const {
        return {variants_.at(v), points_.at(p), rep, metric};
    }

    static QByteArray read(const QString& path) {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

    // variant,sweep_point,replication,bin_start_s,metric,value; no field here needs quotes.
    QString read_csv(const QByteArray& text) {
        const QList<QByteArray> lines = text.split('\n');
        if (lines.isEmpty() ||
            lines[0] != "variant,sweep_point,replication,bin_start_s,metric,value")
            return "timeseries.csv: unexpected header";
        std::optional<Key> first;
        for (qsizetype i = 1; i < lines.size(); ++i) {
            if (lines[i].isEmpty()) continue;
            const QList<QByteArray> f = lines[i].split(',');
            if (f.size() != 6 || lines[i].contains('"'))
                return "timeseries.csv: unexpected line " + QString(lines[i]);
            const Key k{f[0].toStdString(), f[1].toStdString(), f[2].toInt(), f[4].toStdString()};
            std::vector<double>& bins = series_[k];
            if (bins.empty()) order_.push_back(k);
            bins.push_back(f[5].toDouble());
            if (!first) first = k;
            if (k == *first) bin_starts_.push_back(f[3].toDouble());
        }
        for (const auto& [k, bins] : series_)
            if (bins.size() != bin_starts_.size()) return "timeseries.csv: ragged series";
        return bin_starts_.empty() ? "timeseries.csv: no rows" : QString();
    }

    json summary_;
    std::vector<std::string> variants_, points_;
    int replications_ = 0;
    std::vector<double> bin_starts_;
    std::map<Key, std::vector<double>> series_;
    std::vector<Key> order_;  // each series at its first row in the file
};

QLineSeries* line_named(QChart* chart, const QString& name) {
    for (QAbstractSeries* s : chart->series())
        if (auto* line = qobject_cast<QLineSeries*>(s); line && line->name() == name) return line;
    return nullptr;
}

// What a legend shows, as drawn (an elided label reads "mx.site0...."), not the names of
// its series.
QStringList legend_texts(const QGraphicsItem* item) {
    QStringList texts;
    for (const QGraphicsItem* child : item->childItems()) {
        if (const auto* text = qgraphicsitem_cast<const QGraphicsTextItem*>(child))
            texts << text->toPlainText();
        else if (const auto* simple = qgraphicsitem_cast<const QGraphicsSimpleTextItem*>(child))
            texts << simple->text();
        texts << legend_texts(child);
    }
    return texts;
}

template <class Series>
Series* first_of(QChart* chart) {
    for (QAbstractSeries* s : chart->series())
        if (auto* found = qobject_cast<Series*>(s)) return found;
    return nullptr;
}

// Each variant's line on a time chart against the CLI's per-bin means of `expected_bins`
// (x in hours, the unit of a 1- or 2-day run); returns each line's sum.
std::vector<double> check_time_lines(
    QChart* chart, const CliRun& cli,
    const std::function<std::vector<double>(std::size_t)>& expected_bins) {
    std::vector<double> sums;
    for (std::size_t v = 0; v < cli.variants().size(); ++v) {
        QLineSeries* line = line_named(chart, QString::fromStdString(cli.variants()[v]));
        if (!line) qFatal("no line for variant %zu", v);
        const std::vector<double> want = expected_bins(v);
        if (static_cast<std::size_t>(line->count()) != want.size())
            qFatal("variant %zu: %d points, the CLI has %zu bins", v, line->count(), want.size());
        for (int i = 0; i < line->count(); ++i) {
            const auto b = static_cast<std::size_t>(i);
            if (!close(line->at(i).x(), cli.bin_starts()[b] / 3600) ||
                !close(line->at(i).y(), want[b]))
                qFatal("variant %zu, bin %d: (%g, %g), the CLI has (%g, %g)", v, i, line->at(i).x(),
                       line->at(i).y(), cli.bin_starts()[b] / 3600, want[b]);
        }
        double sum = 0;
        for (const QPointF& p : line->points())
            sum += p.y();
        sums.push_back(sum);
    }
    return sums;
}

}  // namespace

class ChartsTest : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    MainWindow window_;       // klez-flood, 2 replications
    MainWindow rateLimited_;  // mailbox-rate-limit: a sweep, and legitimate mail lost
    CliRun klez_, limited_;   // `mxsim run` on the same scenarios with the same edits

    // The "Fates of:" choice.
    QComboBox* originChoice() const {
        for (QComboBox* c : window_.charts()->findChildren<QComboBox*>())
            if (c->count() > 0 && c->itemText(0) == "all messages") return c;
        return nullptr;
    }

  private slots:
    void initTestCase() {
        QVERIFY(window_.openScenario(test::scenario("klez-flood.json")));
        QVERIFY(window_.editor()->edit("/replications", "2"));  // keeps the test short
        QCOMPARE(window_.editor()->message(), QString());
        QVERIFY(test::run_to_end(window_));
        QVERIFY(rateLimited_.openScenario(test::scenario("mailbox-rate-limit.json")));
        QVERIFY(rateLimited_.editor()->edit("/replications", "1"));
        QVERIFY(rateLimited_.editor()->edit("/duration", "1d"));
        QVERIFY(test::run_to_end(rateLimited_));

        QVERIFY(dir_.isValid());
        QVERIFY(QDir(dir_.path()).mkpath("klez") && QDir(dir_.path()).mkpath("limited"));
        const QString k = klez_.run(test::scenario("klez-flood.json"), {{"replications", 2}},
                                    dir_.filePath("klez"));
        QVERIFY2(k.isEmpty(), qPrintable(k));
        const QString l =
            limited_.run(test::scenario("mailbox-rate-limit.json"),
                         {{"replications", 1}, {"duration", "1d"}}, dir_.filePath("limited"));
        QVERIFY2(l.isEmpty(), qPrintable(l));
        // The window ran what the CLI ran.
        const std::vector<std::string> klez_variants{"baseline", "one-third-bounce", "all-bounce"};
        QCOMPARE(klez_.variants(), klez_variants);
        QCOMPARE(window_.result()->experiment.variants, klez_variants);
        QCOMPARE(klez_.replications(), 2);
        QCOMPARE(window_.result()->replications(), std::size_t{2});
        QCOMPARE(klez_.bin_starts().size(), std::size_t{24});  // 2d in 2h bins
        QCOMPARE(limited_.variants(), (std::vector<std::string>{"baseline", "550"}));
        QCOMPARE(rateLimited_.result()->experiment.variants, limited_.variants());
        QCOMPARE(limited_.bin_starts().size(), std::size_t{24});  // 1d in 1h bins
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

    void ndrLinesAreTheCliNdrsPerBin() {
        QChart* chart = window_.charts()->chartView("ndr")->chart();
        const std::vector<double> sums = check_time_lines(chart, klez_, [this](std::size_t v) {
            return klez_.mean_series(v, 0, "ndrs_generated");
        });
        for (std::size_t v = 0; v < sums.size(); ++v)
            QVERIFY(close(sums[v], klez_.metric(v, 0, "ndrs_generated")));
        QCOMPARE(sums[0], 0.0);  // all reject at RCPT
        QVERIFY(sums[1] > 0);    // a third bounce
        QVERIFY(sums[2] > sums[1]);
        // x is in hours for a 2-day run: the last bin starts at 46 h.
        QCOMPARE(line_named(chart, "baseline")->points().back().x(), 46.0);
    }

    void fateBarsAreTheCliFateCounts() {
        QComboBox* origin = originChoice();
        QVERIFY(origin);
        const auto check = [this](const std::vector<std::string>& origins) {
            QChart* chart = window_.charts()->chartView("fates")->chart();
            auto* bars = first_of<QStackedBarSeries>(chart);
            QVERIFY(bars);
            // One set per fate that some variant has, in the documented order.
            std::vector<std::string> sets;
            for (const std::string& f : kFates) {
                bool some = false;
                for (std::size_t v = 0; v < klez_.variants().size(); ++v)
                    some = some || klez_.fate_mean(v, 0, f, origins) != 0;
                if (some) sets.push_back(f);
            }
            QCOMPARE(static_cast<std::size_t>(bars->count()), sets.size());
            for (int s = 0; s < bars->count(); ++s) {
                const std::string& fate = sets[static_cast<std::size_t>(s)];
                QBarSet* set = bars->barSets()[s];
                QCOMPARE(set->label().toStdString(), fate);
                QCOMPARE(set->count(), 3);
                for (int v = 0; v < set->count(); ++v)
                    QVERIFY2(close(set->at(v),
                                   klez_.fate_mean(static_cast<std::size_t>(v), 0, fate, origins)),
                             qPrintable(QString::fromStdString(fate) + QString(" %1").arg(v)));
            }
        };
        check(kOrigins);  // all messages
        // Per origin, and the same counts are the summary's metrics.
        origin->setCurrentIndex(origin->findText("worm"));
        check({"worm"});
        for (std::size_t v = 0; v < 3; ++v)
            QVERIFY(close(klez_.fate_mean(v, 0, "rejected", {"worm"}),
                          klez_.metric(v, 0, "worm.rejected")));
        origin->setCurrentIndex(origin->findText("legit"));
        check({"legit"});
        for (std::size_t v = 0; v < 3; ++v)
            QVERIFY(close(klez_.fate_mean(v, 0, "delivered", {"legit"}),
                          klez_.metric(v, 0, "legit.delivered")));
        origin->setCurrentIndex(0);
    }

    void queueLinesAreTheCliPerMtaQueues() {
        const ExperimentResult& r = *window_.result();
        auto* variant = window_.charts()->findChild<QComboBox*>("queue_variant");
        QVERIFY(variant);
        QCOMPARE(variant->count(), 3);
        for (int v = 0; v < 3; ++v) {
            const auto vi = static_cast<std::size_t>(v);
            // The CLI's queued_mean.<host>: the MTAs that held mail in some replication,
            // each the mean over the replications (0 where it held none).
            std::vector<std::string> hosts;
            for (int rep = 0; rep < klez_.replications(); ++rep)
                for (const std::string& name : klez_.named(vi, 0, rep, "queued_mean."))
                    if (std::find(hosts.begin(), hosts.end(), name) == hosts.end())
                        hosts.push_back(name);
            std::map<std::string, std::vector<double>> mean;  // by host
            for (const std::string& name : hosts)
                mean[name.substr(std::string("queued_mean.").size())] =
                    klez_.mean_series(vi, 0, name);

            // With every MTA, the lines add up to the queue of all MTAs together.
            const MtaQueues all = queue_per_mta(r, vi, 0, SIZE_MAX);
            QCOMPARE(all.hidden, std::size_t{0});
            QCOMPARE(all.shown.size(), mean.size());
            const std::vector<double> total = klez_.mean_series(vi, 0, "queued_mean");
            std::vector<double> sum(total.size(), 0.0);
            for (const Band& b : all.shown) {
                QVERIFY2(mean.count(b.name), b.name.c_str());
                QCOMPARE(b.mean.size(), total.size());
                for (std::size_t i = 0; i < b.mean.size(); ++i) {
                    QVERIFY(close(b.mean[i], mean[b.name][i]));
                    sum[i] += b.mean[i];
                }
            }
            for (std::size_t i = 0; i < sum.size(); ++i)
                QVERIFY2(close(sum[i], total[i]), qPrintable(QString("bin %1").arg(i)));

            // The chart: the kQueueLinesShown MTAs with the highest peaks, highest first,
            // and how many it leaves out.
            variant->setCurrentIndex(v);
            QChart* chart = window_.charts()->chartView("queue")->chart();
            std::vector<QLineSeries*> lines;
            for (QAbstractSeries* s : chart->series())
                if (auto* line = qobject_cast<QLineSeries*>(s)) lines.push_back(line);
            const std::size_t shown = std::min(ChartPanel::kQueueLinesShown, mean.size());
            const std::size_t hidden = mean.size() - shown;
            QCOMPARE(lines.size(), shown);
            QVERIFY(chart->title().contains(QString::fromStdString(klez_.variants()[vi])));
            QCOMPARE(chart->title().contains(QString("%1 more not shown").arg(hidden)), hidden > 0);
            double lowest = INFINITY;
            std::vector<std::string> drawn;
            for (QLineSeries* line : lines) {
                const std::string host = line->name().toStdString();
                QVERIFY2(mean.count(host), host.c_str());
                const std::vector<double>& want = mean[host];
                QCOMPARE(static_cast<std::size_t>(line->count()), want.size());
                for (int i = 0; i < line->count(); ++i) {
                    QVERIFY(close(line->at(i).x(),
                                  klez_.bin_starts()[static_cast<std::size_t>(i)] / 3600));
                    QVERIFY(close(line->at(i).y(), want[static_cast<std::size_t>(i)]));
                }
                QVERIFY(peak_of(want) <= lowest);
                lowest = peak_of(want);
                drawn.push_back(host);
            }
            for (const auto& [host, bins] : mean)
                if (std::find(drawn.begin(), drawn.end(), host) == drawn.end())
                    QVERIFY2(peak_of(bins) <= lowest, host.c_str());
            if (v == 2) QVERIFY(hidden > 0);  // klez-flood: more MTAs queue than lines shown
        }
        variant->setCurrentIndex(0);
    }

    void lostLinesAreTheCliLegitLost() {
        // klez-flood loses no legitimate mail; the rate-limit sweep's 550 does.
        const auto lost_bins = [](const CliRun& cli) {
            return [&cli](std::size_t v) {
                std::vector<double> lost(cli.bin_starts().size(), 0.0);
                for (const std::string& f : kLegitLostFates) {
                    const std::vector<double> bins = cli.mean_series(v, 0, "fate.legit." + f);
                    for (std::size_t i = 0; i < lost.size(); ++i)
                        lost[i] += bins[i];
                }
                return lost;
            };
        };
        const std::vector<double> sums =
            check_time_lines(window_.charts()->chartView("lost")->chart(), klez_, lost_bins(klez_));
        for (std::size_t v = 0; v < sums.size(); ++v)
            QVERIFY(close(sums[v], klez_.metric(v, 0, "legit.lost")));
        QCOMPARE(sums, (std::vector<double>{0, 0, 0}));
        const std::vector<double> limited = check_time_lines(
            rateLimited_.charts()->chartView("lost")->chart(), limited_, lost_bins(limited_));
        for (std::size_t v = 0; v < limited.size(); ++v)
            QVERIFY(close(limited[v], limited_.metric(v, 0, "legit.lost")));
        QCOMPARE(limited.size(), std::size_t{2});
        QCOMPARE(limited[0], 0.0);  // 450 defers: nothing lost
        QVERIFY(limited[1] > 0);    // 550 at 50 per hour bounces some
    }

    void victimBarsAgreeWithTheCliBackscatter() {
        const ExperimentResult& r = *window_.result();
        // Every victim together: each variant's backscatter_delivered in summary.json.
        const VictimBars all = backscatter_victims(r, 0, SIZE_MAX);
        QCOMPARE(all.variants.size(), std::size_t{3});
        for (std::size_t v = 0; v < 3; ++v)
            QVERIFY(
                close(sum_of(all.variants[v].second), klez_.metric(v, 0, "backscatter_delivered")));
        QVERIFY(klez_.metric(2, 0, "backscatter_delivered") > 0);

        // The chart: one bar set per variant, the top 10, the most hit at the top.
        QChart* chart = window_.charts()->chartView("victims")->chart();
        auto* bars = first_of<QHorizontalBarSeries>(chart);
        QVERIFY(bars);
        QCOMPARE(bars->count(), 3);
        auto* axis = qobject_cast<QBarCategoryAxis*>(chart->axes(Qt::Vertical).front());
        QVERIFY(axis);
        const QStringList addresses = axis->categories();
        QCOMPARE(addresses.size(), 10);
        // timeseries.csv lists each run's ten most hit victims (backscatter.<address>): a bar
        // is the mean of their counts where every replication lists its address; where one
        // does not, that replication gave the address at most its tenth victim's count.
        const auto tenth = [this](std::size_t v, int rep) {
            std::vector<double> counts;
            for (const std::string& name : klez_.named(v, 0, rep, "backscatter."))
                counts.push_back(klez_.total(v, 0, rep, name));
            std::sort(counts.begin(), counts.end(), std::greater<>());
            return counts.size() < 10 ? 0.0 : counts[9];
        };
        int exact = 0;
        std::vector<double> most(10, 0.0);  // per address, the largest bar of any variant
        for (int v = 0; v < 3; ++v) {
            const auto vi = static_cast<std::size_t>(v);
            QBarSet* set = bars->barSets()[v];
            QCOMPARE(set->label().toStdString(), klez_.variants()[vi]);
            QCOMPARE(set->count(), 10);
            for (int i = 0; i < 10; ++i) {
                const std::string metric = "backscatter." + addresses[i].toStdString();
                double known = 0, slack = 0;
                bool listed = true;
                for (int rep = 0; rep < klez_.replications(); ++rep) {
                    if (klez_.has(vi, 0, rep, metric)) {
                        known += klez_.total(vi, 0, rep, metric);
                    } else {
                        listed = false;
                        slack += tenth(vi, rep);
                    }
                }
                const double low = known / klez_.replications();
                const double high = (known + slack) / klez_.replications();
                const QString where = QString("%1, %2: %3 not in [%4, %5]")
                                          .arg(v)
                                          .arg(addresses[i])
                                          .arg(set->at(i))
                                          .arg(low)
                                          .arg(high);
                QVERIFY2(set->at(i) >= low - 1e-9 && set->at(i) <= high + 1e-9, qPrintable(where));
                if (listed) {
                    QVERIFY2(close(set->at(i), low), qPrintable(where));
                    ++exact;
                }
                most[static_cast<std::size_t>(i)] =
                    std::max(most[static_cast<std::size_t>(i)], set->at(i));
            }
        }
        QVERIFY(exact >= 1);  // the two replications' top tens overlap little (many ties)
        // Ranked by the most any variant gave: categories run bottom to top.
        for (std::size_t i = 1; i < most.size(); ++i)
            QVERIFY(most[i - 1] <= most[i]);
        QCOMPARE(bars->barSets()[0]->sum(), 0.0);  // the baseline rejects at RCPT

        // The rate-limit scenario forges one sender, so its chart has one bar per variant,
        // each known exactly: the victim's series in timeseries.csv, its backscatter_delivered,
        // and for the baseline the summary's backscatter_top_victims.
        QChart* limited = rateLimited_.charts()->chartView("victims")->chart();
        auto* joe = first_of<QHorizontalBarSeries>(limited);
        QVERIFY(joe);
        QCOMPARE(joe->count(), 2);
        const json& top = limited_.summary()["backscatter_top_victims"];
        QCOMPARE(top.size(), std::size_t{1});
        QCOMPARE(top[0]["address"].get<std::string>(), std::string("joe@victim.example"));
        for (int v = 0; v < 2; ++v) {
            const auto vi = static_cast<std::size_t>(v);
            QBarSet* set = joe->barSets()[v];
            QCOMPARE(set->count(), 1);
            QVERIFY(set->at(0) > 0);
            QVERIFY(close(set->at(0), limited_.total(vi, 0, 0, "backscatter.joe@victim.example")));
            QVERIFY(close(set->at(0), limited_.metric(vi, 0, "backscatter_delivered")));
        }
        QVERIFY(close(joe->barSets()[0]->at(0), top[0]["received"].get<double>()));
    }

    void sweepChartHasTheCliNumbersOfEachPoint() {
        QChart* chart = rateLimited_.charts()->chartView("sweep")->chart();
        QCOMPARE(limited_.replications(), 1);
        for (std::size_t v = 0; v < 2; ++v) {
            const QString name = QString::fromStdString(limited_.variants()[v]);
            QLineSeries* lost = line_named(chart, name + ": legitimate mail lost");
            QLineSeries* absorbed = line_named(chart, name + ": backscatter absorbed");
            QVERIFY(lost && absorbed);
            QCOMPARE(lost->count(), 4);
            QCOMPARE(absorbed->count(), 4);
            const double rates[] = {50, 100, 200, 400};  // the scenario's limit_per_hour values
            for (std::size_t p = 0; p < 4; ++p) {
                const int i = static_cast<int>(p);
                QCOMPARE(lost->at(i).x(), rates[p]);
                QCOMPARE(absorbed->at(i).x(), rates[p]);
                QVERIFY(close(lost->at(i).y(), limited_.metric(v, p, "legit.lost")));
                // Absorbed: NDRs dropped by the bouncer or discarded by policy.
                QVERIFY(
                    close(absorbed->at(i).y(), limited_.total(v, p, 0, "fate.ndr.dropped") +
                                                   limited_.total(v, p, 0, "fate.ndr.discarded")));
            }
        }
        // 450 keeps legitimate mail; 550 loses some when the limit is tight.
        QCOMPARE(line_named(chart, "baseline: legitimate mail lost")->at(0).y(), 0.0);
        QVERIFY(line_named(chart, "550: legitimate mail lost")->at(0).y() > 0);
        QVERIFY(line_named(chart, "550: backscatter absorbed")->at(0).y() > 0);
    }

    void fatesKeepTheirColoursInEveryScenario() {
        using Sets = std::vector<std::pair<QString, QColor>>;
        const auto sets_of = [](const MainWindow& w) {
            Sets out;
            auto* bars = first_of<QStackedBarSeries>(w.charts()->chartView("fates")->chart());
            for (QBarSet* set : bars->barSets())
                out.emplace_back(set->label(), set->color());
            return out;
        };
        const Sets klez = sets_of(window_), limited = sets_of(rateLimited_);
        // The two scenarios' fates differ, so a colour by position would move: some fate
        // both have sits at another place in each.
        bool moved = false;
        for (std::size_t i = 0; i < klez.size(); ++i)
            for (std::size_t j = 0; j < limited.size(); ++j)
                moved = moved || (klez[i].first == limited[j].first && i != j);
        QVERIFY(moved);
        std::map<QString, QColor> seen;
        for (const Sets& sets : {klez, limited})
            for (const auto& [fate, colour] : sets) {
                QCOMPARE(colour, fate_colour(fate.toStdString()));
                if (seen.count(fate)) QCOMPARE(colour, seen[fate]);
                seen[fate] = colour;
            }
        std::set<QRgb> distinct;
        for (const auto& [fate, colour] : seen)
            distinct.insert(colour.rgb());
        QCOMPARE(distinct.size(), seen.size());
        QVERIFY(seen.size() >= 4);
    }

    void aVariantKeepsItsColourWhenAnotherIsLeftOut() {
        MainWindow w;
        QVERIFY(w.openScenario(test::scenario("klez-flood.json")));
        QVERIFY(w.editor()->edit("/replications", "1"));
        QVERIFY(w.editor()->edit("/duration", "6h"));
        QVERIFY(w.editor()->edit("stop", "6h"));  // the worm stops within the run
        QCheckBox* one_third = nullptr;
        for (QCheckBox* box : w.editor()->findChildren<QCheckBox*>())
            if (box->text() == "one-third-bounce") one_third = box;
        QVERIFY(one_third);
        one_third->setChecked(false);
        QVERIFY2(test::run_to_end(w), qPrintable(w.lastMessage()));
        QCOMPARE(w.result()->experiment.variants,
                 (std::vector<std::string>{"baseline", "all-bounce"}));
        // all-bounce is the file's second variant wherever it runs: the colour it has when
        // every variant runs.
        const auto pen = [](const MainWindow& m, const char* variant) {
            return line_named(m.charts()->chartView("ndr")->chart(), variant)->pen().color();
        };
        QCOMPARE(pen(w, "all-bounce"), pen(window_, "all-bounce"));
        QCOMPARE(pen(w, "all-bounce"), variant_colour(2));
        QCOMPARE(pen(w, "baseline"), pen(window_, "baseline"));
        QVERIFY(pen(w, "all-bounce") != variant_colour(1));
    }

    void theQueueLegendShowsWholeHostNames() {
        window_.resize(1280, 800);
        window_.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window_));
        auto* variant = window_.charts()->findChild<QComboBox*>("queue_variant");
        variant->setCurrentIndex(2);  // all-bounce: the most MTAs queue mail
        QVERIFY(window_.charts()->setCurrentView("queue"));
        QApplication::processEvents();
        QChart* chart = window_.charts()->chartView("queue")->chart();
        const QStringList drawn = legend_texts(chart->legend());
        int hosts = 0;
        for (QAbstractSeries* s : chart->series()) {
            const QString host = s->name();
            QVERIFY(host.startsWith("mx.site") && host.endsWith(".example"));
            QVERIFY2(drawn.contains(host), qPrintable(host + " not in " + drawn.join(" | ")));
            ++hosts;
        }
        QCOMPARE(hosts, static_cast<int>(ChartPanel::kQueueLinesShown));
        variant->setCurrentIndex(0);
        window_.charts()->setCurrentView("ndr");
    }

    void aChartWithNothingToShowSaysSoInItsMiddle() {
        // Before any run.
        MainWindow fresh;
        QVERIFY(chart_note(*fresh.charts()->chartView("ndr")->chart()));
        QCOMPARE(chart_note(*fresh.charts()->chartView("ndr")->chart())->text(),
                 QString("Press Run to see results"));
        // relay-denied: no sweep, and its one NDR goes to the real sender, so no backscatter.
        MainWindow w;
        w.resize(1280, 800);
        w.show();
        QVERIFY(w.openScenario(test::scenario("relay-denied.json")));
        QVERIFY(test::run_to_end(w));
        const std::pair<const char*, const char*> empty[] = {
            {"sweep", "This scenario has no sweep"},
            {"victims", "No backscatter reached anyone in this run"}};
        for (const auto& [view, says] : empty) {
            QVERIFY(w.charts()->setCurrentView(view));
            QApplication::processEvents();
            QChart* chart = w.charts()->chartView(view)->chart();
            const QGraphicsSimpleTextItem* note = chart_note(*chart);
            QVERIFY2(note, view);
            QVERIFY2(note->text().startsWith(says), qPrintable(note->text()));
            QVERIFY(note->isVisible());
            // In the middle of the plot area, as laid out on screen.
            const QRectF area = chart->plotArea();
            QVERIFY(area.width() > 200 && area.height() > 200);
            const QPointF centre = note->mapToParent(note->boundingRect().center());
            QVERIFY2(std::abs(centre.x() - area.center().x()) < 1 &&
                         std::abs(centre.y() - area.center().y()) < 1,
                     qPrintable(QString("note at %1,%2, plot centre %3,%4")
                                    .arg(centre.x())
                                    .arg(centre.y())
                                    .arg(area.center().x())
                                    .arg(area.center().y())));
        }
        // A chart of zeros keeps its lines and says what they mean; a chart with data says
        // nothing.
        QCOMPARE(chart_note(*window_.charts()->chartView("lost")->chart())->text(),
                 QString("No legitimate mail lost in this run"));
        QVERIFY(!chart_note(*window_.charts()->chartView("ndr")->chart()));
        QVERIFY(!chart_note(*rateLimited_.charts()->chartView("lost")->chart()));
        QVERIFY(!chart_note(*rateLimited_.charts()->chartView("sweep")->chart()));
    }

    void theSweepChartDrawsEachCurvesBand() {
        // Two replications' worth for the baseline; one (no width) for 550.
        Band absorbed;
        absorbed.name = "baseline";
        absorbed.x = {50, 100};
        absorbed.mean = {10, 20};
        absorbed.low = {8, 15};
        absorbed.high = {12, 25};
        Band lost = absorbed;
        lost.mean = {1, 2};
        lost.low = {0, 1};
        lost.high = {2, 4};
        Band flat = absorbed;
        flat.name = "550";
        flat.colour = 1;
        flat.low = flat.high = flat.mean;
        SweepCurves curves;
        curves.labels = {"limit=50", "limit=100"};
        curves.numeric = true;
        curves.absorbed = {absorbed, flat};
        curves.lost = {lost, flat};
        const std::unique_ptr<QChart> chart(make_sweep_chart("sweep", curves, "limit"));
        std::vector<QAreaSeries*> areas;
        for (QAbstractSeries* s : chart->series())
            if (auto* area = qobject_cast<QAreaSeries*>(s)) areas.push_back(area);
        QCOMPARE(areas.size(), std::size_t{2});
        for (QAreaSeries* area : areas) {
            QCOMPARE(area->name(), QString("baseline 95% CI"));
            QVERIFY(!chart->legend()->markers(area).front()->isVisible());
            const bool right = area->attachedAxes().back()->alignment() == Qt::AlignRight;
            const Band& b = right ? lost : absorbed;  // lost on the right axis
            QCOMPARE(area->upperSeries()->points(),
                     (QList<QPointF>{{50, b.high[0]}, {100, b.high[1]}}));
            QCOMPARE(area->lowerSeries()->points(),
                     (QList<QPointF>{{50, b.low[0]}, {100, b.low[1]}}));
        }
        QVERIFY(areas[0]->attachedAxes().back() != areas[1]->attachedAxes().back());
    }

    void theDelayChartHasTheCliDelayQuantiles() {
        QChart* chart = rateLimited_.charts()->chartView("delay")->chart();
        QVERIFY(chart->title().contains("still queued at the end counts at its wait so far"));
        const auto* y = qobject_cast<QValueAxis*>(chart->axes(Qt::Vertical).front());
        QVERIFY(y);
        const std::map<QString, double> units{
            {"seconds", 1}, {"minutes", 60}, {"hours", 3600}, {"days", 86400}};
        double scale = 0;
        for (const auto& [name, seconds] : units)
            if (y->titleText() == "delay (" + name + ")") scale = seconds;
        QVERIFY2(scale > 0, qPrintable(y->titleText()));
        const double rates[] = {50, 100, 200, 400};
        const std::pair<const char*, const char*> curves[] = {
            {"median delay", "legit.delay_p50_s"}, {"95th percentile", "legit.delay_p95_s"}};
        for (std::size_t v = 0; v < 2; ++v)
            for (const auto& [what, metric] : curves) {
                const QString name = QString::fromStdString(limited_.variants()[v]) + ": " + what;
                QLineSeries* line = line_named(chart, name);
                QVERIFY2(line, qPrintable(name));
                std::vector<std::pair<double, double>> want;  // the points with a quantile
                for (std::size_t p = 0; p < 4; ++p)
                    if (const auto m = limited_.maybe_metric(v, p, metric))
                        want.emplace_back(rates[p], *m);
                QCOMPARE(static_cast<std::size_t>(line->count()), want.size());
                for (int i = 0; i < line->count(); ++i) {
                    const auto& [x, seconds] = want[static_cast<std::size_t>(i)];
                    QCOMPARE(line->at(i).x(), x);
                    QVERIFY2(close(line->at(i).y() * scale, seconds),
                             qPrintable(name + QString(" at %1").arg(x)));
                }
            }
        // 450 queues legitimate mail over the limit (it waits, then is delivered); 550
        // refuses it at once: at the tightest limit the 450 arm's 95th percentile is longer.
        QVERIFY(*limited_.maybe_metric(0, 0, "legit.delay_p95_s") >
                *limited_.maybe_metric(1, 0, "legit.delay_p95_s"));
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
