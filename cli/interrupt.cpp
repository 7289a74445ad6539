// interrupt.cpp - the signal handlers. A handler may touch only lock-free atomics of
// static storage, so the flag lives here at file scope (the one exception to "no
// globals": no object can be handed to a signal handler).
#include "cli/interrupt.hpp"

#include <csignal>

namespace mxsim::cli {
namespace {

std::atomic<bool> g_raised{false};
std::atomic<int> g_signal{0};
static_assert(std::atomic<bool>::is_always_lock_free && std::atomic<int>::is_always_lock_free);

struct sigaction g_old_int {
}, g_old_term{};

extern "C" void on_signal(int sig) {
    g_signal.store(sig);
    g_raised.store(true);
}

}  // namespace

InterruptFlag::InterruptFlag() {
    g_raised = false;
    g_signal = 0;
    struct sigaction sa {};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESETHAND;  // a second signal takes the default action: exit now
    sigaction(SIGINT, &sa, &g_old_int);
    sigaction(SIGTERM, &sa, &g_old_term);
}

InterruptFlag::~InterruptFlag() {
    sigaction(SIGINT, &g_old_int, nullptr);
    sigaction(SIGTERM, &g_old_term, nullptr);
}

const std::atomic<bool>& InterruptFlag::raised() const {
    return g_raised;
}

int InterruptFlag::signal() const {
    return g_signal.load();
}

}  // namespace mxsim::cli
