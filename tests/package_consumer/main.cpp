// Uses ganvas::core (two training steps on made-up images) and ganvas::engine (a headless GL
// context) from the installed package, as a C++ program of someone else's would.
#include <cstdio>

#include "engine/context.h"
#include "gan/backends/backend.h"
#include "gan/train/trainer.h"

int main() {
  using namespace ganvas;
  ImageSet images;
  images.count = 200;
  images.rows = images.cols = kImageSide;
  images.pixels.assign(static_cast<size_t>(images.count) * kImageSide * kImageSide, 128);
  images.labels.assign(images.count, 0);
  const std::unique_ptr<Backend> backend = make_cpu_backend(ModelShape{}, 16);
  backend->set_state(initial_state(ModelShape{}, 3));
  backend->set_training_images(images);
  TrainingLoop loop(*backend, 0);
  loop.step(Schedule{});
  loop.step(Schedule{});
  const StepMetrics metrics = loop.checked_metrics();
  std::printf("core: step %llu, G loss %.3f\n", static_cast<unsigned long long>(loop.next_step()), metrics.gen_loss);
  try {
    const std::unique_ptr<GlContext> context = create_headless({64, 64});
    std::printf("engine: %s\n", context->description().c_str());
  } catch (const std::exception& e) {
    std::printf("engine: no headless GL here (%s)\n", e.what());
  }
  return loop.next_step() == 2 ? 0 : 1;
}
