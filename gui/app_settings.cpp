// app_settings.cpp - the settings' keys and the recent files' rules, over QSettings.
#include "gui/app_settings.hpp"

#include <QFileInfo>
#include <QSettings>

namespace mxsim::gui {
namespace {

const char* const kRecentKey = "recent_files";
const char* const kGeometryKey = "window/geometry";

QSettings settings() {
    return QSettings("mxsim", "mxsim-gui");
}

void store(const QStringList& files) {
    settings().setValue(kRecentKey, files);
}

QString absolute(const QString& path) {
    return QFileInfo(path).absoluteFilePath();
}

}  // namespace

QStringList recent_files() {
    QStringList files = settings().value(kRecentKey).toStringList();
    files.removeDuplicates();
    return files.mid(0, kRecentFiles);
}

void remember_file(const QString& path) {
    QStringList files = recent_files();
    files.removeAll(absolute(path));
    files.prepend(absolute(path));
    store(files.mid(0, kRecentFiles));
}

void forget_file(const QString& path) {
    QStringList files = recent_files();
    files.removeAll(absolute(path));
    store(files);
}

void clear_recent_files() {
    store({});
}

QByteArray saved_geometry() {
    return settings().value(kGeometryKey).toByteArray();
}

void save_geometry(const QByteArray& geometry) {
    settings().setValue(kGeometryKey, geometry);
}

}  // namespace mxsim::gui
