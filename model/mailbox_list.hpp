// mailbox_list.hpp - the local parts that exist in a domain, as a list shared by
// every domain with the same one (a count-and-pattern list is made once for all
// of them). Offers MailboxList: a read-only vector of names, cheap to copy.
#pragma once

#include <algorithm>
#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

namespace mxsim::model {

class MailboxList {
  public:
    MailboxList() = default;
    MailboxList(std::vector<std::string> names)  // NOLINT: a list is its names
        : names_(std::make_shared<const std::vector<std::string>>(std::move(names))) {}
    MailboxList(std::initializer_list<std::string> names)
        : MailboxList(std::vector<std::string>(names)) {}

    std::size_t size() const { return names_ ? names_->size() : 0; }
    bool empty() const { return size() == 0; }
    const std::string& operator[](std::size_t i) const { return (*names_)[i]; }
    const std::string* begin() const { return names_ ? names_->data() : nullptr; }
    const std::string* end() const { return names_ ? names_->data() + names_->size() : nullptr; }
    // Lists made by copying one MailboxList share it: the same identity.
    const void* identity() const { return names_.get(); }

    friend bool operator==(const MailboxList& a, const std::vector<std::string>& b) {
        return std::equal(a.begin(), a.end(), b.begin(), b.end());
    }

  private:
    std::shared_ptr<const std::vector<std::string>> names_;
};

}  // namespace mxsim::model
