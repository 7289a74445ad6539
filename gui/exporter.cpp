// exporter.cpp - exports through experiment/results_writer's atomic writes.
#include "gui/exporter.hpp"

#include <filesystem>
#include <stdexcept>

#include <QImage>
#include <QPainter>

#include "experiment/comparison.hpp"
#include "experiment/experiment_runner.hpp"
#include "experiment/safe_files.hpp"

namespace mxsim::gui {

std::string summary_text(const ExperimentResult& r) {
    return experiment::experiment_summary_json(r.meta, r.experiment, r.runs, r.comparison, r.timing)
               .dump(2) +
           "\n";
}

std::string timeseries_text(const ExperimentResult& r) {
    return experiment::timeseries_csv(r.experiment, r.runs);
}

void save_text(const std::string& path, const std::string& text) {
    const std::filesystem::path p(path);
    experiment::write_files_atomically(p.parent_path().empty() ? "." : p.parent_path().string(),
                                       {{p.filename().string(), text}});
}

void save_png(QWidget& widget, const QString& path, int scale) {
    QImage image(widget.size() * scale, QImage::Format_ARGB32);
    image.setDevicePixelRatio(scale);
    image.fill(Qt::white);
    QPainter painter(&image);
    widget.render(&painter);
    painter.end();
    // QImage::save writes in place; go through a temporary name for atomicity.
    const QString tmp = path + ".tmp";
    if (!image.save(tmp, "PNG")) {
        std::filesystem::remove(tmp.toStdString());
        throw std::runtime_error(path.toStdString() + ": cannot write the PNG");
    }
    std::error_code ec;
    std::filesystem::rename(tmp.toStdString(), path.toStdString(), ec);
    if (ec) throw std::runtime_error(path.toStdString() + ": " + ec.message());
}

}  // namespace mxsim::gui
