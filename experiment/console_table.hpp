// console_table.hpp - tables for the terminal that a person reads at a glance:
// each column as wide as its widest cell, text left-aligned and numbers
// right-aligned. Offers ConsoleTable and the number formats the tables use (libfmt).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mxsim::experiment {

enum class Align { Left, Right };

class ConsoleTable {
  public:
    struct Column {
        std::string header;
        Align align = Align::Right;
    };
    explicit ConsoleTable(std::vector<Column> columns) : columns_(std::move(columns)) {}

    // One cell per column (missing cells are empty).
    void add_row(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }
    std::size_t rows() const { return rows_.size(); }
    // The header, then every row, each line starting with `indent`; columns
    // two spaces apart, no trailing blanks.
    std::string render(std::string_view indent = "  ") const;

  private:
    std::vector<Column> columns_;
    std::vector<std::vector<std::string>> rows_;
};

// Columns a terminal gives `s` (UTF-8: "±" and "Δ" take one each).
std::size_t display_width(std::string_view s);

// 1234567 -> "1,234,567".
std::string count_text(std::uint64_t n);
// One decimal, thousands grouped: "1,234.5"; "-" for NaN.
std::string decimal_text(double v);
// A difference with its sign, "+12.3 ± 4.5" (the mean alone for a NaN half-width).
std::string difference_text(double mean, double half_width);

}  // namespace mxsim::experiment
