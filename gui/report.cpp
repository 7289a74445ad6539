// report.cpp - the report's pages and pictures, written through experiment/safe_files.
#include "gui/report.hpp"

#include <filesystem>
#include <stdexcept>

#include <QCoreApplication>

#include "experiment/safe_files.hpp"
#include "gui/exporter.hpp"
#include "gui/headless.hpp"
#include "gui/views.hpp"
#include "sim/sim_time.hpp"

namespace mxsim::gui {
namespace {

QString esc(const std::string& s) {
    return QString::fromStdString(s).toHtmlEscaped();
}

QString joined(const std::vector<std::string>& items) {
    QStringList out;
    for (const std::string& s : items)
        out << QString::fromStdString(s);
    return out.join(", ");
}

// "Variants: baseline, 550. Sweep points: ... 4 replications, seed 7, run length 2d."
QString run_line(const ExperimentResult& r) {
    const model::Scenario& s = r.experiment.baseline();
    QString line = "Variants: " + esc(joined(r.experiment.variants).toStdString()) + ". ";
    if (r.points() > 1)
        line += "Sweep points: " + esc(joined(r.experiment.sweep_points).toStdString()) + ". ";
    line += QString("%1 replication%2, seed %3, run length %4.")
                .arg(r.replications())
                .arg(r.replications() == 1 ? "" : "s")
                .arg(r.meta.seed)
                .arg(esc(sim::format_duration(s.duration)));
    return line;
}

const char* const kStyle =
    "body{font-family:sans-serif;max-width:72em;margin:auto;padding:1em;line-height:1.4}"
    "h1{margin-bottom:.2em}.question{font-size:1.25em;font-weight:bold}"
    ".stale{background:#fff3cd;border:1px solid #e0b000;padding:.5em}"
    "img{max-width:100%;border:1px solid #ccc}.caption{color:#444}"
    "section{margin-top:2em}";

QString view_section(const ViewInfo& v, std::size_t number) {
    const QString png = v.name + ".png", svg = v.name + ".svg";
    return QString(
               "<section id=\"%1\">\n<h2>%2. %3</h2>\n<p class=\"caption\">%4</p>\n"
               "<p><a href=\"%5\"><img src=\"%6\" alt=\"%3\"></a></p>\n"
               "<p><a href=\"%5\">%5</a> (scalable) &middot; <a href=\"%6\">%6</a></p>\n"
               "</section>\n")
        .arg(v.name)
        .arg(number)
        .arg(v.title.toHtmlEscaped(), v.caption.toHtmlEscaped(), svg, png);
}

}  // namespace

std::string report_html(const ExperimentResult& r, const QString& stale) {
    const model::Scenario& s = r.experiment.baseline();
    const QString file = esc(std::filesystem::path(r.meta.scenario_file).filename().string());
    QString html =
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<title>mxsim: " +
        esc(s.name) + "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n";
    html += "<h1>" + esc(s.name) + "</h1>\n";
    if (!stale.isEmpty()) html += "<p class=\"stale\">" + stale.toHtmlEscaped() + "</p>\n";
    if (!s.question.empty()) html += "<p class=\"question\">" + esc(s.question) + "</p>\n";
    if (!s.description.empty()) html += "<p>" + esc(s.description) + "</p>\n";
    html += "<p>" + run_line(r) + " Scenario file: <code>" + file +
            "</code>. The data: <a href=\"summary.json\">summary.json</a> and "
            "<a href=\"timeseries.csv\">timeseries.csv</a>, as <code>mxsim run</code> writes "
            "them.</p>\n";
    html += "<nav><ol>\n";
    for (const ViewInfo& v : result_views())
        html += "<li><a href=\"#" + v.name + "\">" + v.title.toHtmlEscaped() + "</a></li>\n";
    html += "</ol></nav>\n";
    std::size_t number = 1;
    for (const ViewInfo& v : result_views())
        html += view_section(v, number++);
    html += "<footer><p>Made by mxsim-gui " + QString(MXSIM_VERSION) +
            " (<code>mxsim-gui --report</code>).</p></footer>\n</body>\n</html>\n";
    return html.toStdString();
}

void write_report(ChartPanel& panel, const ExperimentResult& r, const QString& stale,
                  const std::string& dir) {
    const QString shown = panel.currentView();
    std::vector<experiment::NamedContent> files;
    for (const ViewInfo& v : result_views()) {
        panel.setCurrentView(v.name);
        // The tab that just came forward is laid out at its size before it is drawn.
        QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
        QWidget& view = *panel.view(v.name);
        files.emplace_back(v.name.toStdString() + ".png", png_bytes(view, 1));
        files.emplace_back(v.name.toStdString() + ".svg", svg_bytes(view, v.title, v.caption));
    }
    panel.setCurrentView(shown);
    files.emplace_back("summary.json", summary_text(r));
    files.emplace_back("timeseries.csv", timeseries_text(r));
    files.emplace_back("index.html", report_html(r, stale));
    experiment::write_result_set(dir, files);
}

int make_report(const QString& scenario, const QString& dir, QTextStream& err) {
    try {
        // Refused now rather than after the run (names only: contents are not read).
        std::vector<experiment::NamedContent> names{{"index.html", ""}};
        for (const ViewInfo& v : result_views()) {
            names.emplace_back(v.name.toStdString() + ".png", "");
            names.emplace_back(v.name.toStdString() + ".svg", "");
        }
        experiment::check_result_folder(dir.toStdString(), names);
    } catch (const std::exception& e) {
        err << "mxsim-gui: --report: " << e.what() << "\n";
        return 1;
    }
    MainWindow window(MainWindow::Memory::Forget);
    window.resize(1600, 1000);
    window.show();
    QString why;
    if (!run_to_end(window, scenario, why)) {
        err << "mxsim-gui: " << why << "\n";
        return 1;
    }
    tell_first_story(window);
    try {
        write_report(*window.charts(), *window.result(), {}, dir.toStdString());
    } catch (const std::exception& e) {
        err << "mxsim-gui: --report: " << e.what() << "\n";
        return 1;
    }
    return 0;
}

}  // namespace mxsim::gui
