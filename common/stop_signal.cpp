// The stop flag, its signal handlers, and giving up at stop points.
#include "common/stop_signal.h"

#include <signal.h>

#include <atomic>

namespace ganvas {
namespace {

std::atomic<int> stop_signal{0};  // the signal that asked to stop, 0 until one did
static_assert(std::atomic<int>::is_always_lock_free, "it is set from a signal handler");

void on_stop_signal(int signal) { stop_signal.store(signal); }

thread_local bool abandon_on_stop = false;

sigset_t stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

}  // namespace

void install_stop_signals() {
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESETHAND;  // the handler runs once: a second signal takes its default course
  // Also over a disposition inherited as ignored (a background job of a script): SIGINT always
  // means "stop cleanly", as `kill -INT` at any later moment does.
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

void hold_stop_signals() {
  const sigset_t set = stop_signals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

void release_stop_signals() {
  const sigset_t set = stop_signals();
  pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
}

bool stop_requested() { return stop_signal.load() != 0; }

int stop_signal_number() { return stop_signal.load(); }

Stopped::Stopped(int signal) : signal_(signal) {
  message_ = std::string("stopped by ") + (signal == SIGINT ? "SIGINT" : signal == SIGTERM ? "SIGTERM" : "a signal");
}

AbandonOnStop::AbandonOnStop() : outer_(abandon_on_stop) { abandon_on_stop = true; }

AbandonOnStop::~AbandonOnStop() { abandon_on_stop = outer_; }

void stop_point() {
  if (abandon_on_stop && stop_requested()) throw Stopped(stop_signal_number());
}

}  // namespace ganvas
