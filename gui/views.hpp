// views.hpp - the catalogue of the result views: the name --view and --report use, the
// short tab title, the full title of menus and reports, and a one-line caption.
// Offers ViewInfo, result_views() (in tab order) and find_view().
#pragma once

#include <vector>

#include <QString>
#include <QStringList>

namespace mxsim::gui {

struct ViewInfo {
    QString name;     // "ndr": --view, --report file names, ChartPanel::setCurrentView
    QString tab;      // "NDRs": short enough for eight tabs on a 1280-pixel screen
    QString title;    // "NDR volume": the View menu, the report's headings
    QString caption;  // one line on what it shows, for the report and the tab's tooltip
};

// Every view, in tab order (the View menu's Ctrl+1, Ctrl+2, ...); the teaching view last.
const std::vector<ViewInfo>& result_views();
// The names in tab order.
QStringList view_names();
// The view called `name`, or nullptr.
const ViewInfo* find_view(const QString& name);

}  // namespace mxsim::gui
