// The training loop, written once: a backend driven through a schedule, its step counter, the
// divergence check and the rate meter. `ganvas train`, the live trainer and the benchmark use it.
#pragma once

#include <chrono>
#include <cstdint>

#include "gan/backends/backend.h"

namespace ganvas {

// The tutorial's step is simultaneous. Alternating runs `d_steps` discriminator-only steps, then
// one generator-only step.
struct Schedule {
  bool alternate = false;
  int d_steps = 1;
};

// What a step of `schedule` updates, for the step with this index.
Update scheduled_update(const Schedule& schedule, uint64_t step);

// Throws a clear error when a step's numbers are not finite.
void check_finite(const StepMetrics& metrics);

// Steps per second since the last reading.
class RateMeter {
 public:
  RateMeter() { restart(); }
  // Forgets what was counted; the next reading covers the time from now.
  void restart();
  void count(uint64_t steps) { steps_ += steps; }
  uint64_t counted() const { return steps_; }
  double seconds() const;
  // The rate since the last reading (or restart), then restarts.
  double read();

 private:
  std::chrono::steady_clock::time_point start_;
  uint64_t steps_ = 0;
};

// A backend trained step by step from `next_step` on. The backend stays the caller's.
class TrainingLoop {
 public:
  TrainingLoop(Backend& backend, uint64_t next_step) : backend_(&backend), next_step_(next_step) {}
  // Another backend (another model) from `next_step` on.
  void set_backend(Backend& backend, uint64_t next_step) {
    backend_ = &backend;
    restart_at(next_step);
  }

  // One step of what `schedule` asks for at this step.
  void step(const Schedule& schedule) { step(scheduled_update(schedule, next_step_)); }
  // One step of the given kind (a Step D or Step G button).
  void step(Update update);
  // The latest step's numbers, checked: throws when training diverged.
  StepMetrics checked_metrics();
  // Whether the latest metrics describe the step just taken (not a state set or loaded since).
  bool trained_since_state() const { return trained_; }

  uint64_t next_step() const { return next_step_; }
  // After a state is set (reset, undo, load): training goes on from its step.
  void restart_at(uint64_t step);
  RateMeter& rate() { return rate_; }

 private:
  Backend* backend_;
  uint64_t next_step_;
  bool trained_ = false;
  RateMeter rate_;
};

}  // namespace ganvas
