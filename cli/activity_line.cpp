// activity_line.cpp - the activity line: redrawn with '\r' twice a second from one
// second on, with the time elapsed, and erased at the end.
#include "cli/activity_line.hpp"

#include <system_error>
#include <utility>

#include "experiment/progress.hpp"

namespace mxsim::cli {

ActivityLine::ActivityLine(std::ostream& out, bool draw, std::string text)
    : out_(out), text_(std::move(text)) {
    if (!draw) return;
    try {
        ticker_ = std::make_unique<Ticker>(std::chrono::milliseconds(500), [this] { redraw(); });
    } catch (const std::system_error&) {  // no thread to spare: the line is cosmetic
    }
}

ActivityLine::~ActivityLine() {
    ticker_.reset();  // joined: no redraw after this
    if (drawn_) out_ << "\r\033[K" << std::flush;
}

void ActivityLine::set(std::string text) {
    const std::lock_guard lock(mutex_);
    text_ = std::move(text);
}

void ActivityLine::redraw() {
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    if (elapsed < 1.0) return;
    const std::lock_guard lock(mutex_);
    out_ << '\r' << text_ << "  " << experiment::format_eta(elapsed) << "\033[K" << std::flush;
    drawn_ = true;
}

}  // namespace mxsim::cli
