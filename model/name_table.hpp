// name_table.hpp - interning of names (hosts, domains, addresses) into dense ids.
// Offers NameTable: id_of() adds, find() looks up, name() reads back. Ids index
// plain vectors, so the hot path compares integers, never strings. Numbered
// local parts ("x123456", a dictionary attack's guesses) get computed ids and
// take no memory, so a flood of made-up recipients does not grow the table.
#pragma once

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace mxsim::model {

using NameId = std::uint32_t;

class NameTable {
  public:
    // Ids from here on stand for "x<n>" (n < 10^9, no leading zero).
    static constexpr NameId kNumberedBase = 0xC0000000;

    NameId id_of(std::string_view name) {
        if (const auto n = numbered(name)) return kNumberedBase + *n;
        const auto it = ids_.find(std::string(name));
        if (it != ids_.end()) return it->second;
        const auto id = static_cast<NameId>(names_.size());
        names_.emplace_back(name);
        ids_.emplace(names_.back(), id);
        return id;
    }
    static NameId numbered_id(std::uint32_t n) { return kNumberedBase + n; }
    std::optional<NameId> find(std::string_view name) const {
        if (const auto n = numbered(name)) return kNumberedBase + *n;
        const auto it = ids_.find(std::string(name));
        if (it == ids_.end()) return std::nullopt;
        return it->second;
    }
    std::string name(NameId id) const {
        std::string out;
        append_name(out, id);
        return out;
    }
    // Appends the name to `out`, without a string of its own.
    void append_name(std::string& out, NameId id) const {
        if (id < kNumberedBase || id == UINT32_MAX) {
            out += names_.at(id);
            return;
        }
        char digits[16];
        out += 'x';
        out.append(digits, std::to_chars(digits, digits + sizeof digits, id - kNumberedBase).ptr);
    }
    std::size_t size() const { return names_.size(); }

  private:
    static std::optional<std::uint32_t> numbered(std::string_view name) {
        if (name.size() < 2 || name.size() > 10 || name[0] != 'x') return std::nullopt;
        if (name[1] == '0' && name.size() > 2) return std::nullopt;
        std::uint32_t n = 0;
        for (const char c : name.substr(1)) {
            if (c < '0' || c > '9') return std::nullopt;
            n = n * 10 + static_cast<std::uint32_t>(c - '0');
        }
        return n;
    }

    std::vector<std::string> names_;
    std::unordered_map<std::string, NameId> ids_;
};

}  // namespace mxsim::model
