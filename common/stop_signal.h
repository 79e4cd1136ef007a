// SIGINT and SIGTERM as a request to stop cleanly: the first sets a flag that long loops check (they
// finish the step, finalize their files and exit 0); a second ends the process at once. Work with
// nothing worth keeping when cut short (eval, train-classifier, sample) gives up instead: Stopped.
#pragma once

#include <exception>
#include <string>

namespace ganvas {

// Installs the handlers for SIGINT and SIGTERM (once per process). A signal that arrives while they
// are held back (hold_stop_signals) stays pending, even one inherited as ignored, and is handled
// when they are released.
void install_stop_signals();

// Blocks SIGINT and SIGTERM on the calling thread and on the threads it starts from then on: a
// process does this before anything else (before libraries start their threads), installs the
// handlers, then releases them, so that no moment is left where a signal kills it instead.
void hold_stop_signals();
// Unblocks them on the calling thread: a signal held back meanwhile is handled now.
void release_stop_signals();

// Whether a stop was asked for since install_stop_signals().
bool stop_requested();
// The signal that asked for it (SIGINT or SIGTERM), or 0.
int stop_signal_number();

// Thrown at a stop_point() once a stop was asked for: the command line says so in one line and
// exits 128 + the signal's number, as a shell reports a process its signal ended.
class Stopped : public std::exception {
 public:
  explicit Stopped(int signal);
  const char* what() const noexcept override { return message_.c_str(); }
  int signal() const { return signal_; }

 private:
  int signal_;
  std::string message_;  // "stopped by SIGINT"
};

// While one lives, stop_point() on its thread throws Stopped once a stop was asked for. Only work
// whose partial result is worth nothing makes one; elsewhere (train, a recording, the window's
// threads) stop points do nothing and the loops finish cleanly at stop_requested().
class AbandonOnStop {
 public:
  AbandonOnStop();
  ~AbandonOnStop();
  AbandonOnStop(const AbandonOnStop&) = delete;
  AbandonOnStop& operator=(const AbandonOnStop&) = delete;

 private:
  bool outer_;  // what the thread had before: scopes nest
};

// In long computations: throws Stopped when a stop was asked for and an AbandonOnStop lives on this
// thread; otherwise returns at once.
void stop_point();

}  // namespace ganvas
