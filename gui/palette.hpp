// palette.hpp - the app's colours, fixed so that a thing keeps its colour everywhere:
// a variant by its place in the scenario file, a fate by its name, an MTA by its rank.
// Offers variant_colour(), fate_colour() and mta_colour().
#pragma once

#include <cstddef>
#include <string_view>

#include <QColor>

#include "model/message.hpp"

namespace mxsim::gui {

// Variant `slot` of the scenario file (0 is the baseline), the same on every chart
// and in every run, even when other variants were left out.
QColor variant_colour(std::size_t slot);
// One colour per fate, the same in every scenario and chart.
QColor fate_colour(model::Fate fate);
// By name ("delivered"); grey for a name that is no fate.
QColor fate_colour(std::string_view fate);
// The queue view's line of the MTA ranked `rank`: colours of their own, so an MTA's
// line is not taken for a variant's.
QColor mta_colour(std::size_t rank);

}  // namespace mxsim::gui
