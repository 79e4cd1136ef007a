// Training on real MNIST behaves like a working GAN: D learns to separate, then G's samples move
// toward the data's statistics.
#include <gtest/gtest.h>

#include "gan/backends/backend.h"
#include "gan/model/sampler.h"
#include "tests/test_support.h"

namespace ganvas {
namespace {

TEST(Convergence, ThreeThousandStepsOnMnist) {
  const ImageSet images = load_training_set(DatasetKind::kMnist, test::mnist_dir(), false);
  double data_mean = 0;
  for (uint8_t p : images.pixels) data_mean += p / 255.0;
  data_mean /= static_cast<double>(images.pixels.size());

  auto backend = make_cpu_backend(ModelShape{}, 128);
  backend->set_state(initial_state(ModelShape{}, 0));
  backend->set_training_images(images);
  const std::vector<float> z = sample_latents(99, 256, 100);
  std::vector<float> samples(256 * 784);
  backend->generate(z.data(), 256, samples.data());
  const double initial_gap = std::abs(mean_intensity(samples.data(), samples.size()) - data_mean);

  backend->train_step(Update::kBoth);
  const StepMetrics first = backend->latest_metrics();
  EXPECT_NEAR(first.d_real, 0.5, 0.25);  // an untrained D cannot tell
  EXPECT_NEAR(first.d_fake, 0.5, 0.25);

  double separation_at_200 = 0;
  StepMetrics last{};  // means over the last 200 steps
  const int steps = 3000, window = 200;
  for (int step = 1; step < steps; ++step) {
    backend->train_step(Update::kBoth);
    const StepMetrics m = backend->latest_metrics();
    if (step == 199) separation_at_200 = m.d_real - m.d_fake;
    if (step >= steps - window) {
      last.d_real += m.d_real / window;
      last.d_fake += m.d_fake / window;
      last.gen_loss += m.gen_loss / window;
    }
  }
  backend->generate(z.data(), 256, samples.data());
  const double final_gap = std::abs(mean_intensity(samples.data(), samples.size()) - data_mean);

  EXPECT_GT(separation_at_200, 0.3) << "D should learn to tell real from fake early";
  EXPECT_GT(last.d_real, last.d_fake) << "D still prefers real images";
  EXPECT_GT(last.d_fake, 0.002) << "G must still fool D sometimes";
  EXPECT_LT(last.d_real, 0.999);
  EXPECT_LT(last.gen_loss, 8.0);
  EXPECT_LT(final_gap, 0.05) << "mean intensity of samples should approach the data's " << data_mean;
  EXPECT_LT(final_gap, initial_gap / 4) << "initial gap " << initial_gap;
}

}  // namespace
}  // namespace ganvas
