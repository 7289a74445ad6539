// explain.hpp - a message's story, for `mxsim explain` and mxsim-gui's teaching view: the
// story of one message (or of every message touching an address), told step by step from
// the trace, each step with the RFC section or the Postfix/Exim/Sendmail behaviour behind
// it. Offers tell_story() (the traced run and its story) and the parts it is made of.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/message.hpp"
#include "model/scenario.hpp"
#include "model/trace.hpp"

namespace mxsim::experiment {

// What `mxsim explain` was asked about: --message ID and/or --address ADDR.
// With both, a message is selected when it matches either.
struct ExplainQuery {
    std::optional<std::uint32_t> message;
    std::optional<std::string> address;  // "bob@dest.example", "<bob@dest.example>" or "<>"
};

// Turns an interned address into "local@domain". Never called for the null
// reverse path (AddressRef::is_null()), which the story prints as "<>".
using AddressText = std::function<std::string(model::AddressRef)>;

// The messages the query selects, in ascending id order:
// - message: that message and every DSN descended from it (Message::parent
//   chains, the same ids as TraceRecord::parent), however deep;
// - address: every message whose envelope sender or recipient is the address,
//   compared without case; "<>" selects the messages sent from the null
//   reverse path (every DSN).
// Throws std::invalid_argument for an empty query or a message id the run
// never created.
std::vector<model::MessageId> select_messages(const std::vector<model::Message>& messages,
                                              const AddressText& address_of,
                                              const ExplainQuery& query);

// The story, as plain text at most 100 columns wide: for each selected message
// a header ("message 1: NDR about message 0, <> -> alice@sender.example"), then
// one block per trace record of that message, in trace order: the time, the
// hosts, the SMTP reply as a dialogue line, and "why:" with rule_behind() (and,
// for a deferral, when the next try came); last its fate and any DSN it caused.
// `messages` is the whole run's (World::messages()), indexed by id; `trace` is
// World::trace(). A selected message with no trace records says so.
std::string explain_story(const std::vector<model::TraceRecord>& trace,
                          const std::vector<model::MessageId>& selected,
                          const std::vector<model::Message>& messages,
                          const AddressText& address_of);

// The rule behind one step: a short sentence citing the RFC section or the
// Postfix/Exim/Sendmail behaviour, chosen by stage, action, enhanced code,
// reply code and text (first matching row of a table), or kFallbackRule.
std::string rule_behind(const model::TraceRecord& step);

inline constexpr std::string_view kFallbackRule =
    "no specific rule is on record for this step; RFC 5321 4.2.1: a 2xx reply means done, "
    "4xx a temporary failure (try again later), 5xx a permanent one (give up, bounce)";

struct Story {
    std::vector<model::MessageId> selected;  // ascending, as select_messages() returns them
    std::vector<model::TraceRecord> steps;   // the selected messages' trace records, in order
    std::string text;                        // explain_story()
};

// Runs `scenario` once (replication 0) with every message traced and tells the
// story of the messages `query` selects. Throws std::invalid_argument for a
// query select_messages() refuses.
Story tell_story(const model::Scenario& scenario, std::uint64_t seed, const ExplainQuery& query);

}  // namespace mxsim::experiment
