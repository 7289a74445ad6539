// sendmail_retry.cpp - Sendmail's queue: every queue run tries every message;
// Timeout.queuewarn and Timeout.queuereturn (sendmail_queue.hpp).
#include "model/retry_policy.hpp"
#include "model/sendmail_queue.hpp"

namespace mxsim::model {
namespace {

class SendmailRetry final : public RetryPolicy {
  public:
    SendmailRetry(const SendmailQueueSpec& spec, const Directory& directory)
        : spec_(spec), directory_(directory) {}

    Retry after_failure(const Message& msg, const Attempt*, SimTime now) override {
        const NameTable& names = directory_.names();
        const Address from = msg.sender.is_null() ? Address{}
                                                  : Address{names.name(msg.sender.local),
                                                            names.name(msg.sender.domain)};
        const SendmailOutcome o = sendmail_after_failure(spec_, msg.arrival, now, msg.warned,
                                                         sendmail_sender_gets_warnings(from));
        Retry r;
        r.give_up = o == SendmailOutcome::Return;
        r.warn = o == SendmailOutcome::Warn;
        r.run_at = sendmail_next_queue_run(spec_, now);
        return r;
    }

  private:
    const SendmailQueueSpec& spec_;
    const Directory& directory_;
};

}  // namespace

std::unique_ptr<RetryPolicy> make_sendmail_retry(const SendmailQueueSpec& spec,
                                                 const Directory& directory) {
    return std::make_unique<SendmailRetry>(spec, directory);
}

}  // namespace mxsim::model
