// console_table.cpp - column widths from contents, and the number formats.
#include "experiment/console_table.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace mxsim::experiment {
namespace {

// fmt's "L" would take the thousands separator from the global locale; the
// tables must not depend on it (the same run prints the same table).
std::string grouped(std::string digits) {
    const std::size_t start = digits[0] == '-' || digits[0] == '+' ? 1 : 0;
    const std::size_t point = std::min(digits.find('.'), digits.size());
    for (std::size_t i = point; i > start + 3; i -= 3)
        digits.insert(i - 3, 1, ',');
    return digits;
}

}  // namespace

std::size_t display_width(std::string_view s) {
    return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;  // not a continuation byte
    }));
}

std::string count_text(std::uint64_t n) {
    return grouped(fmt::format("{}", n));
}

std::string decimal_text(double v) {
    return std::isfinite(v) ? grouped(fmt::format("{:.1f}", v)) : "-";
}

std::string difference_text(double mean, double half_width) {
    if (!std::isfinite(mean)) return "-";
    const std::string signed_mean = grouped(fmt::format("{:+.1f}", mean));
    return std::isfinite(half_width) ? signed_mean + " ± " + decimal_text(half_width) : signed_mean;
}

std::string ConsoleTable::render(std::string_view indent) const {
    std::vector<std::size_t> width(columns_.size(), 0);
    for (std::size_t c = 0; c < columns_.size(); ++c) {
        width[c] = display_width(columns_[c].header);
        for (const auto& row : rows_)
            if (c < row.size()) width[c] = std::max(width[c], display_width(row[c]));
    }
    std::string out;
    const auto line = [&](const auto& cell_at) {
        std::string text(indent);
        for (std::size_t c = 0; c < columns_.size(); ++c) {
            const std::string& cell = cell_at(c);
            const std::string pad(width[c] - display_width(cell), ' ');
            if (c > 0) text += "  ";
            text += columns_[c].align == Align::Right ? pad + cell : cell + pad;
        }
        text.erase(text.find_last_not_of(' ') + 1);
        out += text + '\n';
    };
    line([&](std::size_t c) -> const std::string& { return columns_[c].header; });
    static const std::string kEmpty;
    for (const auto& row : rows_)
        line([&](std::size_t c) -> const std::string& { return c < row.size() ? row[c] : kEmpty; });
    return out;
}

}  // namespace mxsim::experiment
