// exporter.cpp - exports through experiment/results_writer's atomic writes.
#include "gui/exporter.hpp"

#include <filesystem>
#include <stdexcept>

#include <QBuffer>
#include <QByteArray>
#include <QImage>
#include <QPainter>
#include <QSvgGenerator>

#include "experiment/comparison.hpp"
#include "experiment/csv_results.hpp"
#include "experiment/experiment_runner.hpp"
#include "experiment/safe_files.hpp"

namespace mxsim::gui {

std::string summary_text(const ExperimentResult& r) {
    return experiment::experiment_summary_json(r.meta, r.experiment, r.runs, r.comparison, r.timing)
               .dump(2) +
           "\n";
}

std::string timeseries_text(const ExperimentResult& r) {
    return experiment::timeseries_csv(r.experiment, r.runs, experiment::every_job(r.experiment),
                                      r.experiment.series);
}

void save_text(const std::string& path, const std::string& text) {
    const std::filesystem::path p(path);
    const std::string dir = p.parent_path().empty() ? "." : p.parent_path().string();
    // An export goes where the user pointed, into a folder that exists.
    if (!std::filesystem::is_directory(dir)) throw std::runtime_error(path + ": no folder " + dir);
    experiment::write_files_atomically(dir, {{p.filename().string(), text}});
}

std::string png_bytes(QWidget& widget, int scale) {
    QImage image(widget.size() * scale, QImage::Format_ARGB32);
    image.setDevicePixelRatio(scale);
    image.fill(Qt::white);
    QPainter painter(&image);
    widget.render(&painter);
    painter.end();
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    if (!image.save(&buffer, "PNG")) throw std::runtime_error("cannot encode the PNG");
    return std::string(png.constData(), static_cast<std::size_t>(png.size()));
}

std::string svg_bytes(QWidget& widget, const QString& title, const QString& description) {
    QByteArray svg;
    QBuffer buffer(&svg);
    buffer.open(QIODevice::WriteOnly);
    QSvgGenerator generator;
    generator.setOutputDevice(&buffer);
    generator.setSize(widget.size());
    generator.setViewBox(QRect(QPoint(0, 0), widget.size()));
    generator.setTitle(title);
    generator.setDescription(description);
    QPainter painter(&generator);
    painter.fillRect(QRect(QPoint(0, 0), widget.size()), Qt::white);
    widget.render(&painter);
    painter.end();
    return std::string(svg.constData(), static_cast<std::size_t>(svg.size()));
}

// Encoded in memory, then written as any export is (write_files_atomically: a fresh
// private temporary file, fsynced, renamed; never over a device node, a folder or
// through a symlink).
void save_png(QWidget& widget, const QString& path, int scale) {
    std::string png;
    try {
        png = png_bytes(widget, scale);
    } catch (const std::exception& e) {
        throw std::runtime_error(path.toStdString() + ": " + e.what());
    }
    save_text(path.toStdString(), png);
}

void save_svg(QWidget& widget, const QString& path, const QString& title,
              const QString& description) {
    save_text(path.toStdString(), svg_bytes(widget, title, description));
}

}  // namespace mxsim::gui
