// trace_log.hpp - the readable trace of chosen messages: one record per SMTP step
// or queue decision. Offers TraceLog: which new messages are traced, and step(),
// the one call every part makes when something happens to a message.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/message.hpp"
#include "model/smtp_status.hpp"
#include "model/trace.hpp"

namespace mxsim::model {

class TraceLog {
  public:
    // `enabled`: a traced run; `marked_only`: only messages marked "trace" and
    // the notices about them. `host_names` outlives the log.
    TraceLog(bool enabled, bool marked_only, const std::vector<std::string>& host_names)
        : enabled_(enabled), marked_only_(marked_only), host_names_(host_names) {}

    bool enabled() const { return enabled_; }
    // Whether a new message is traced; `parent` is the message it reports on, if any.
    bool traces_new(const Message* parent) const {
        return enabled_ && (!marked_only_ || (parent && parent->traced));
    }
    void step(MessageId id, const Message& msg, std::string_view stage, HostIndex from,
              std::optional<HostIndex> to, const Status& st, std::string_view action, SimTime at) {
        if (!msg.traced) return;
        records_.push_back({at, id, msg.parent, host_names_[from], to ? host_names_[*to] : "",
                            std::string(stage), st.code, st.enhanced, std::string(action),
                            st.text});
    }
    const std::vector<TraceRecord>& records() const { return records_; }

  private:
    bool enabled_;
    bool marked_only_;
    const std::vector<std::string>& host_names_;
    std::vector<TraceRecord> records_;
};

}  // namespace mxsim::model
