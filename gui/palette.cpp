// palette.cpp - the colour tables: Tableau 10 for variants, ColorBrewer Dark2 for MTAs,
// and a fate table in which the good outcome is green and the losses are warm.
#include "gui/palette.hpp"

#include <array>

namespace mxsim::gui {
namespace {

constexpr QRgb kVariants[] = {0x1f77b4, 0xd62728, 0x2ca02c, 0xff7f0e,
                              0x9467bd, 0x8c564b, 0xe377c2, 0x7f7f7f};
constexpr QRgb kMtas[] = {0x1b9e77, 0xd95f02, 0x7570b3, 0xe7298a,
                          0x66a61e, 0xe6ab02, 0xa6761d, 0x666666};
// In model::kFateNames order: queued, delivered, rejected, bounced, dropped, expired,
// discarded.
constexpr std::array<QRgb, model::kFateCount> kFates{0xa0a0a0, 0x2ca02c, 0xff7f0e, 0xd62728,
                                                     0x9467bd, 0x8c564b, 0x17becf};

}  // namespace

QColor variant_colour(std::size_t slot) {
    return QColor(kVariants[slot % std::size(kVariants)]);
}

QColor fate_colour(model::Fate fate) {
    return QColor(kFates.at(static_cast<std::size_t>(fate)));
}

QColor fate_colour(std::string_view fate) {
    for (std::size_t f = 0; f < model::kFateCount; ++f)
        if (model::kFateNames[f] == fate) return fate_colour(static_cast<model::Fate>(f));
    return QColor(0x404040);
}

QColor mta_colour(std::size_t rank) {
    return QColor(kMtas[rank % std::size(kMtas)]);
}

}  // namespace mxsim::gui
