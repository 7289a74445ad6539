// ticker.hpp - calls a function at a fixed interval on a thread of its own until it is
// destroyed, so that a display stays alive while the main thread is busy (reading a
// scenario, building a world) and reports nothing. Offers Ticker.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace mxsim::cli {

class Ticker {
  public:
    // Throws std::system_error when no thread can be started.
    Ticker(std::chrono::milliseconds every, std::function<void()> tick)
        : thread_([this, every, tick = std::move(tick)] {
              std::unique_lock lock(mutex_);
              while (!cv_.wait_for(lock, every, [this] { return stop_; })) {
                  lock.unlock();
                  tick();
                  lock.lock();
              }
          }) {}
    ~Ticker() {
        {
            const std::lock_guard lock(mutex_);
            stop_ = true;
        }
        cv_.notify_one();
        thread_.join();
    }
    Ticker(const Ticker&) = delete;
    Ticker& operator=(const Ticker&) = delete;

  private:
    std::mutex mutex_;
    std::condition_variable cv_;
    bool stop_ = false;
    std::thread thread_;  // last: started once the members it uses exist
};

}  // namespace mxsim::cli
