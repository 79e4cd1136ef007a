// The training loop: schedule, steps, the divergence check and the rate meter.
#include "gan/train/trainer.h"

#include <cmath>
#include <string>

#include "common/error.h"

namespace ganvas {

Update scheduled_update(const Schedule& schedule, uint64_t step) {
  if (!schedule.alternate) return Update::kBoth;
  const uint64_t cycle = static_cast<uint64_t>(schedule.d_steps) + 1;
  return step % cycle < static_cast<uint64_t>(schedule.d_steps) ? Update::kDiscriminator : Update::kGenerator;
}

void check_finite(const StepMetrics& m) {
  if (std::isfinite(m.gen_loss) && std::isfinite(m.disc_loss) && std::isfinite(m.d_real) && std::isfinite(m.d_fake)) {
    return;
  }
  GANVAS_THROW("training diverged at step " + std::to_string(m.step) + ": G loss " + std::to_string(m.gen_loss) +
               ", D loss " + std::to_string(m.disc_loss) + " (try a lower learning rate or another seed)");
}

void RateMeter::restart() {
  start_ = std::chrono::steady_clock::now();
  steps_ = 0;
}

double RateMeter::seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

double RateMeter::read() {
  const double elapsed = seconds();
  const double rate = elapsed > 0 ? static_cast<double>(steps_) / elapsed : 0.0;
  restart();
  return rate;
}

void TrainingLoop::step(Update update) {
  backend_->train_step(update);
  ++next_step_;
  trained_ = true;
  rate_.count(1);
}

StepMetrics TrainingLoop::checked_metrics() {
  const StepMetrics metrics = backend_->latest_metrics();
  if (trained_) check_finite(metrics);
  return metrics;
}

void TrainingLoop::restart_at(uint64_t step) {
  next_step_ = step;
  trained_ = false;
}

}  // namespace ganvas
