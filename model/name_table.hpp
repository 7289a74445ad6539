// name_table.hpp - interning of names (hosts, domains, addresses) into dense ids.
// Offers NameTable: id_of() adds, find() looks up, name() reads back. Ids index
// plain vectors, so the hot path compares integers, never strings.
#pragma once

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
    NameId id_of(std::string_view name) {
        const auto it = ids_.find(std::string(name));
        if (it != ids_.end()) return it->second;
        const auto id = static_cast<NameId>(names_.size());
        names_.emplace_back(name);
        ids_.emplace(names_.back(), id);
        return id;
    }
    std::optional<NameId> find(std::string_view name) const {
        const auto it = ids_.find(std::string(name));
        if (it == ids_.end()) return std::nullopt;
        return it->second;
    }
    const std::string& name(NameId id) const { return names_.at(id); }
    std::size_t size() const { return names_.size(); }

  private:
    std::vector<std::string> names_;
    std::unordered_map<std::string, NameId> ids_;
};

}  // namespace mxsim::model
