// activity_line.hpp - one line on stderr saying what a long step is doing ("reading
// x.json: scenario 3 of 10  0:04"), drawn from its first second on by a Ticker while
// the step itself gives no sign of life. Offers ActivityLine.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <ostream>
#include <string>

#include "cli/ticker.hpp"

namespace mxsim::cli {

class ActivityLine {
  public:
    // `draw`: stderr_wants_progress(); without it nothing is written and no thread runs.
    ActivityLine(std::ostream& out, bool draw, std::string text);
    ~ActivityLine();  // clears the line if it was drawn
    ActivityLine(const ActivityLine&) = delete;
    ActivityLine& operator=(const ActivityLine&) = delete;

    void set(std::string text);  // thread-safe

  private:
    void redraw();

    std::ostream& out_;
    std::mutex mutex_;
    std::string text_;
    const std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
    bool drawn_ = false;
    std::unique_ptr<Ticker> ticker_;  // last: it calls redraw()
};

}  // namespace mxsim::cli
