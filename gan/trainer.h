// Drives a backend through a training schedule and watches for divergence.
#pragma once

#include <memory>

#include "gan/backend.h"

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

}  // namespace ganvas
