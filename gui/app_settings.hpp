// app_settings.hpp - what mxsim-gui remembers between sessions, kept by QSettings under
// organisation "mxsim", application "mxsim-gui" (on Linux ~/.config/mxsim/mxsim-gui.conf):
// the recently opened scenario files and the window's geometry.
// Offers recent_files(), remember_file(), forget_file(), clear_recent_files(),
// saved_geometry() and save_geometry().
#pragma once

#include <QByteArray>
#include <QStringList>

namespace mxsim::gui {

inline constexpr int kRecentFiles = 8;

// Absolute paths, the most recent first, at most kRecentFiles.
QStringList recent_files();
// Puts `path` (made absolute) first, once.
void remember_file(const QString& path);
void forget_file(const QString& path);
void clear_recent_files();

// QWidget::saveGeometry() of the last window closed; empty when none was.
QByteArray saved_geometry();
void save_geometry(const QByteArray& geometry);

}  // namespace mxsim::gui
