// content_policy.cpp - the end-of-DATA refusals and the after-queue virus actions.
#include "model/content_policy.hpp"

namespace mxsim::model {

std::optional<DataRefusal> data_refusal(const MtaSpec& spec, const Message& msg) {
    // reject_multi_recipient_bounce: a bounce (sender <>) reports on one message
    // to one sender, so one with several recipients is forged (Postfix postconf(5)).
    if (spec.reject_multi_recipient_bounce && msg.sender.is_null() && msg.recipients > 1)
        return DataRefusal{status::multi_recipient_bounce(), "DATA"};
    if (spec.virus_scan == VirusAction::Reject && msg.virus)
        return DataRefusal{status::virus_rejected(spec.virus_reject_code), "end of DATA"};
    return std::nullopt;
}

AfterQueue after_queue(const MtaSpec& spec, const Message& msg) {
    if (!msg.virus) return AfterQueue::Deliver;
    switch (spec.virus_scan) {
        case VirusAction::Notify:
            return AfterQueue::DiscardAndNotify;
        case VirusAction::Discard:
            return AfterQueue::Discard;
        case VirusAction::None:
        case VirusAction::Reject:  // a pre-queue scanner: refused at DATA, never queued
            return AfterQueue::Deliver;
    }
    return AfterQueue::Deliver;
}

}  // namespace mxsim::model
