// exporter.hpp - what the user sees, saved: a chart as PNG or SVG, the time series as the
// CLI's timeseries.csv, the whole result as the CLI's summary.json.
// Offers summary_text(), timeseries_text(), png_bytes(), svg_bytes() and the save_*()
// functions (atomic writes).
#pragma once

#include <string>

#include <QString>
#include <QWidget>

#include "gui/experiment_result.hpp"

namespace mxsim::gui {

// Byte for byte what `mxsim run` writes for the same scenario and seed
// (experiment::experiment_summary_json and experiment::timeseries_csv).
std::string summary_text(const ExperimentResult& r);
std::string timeseries_text(const ExperimentResult& r);

// Each throws std::runtime_error naming the file on failure, leaving no partial file.
void save_text(const std::string& path, const std::string& text);
// `scale`: pixels per screen pixel (2 for sharp charts, 1 for compact screenshots).
void save_png(QWidget& widget, const QString& path, int scale = 2);
// The widget as SVG (Qt's QSvgGenerator), with `title` and `description` in the file.
void save_svg(QWidget& widget, const QString& path, const QString& title,
              const QString& description);

// The widget drawn as a PNG or an SVG file's bytes; png_bytes() throws
// std::runtime_error when the image cannot be encoded.
std::string png_bytes(QWidget& widget, int scale);
std::string svg_bytes(QWidget& widget, const QString& title, const QString& description);

}  // namespace mxsim::gui
