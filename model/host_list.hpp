// host_list.hpp - the MX hosts of one delivery attempt, best first, without allocation.
// Offers HostList: at most smtp_mx_address_limit (5) hosts, as Postfix's smtp(8)
// tries no more per delivery; every list an attempt keeps is a subset of them.
#pragma once

#include <array>
#include <cstddef>
#include <stdexcept>

#include "model/dns.hpp"

namespace mxsim::model {

class HostList {
  public:
    static constexpr std::size_t kCapacity = 5;  // smtp_mx_address_limit

    void push_back(HostIndex h) {
        if (size_ == kCapacity) throw std::logic_error("HostList: more than 5 hosts");
        items_[size_++] = h;
    }
    void assign_one(HostIndex h) { items_[0] = h, size_ = 1; }
    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    HostIndex operator[](std::size_t i) const { return items_[i]; }
    HostIndex front() const { return items_[0]; }
    HostIndex back() const { return items_[size_ - 1]; }
    const HostIndex* begin() const { return items_.data(); }
    const HostIndex* end() const { return items_.data() + size_; }

  private:
    std::array<HostIndex, kCapacity> items_{};
    std::size_t size_ = 0;
};

}  // namespace mxsim::model
