// The insight views' math: the data plane round-trips, D's landscape is D on that plane, G's
// per-image gradient equals finite differences of G's loss, and the network norms.
#include <gtest/gtest.h>

#include <cmath>

#include "gan/backends/backend.h"
#include "gan/io/checkpoint.h"
#include "common/error.h"
#include "gan/eval/insight.h"
#include "gan/model/sampler.h"
#include "test_support.h"

namespace ganvas {
namespace {

const GanState& shipped() {
  static const GanState state = load_checkpoint(test::assets_path("mnist-gan-20k.safetensors"));
  return state;
}

const DataPlane& mnist_plane() {
  static const DataPlane plane =
      data_plane(load_training_set(DatasetKind::kMnist, test::mnist_dir(), false), 2000);
  return plane;
}

TEST(DataPlane, ComponentsAreOrthonormalAndProjectionRoundTrips) {
  const DataPlane& p = mnist_plane();
  double n1 = 0, n2 = 0, dot = 0;
  for (size_t i = 0; i < p.pc1.size(); ++i) {
    n1 += p.pc1[i] * p.pc1[i];
    n2 += p.pc2[i] * p.pc2[i];
    dot += p.pc1[i] * p.pc2[i];
  }
  EXPECT_NEAR(n1, 1.0, 1e-5);
  EXPECT_NEAR(n2, 1.0, 1e-5);
  EXPECT_NEAR(dot, 0.0, 1e-5);
  EXPECT_GE(p.spread1, p.spread2);
  for (const auto& [a, b] : {std::array<float, 2>{1.5f, -2.0f}, {-3.0f, 0.25f}, {0.0f, 0.0f}}) {
    const std::vector<float> image = plane_image(p, a, b);
    const auto point = project(p, image.data(), 1)[0];
    EXPECT_NEAR(point[0], a, 1e-4);
    EXPECT_NEAR(point[1], b, 1e-4);
  }
}

TEST(Landscape, IsDOnThePlaneWithATopLeftOrigin) {
  const DataPlane& p = mnist_plane();
  const GanState& s = shipped();
  const Landscape l = discriminator_landscape(p, s.shape, s.discriminator.params, 5, 2.0f);
  ASSERT_EQ(l.scores.size(), 25u);
  // Top-left: a = -2 spread1, b = +2 spread2; bottom-right: a = +2 spread1, b = -2 spread2.
  const std::vector<float> top_left = plane_image(p, -2.0f * p.spread1, 2.0f * p.spread2);
  const std::vector<float> bottom_right = plane_image(p, 2.0f * p.spread1, -2.0f * p.spread2);
  EXPECT_NEAR(l.scores[0], discriminator_scores(s.shape, s.discriminator.params, top_left, 1)[0], 1e-6);
  EXPECT_NEAR(l.scores[24], discriminator_scores(s.shape, s.discriminator.params, bottom_right, 1)[0], 1e-6);
}

// Central differences of G's per-image loss at a few pixels of each image, against the analytic gradient.
void expect_gradient_matches_differences(const ModelShape& shape, Loss loss, const std::vector<float>& discriminator,
                                         std::vector<float> images, int n, const std::vector<float>& conditions) {
  const std::vector<float> grad = generator_loss_image_gradients(shape, loss, discriminator, images, n, conditions);
  ASSERT_EQ(grad.size(), images.size());
  const float h = 1e-3f;
  for (int r = 0; r < n; ++r) {
    for (int pixel : {100, 300, 406, 500, 650}) {
      const size_t at = static_cast<size_t>(r) * shape.image + pixel;
      const float kept = images[at];
      images[at] = kept + h;
      const double up = generator_losses(shape, loss, discriminator, images, n, conditions)[r];
      images[at] = kept - h;
      const double down = generator_losses(shape, loss, discriminator, images, n, conditions)[r];
      images[at] = kept;
      const double numeric = (up - down) / (2.0 * h);
      EXPECT_NEAR(grad[at], numeric, 2e-3 + 2e-2 * std::fabs(numeric))
          << loss_name(loss) << ", image " << r << " pixel " << pixel;
    }
  }
}

TEST(GeneratorGradient, EqualsFiniteDifferencesOfGsLossUnderEveryObjective) {
  const GanState& s = shipped();
  const int n = 3;
  const std::vector<float> images = generate_images(s, sample_latents(7, n, s.shape.noise), n);
  for (Loss loss : {Loss::kNonSaturating, Loss::kMinimax, Loss::kLeastSquares, Loss::kHinge}) {
    expect_gradient_matches_differences(s.shape, loss, s.discriminator.params, images, n, {});
  }
}

TEST(GeneratorGradient, EqualsFiniteDifferencesForAConditionalLeakyModel) {
  ModelShape shape;
  shape.classes = 10;
  shape.activation = Activation::kLeakyRelu;
  const GanState state = initial_state(shape, 4);
  const int n = 3;
  const std::vector<float> latents = model_latents(shape, 8, n, {2, 5, 9});
  const std::vector<float> images = generate_images(state, latents, n);
  expect_gradient_matches_differences(shape, Loss::kNonSaturating, state.discriminator.params, images, n,
                                      latent_conditions(shape, latents, n));
}

TEST(Landscape, AConditionalDJudgesThePlaneAsTheDigitAsked) {
  ModelShape shape;
  shape.classes = 10;
  shape.hidden = shape.disc_hidden = 32;
  const GanState state = initial_state(shape, 5);
  DataPlane plane;
  plane.mean.assign(784, 0.2f);
  plane.pc1.assign(784, 0.0f);
  plane.pc2.assign(784, 0.0f);
  plane.pc1[10] = plane.pc2[400] = 1.0f;
  const Landscape sevens = discriminator_landscape(plane, shape, state.discriminator.params, 3, 2.0f, 7);
  const std::vector<float> corner = plane_image(plane, -2.0f, 2.0f);  // the top-left point
  const uint8_t seven = 7;
  EXPECT_FLOAT_EQ(sevens.scores[0], discriminator_scores(shape, state.discriminator.params, corner, 1,
                                                         label_conditions(shape, &seven, 1))[0]);
  EXPECT_NE(sevens.scores, discriminator_landscape(plane, shape, state.discriminator.params, 3, 2.0f, 1).scores);
  EXPECT_THROW(discriminator_landscape(plane, shape, state.discriminator.params, 3, 2.0f, 10), Error);
}

TEST(NetworkNorms, TensorNormsAndGradientsAtTheShippedWeights) {
  const GanState& s = shipped();
  const TensorNorms norms = tensor_norms(s.shape.generator(), s.generator.params);
  ASSERT_EQ(norms.tensors.size(), 4u);
  const MlpShape g = s.shape.generator();
  double w1 = 0;
  for (size_t i = g.weight(0); i < g.bias(0); ++i) w1 += s.generator.params[i] * s.generator.params[i];
  EXPECT_NEAR(norms.first_weight(), std::sqrt(w1), 1e-3 * std::sqrt(w1));
  const int batch = 16;
  const ImageSet train = load_training_set(DatasetKind::kMnist, test::mnist_dir(), false);
  const std::vector<uint8_t> real(train.pixels.begin(), train.pixels.begin() + batch * s.shape.image);
  const std::vector<float> z = sample_latents(3, batch, s.shape.noise);
  const StepExplained step = explain_step(s, real, {}, z, batch);
  for (float norm : step.gradients.generator.tensors) EXPECT_TRUE(std::isfinite(norm) && norm > 0);
  for (float norm : step.gradients.discriminator.tensors) EXPECT_TRUE(std::isfinite(norm) && norm > 0);
  // The explained step is the backend's own step on that batch, with nothing updated.
  std::unique_ptr<Backend> backend = make_cpu_backend(s.shape, batch);
  backend->set_state(s);
  backend->train_step_on(real.data(), nullptr, z.data(), Update::kNone);
  const StepTrace trace = backend->trace();
  EXPECT_EQ(step.metrics.gen_loss, trace.metrics.gen_loss);
  EXPECT_EQ(step.metrics.disc_loss, trace.metrics.disc_loss);
  EXPECT_EQ(step.gradients.generator.tensors, tensor_norms(s.shape.generator(), trace.gen_grad).tensors);
  EXPECT_EQ(backend->state().step, s.step) << "nothing was updated";
  float counted = 0;
  for (float c : step.real_histogram) counted += c;
  EXPECT_EQ(counted, static_cast<float>(batch));
  counted = 0;
  for (float c : step.noise_histogram) counted += c;
  EXPECT_EQ(counted, static_cast<float>(batch * s.shape.noise));
  EXPECT_EQ(step.fakes.size(), size_t(StepExplained::kThumbnails) * s.shape.image);
}

TEST(Histogram, CountsEveryValueOnceWithOutliersInTheEndBins) {
  const float values[] = {-5.0f, 0.0f, 0.24f, 0.25f, 0.99f, 1.0f, 7.0f};
  EXPECT_EQ(histogram(values, 7, 4, 0.0f, 1.0f), (std::vector<float>{3, 1, 0, 3}));
}

}  // namespace
}  // namespace ganvas
