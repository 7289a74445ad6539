// postfix_retry.cpp - Postfix's deferred queue: age-based backoff on the
// deferred-queue scan grid, expiry after a failure, delay warnings
// (postfix_queue.hpp; shared/domain/postfix-queue.md rules 2-6), and the
// dead-destination throttle (qmgr_queue_throttle, applied by QueueManager).
#include "model/postfix_queue.hpp"
#include "model/retry_policy.hpp"

namespace mxsim::model {
namespace {

class PostfixRetry final : public RetryPolicy {
  public:
    explicit PostfixRetry(const PostfixQueueSpec& spec) : spec_(spec) {}

    Retry after_failure(const Message& msg, const Attempt*, SimTime now) override {
        const PostfixDeferral d =
            postfix_after_failure(spec_, sim::whole_seconds(msg.arrival), sim::whole_seconds(now),
                                  msg.sender.is_null(), msg.warnings > 0);
        Retry r;
        r.give_up = d.expired;
        r.warn = d.warn;
        r.run_at = postfix_scan_time_s(spec_, postfix_scan_slot(spec_, d.due_s)) * sim::kSecond;
        return r;
    }
    bool uses_destination_windows() const override { return true; }

  private:
    const PostfixQueueSpec& spec_;
};

}  // namespace

std::unique_ptr<RetryPolicy> make_postfix_retry(const PostfixQueueSpec& spec) {
    return std::make_unique<PostfixRetry>(spec);
}

}  // namespace mxsim::model
