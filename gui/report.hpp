// report.hpp - a run as a folder a teacher can project: every view as PNG and SVG, the
// CLI's summary.json and timeseries.csv, and an index.html with the scenario's name,
// question and description, then each view's title, picture (linking its SVG) and a
// one-line caption. Offers report_html(), write_report() and make_report() (--report).
#pragma once

#include <string>

#include <QString>
#include <QTextStream>

#include "gui/chart_panel.hpp"
#include "gui/experiment_result.hpp"

namespace mxsim::gui {

// The index.html of a report on `r`; `stale` (when not empty) is said at the top:
// the results no longer match the editor.
std::string report_html(const ExperimentResult& r, const QString& stale);
// Every view of `panel` drawn at its size on screen (its tab is switched to each, then
// back), into folder `dir` whole or not at all (experiment::write_result_set: a folder
// holding other files than a report's or mxsim run's is refused). Throws
// std::runtime_error naming the folder.
void write_report(ChartPanel& panel, const ExperimentResult& r, const QString& stale,
                  const std::string& dir);
// `mxsim-gui --report DIR SCENARIO.json`: runs the scenario without a display, tells the
// story of message 0 and writes the report. Returns the exit code (0, or 1 when the
// scenario cannot be run or the folder not written, with one line on `err`).
int make_report(const QString& scenario, const QString& dir, QTextStream& err);

}  // namespace mxsim::gui
