// The training schedule and the divergence check.
#include "gan/trainer.h"

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

}  // namespace ganvas
