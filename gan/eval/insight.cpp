// The data's principal plane, D's landscape on it, G's per-image gradients and the network norms.
#include "gan/eval/insight.h"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>

#include "common/error.h"
#include "gan/backends/backend.h"
#include "gan/model/cpu_ops.h"
#include "gan/math/gan_math.h"
#include "gan/model/sampler.h"

namespace ganvas {

DataPlane data_plane(const ImageSet& images, int max_images) {
  const int n = std::min(images.count, max_images);
  const int dim = images.pixels_per_image();
  GANVAS_CHECK(n >= 3, "the data's plane needs at least three images");
  Eigen::MatrixXd x(n, dim);
  for (int r = 0; r < n; ++r) {
    for (int c = 0; c < dim; ++c) x(r, c) = pixel_to_unit(images.image(r)[c]);
  }
  const Eigen::RowVectorXd mean = x.colwise().mean();
  x.rowwise() -= mean;
  const Eigen::MatrixXd covariance = (x.transpose() * x) / static_cast<double>(n - 1);
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(covariance);
  GANVAS_CHECK(eigen.info() == Eigen::Success, "the eigendecomposition of the data's covariance did not converge");
  // Eigenvalues come in increasing order: the last two are the leading components.
  DataPlane plane;
  plane.mean.assign(mean.data(), mean.data() + dim);
  const Eigen::VectorXd pc1 = eigen.eigenvectors().col(dim - 1), pc2 = eigen.eigenvectors().col(dim - 2);
  plane.pc1.assign(pc1.data(), pc1.data() + dim);
  plane.pc2.assign(pc2.data(), pc2.data() + dim);
  plane.spread1 = static_cast<float>(std::sqrt(std::max(0.0, eigen.eigenvalues()(dim - 1))));
  plane.spread2 = static_cast<float>(std::sqrt(std::max(0.0, eigen.eigenvalues()(dim - 2))));
  return plane;
}

std::vector<std::array<float, 2>> project(const DataPlane& plane, const float* images, int n) {
  const size_t dim = plane.mean.size();
  std::vector<std::array<float, 2>> points(static_cast<size_t>(n));
  for (int r = 0; r < n; ++r) {
    const float* x = images + static_cast<size_t>(r) * dim;
    double a = 0, b = 0;
    for (size_t i = 0; i < dim; ++i) {
      const double offset = x[i] - plane.mean[i];
      a += offset * plane.pc1[i];
      b += offset * plane.pc2[i];
    }
    points[r] = {static_cast<float>(a), static_cast<float>(b)};
  }
  return points;
}

std::vector<float> plane_image(const DataPlane& plane, float a, float b) {
  std::vector<float> image(plane.mean.size());
  for (size_t i = 0; i < image.size(); ++i) image[i] = plane.mean[i] + a * plane.pc1[i] + b * plane.pc2[i];
  return image;
}

ScoredPoints scored_plane_points(const DataPlane& plane, const ModelShape& shape, const std::vector<float>& discriminator,
                                 const std::vector<float>& images, int n, const std::vector<float>& conditions) {
  ScoredPoints scored{project(plane, images.data(), n), discriminator_scores(shape, discriminator, images, n, conditions)};
  for (auto& p : scored.points) p = {p[0] / plane.spread1, p[1] / plane.spread2};
  return scored;
}

Landscape discriminator_landscape(const DataPlane& plane, const ModelShape& shape,
                                  const std::vector<float>& discriminator, int side, float reach, int digit) {
  GANVAS_CHECK(side >= 2, "a landscape needs at least 2 x 2 points");
  GANVAS_CHECK(digit >= 0 && (digit < shape.classes || !shape.conditional()), "a digit outside the model's classes");
  std::vector<float> images;
  images.reserve(static_cast<size_t>(side) * side * plane.mean.size());
  for (int row = 0; row < side; ++row) {
    const float b = reach * plane.spread2 * (1.0f - 2.0f * row / (side - 1));
    for (int column = 0; column < side; ++column) {
      const float a = reach * plane.spread1 * (2.0f * column / (side - 1) - 1.0f);
      const std::vector<float> image = plane_image(plane, a, b);
      images.insert(images.end(), image.begin(), image.end());
    }
  }
  const std::vector<uint8_t> digits(static_cast<size_t>(side) * side, static_cast<uint8_t>(digit));
  return {side, reach,
          discriminator_scores(shape, discriminator, images, side * side, label_conditions(shape, digits.data(), side * side))};
}

namespace {

// D's hidden layer and logits on n images (joined to their conditions).
void discriminator_pass(const ModelShape& shape, const std::vector<float>& params, const std::vector<float>& images,
                        int n, const std::vector<float>& conditions, std::vector<float>& hidden,
                        std::vector<float>& logits) {
  const MlpShape d = shape.discriminator();
  GANVAS_CHECK(params.size() == d.size(), "the discriminator's parameters do not match its shape");
  std::vector<float> joined;
  const float* inputs = discriminator_inputs(shape, images, n, conditions, joined);
  hidden.resize(d.hidden_values(n));
  logits.resize(static_cast<size_t>(n));
  cpu::discriminator_logits(d, params.data(), inputs, n, hidden.data(), logits.data());
}

// G's share of the objective for one fake's logit (the real logit plays no part in it).
RowLosses fake_row(Loss loss, float fake_logit) { return objective_row(loss, 0.0f, fake_logit, 1.0f, 1.0f); }

}  // namespace

std::vector<float> generator_losses(const ModelShape& shape, Loss loss, const std::vector<float>& discriminator,
                                    const std::vector<float>& images, int n, const std::vector<float>& conditions) {
  std::vector<float> hidden, logits;
  discriminator_pass(shape, discriminator, images, n, conditions, hidden, logits);
  for (float& logit : logits) logit = fake_row(loss, logit).gen_loss;
  return logits;
}

std::vector<float> generator_loss_image_gradients(const ModelShape& shape, Loss loss,
                                                  const std::vector<float>& discriminator,
                                                  const std::vector<float>& images, int n,
                                                  const std::vector<float>& conditions) {
  const MlpShape d = shape.discriminator();
  std::vector<float> hidden, logits;
  discriminator_pass(shape, discriminator, images, n, conditions, hidden, logits);
  std::vector<float> logit_grads(static_cast<size_t>(n));
  for (int r = 0; r < n; ++r) logit_grads[r] = fake_row(loss, logits[r]).gen_fake_grad;
  const size_t layer_values = static_cast<size_t>(n) * d.hidden;
  std::vector<float> grad_a(layer_values), grad_b(layer_values), input_grad(static_cast<size_t>(n) * d.in);
  cpu::discriminator_input_grad(d, discriminator.data(), {hidden.data(), layer_values}, n, logit_grads.data(),
                                grad_a.data(), grad_b.data(), input_grad.data());
  if (!shape.conditional()) return input_grad;
  std::vector<float> image_grad(static_cast<size_t>(n) * shape.image);  // the conditions' columns dropped
  for (int r = 0; r < n; ++r) {
    std::copy_n(input_grad.begin() + static_cast<std::ptrdiff_t>(r) * d.in, shape.image,
                image_grad.begin() + static_cast<std::ptrdiff_t>(r) * shape.image);
  }
  return image_grad;
}

TensorNorms tensor_norms(const MlpShape& shape, const std::vector<float>& params) {
  GANVAS_CHECK(params.size() == shape.size(), "parameters do not match the network's shape");
  TensorNorms norms;
  for (const TensorSlot& slot : tensor_slots(shape, "")) {
    double sum = 0;
    for (size_t i = slot.offset; i < slot.offset + slot.size; ++i) sum += static_cast<double>(params[i]) * params[i];
    norms.tensors.push_back(static_cast<float>(std::sqrt(sum)));
  }
  return norms;
}

float TensorNorms::total() const {
  double sum = 0;
  for (float t : tensors) sum += static_cast<double>(t) * t;
  return static_cast<float>(std::sqrt(sum));
}

std::vector<float> histogram(const float* values, size_t count, int bins, float lo, float hi) {
  std::vector<float> counts(static_cast<size_t>(bins), 0.0f);
  for (size_t i = 0; i < count; ++i) {
    const int bin = static_cast<int>(std::floor((values[i] - lo) / (hi - lo) * bins));
    counts[static_cast<size_t>(std::clamp(bin, 0, bins - 1))] += 1.0f;
  }
  return counts;
}

StepExplained explain_step(const GanState& state, const std::vector<uint8_t>& real, const std::vector<uint8_t>& labels,
                           const std::vector<float>& z, int batch) {
  const std::unique_ptr<Backend> backend = make_cpu_backend(state.shape, batch);
  return explain_step(*backend, state, real, labels, z);
}

StepExplained explain_step(Backend& backend, const GanState& state, const std::vector<uint8_t>& real,
                           const std::vector<uint8_t>& labels, const std::vector<float>& z) {
  const int batch = backend.batch();
  GANVAS_CHECK(batch >= StepExplained::kThumbnails, "a step to explain needs a few images");
  backend.set_state(state);
  backend.train_step_on(real.data(), labels.empty() ? nullptr : labels.data(), z.data(), Update::kNone);
  const StepTrace trace = backend.trace();
  const int image = state.shape.image;
  StepExplained step;
  step.shape = state.shape;
  step.batch = batch;
  std::vector<float> noise;  // the noise part of each latent, the condition left out
  for (int r = 0; r < batch; ++r) {
    noise.insert(noise.end(), z.begin() + static_cast<std::ptrdiff_t>(r) * state.shape.latent(),
                 z.begin() + static_cast<std::ptrdiff_t>(r) * state.shape.latent() + state.shape.noise);
  }
  step.noise_histogram = histogram(noise.data(), noise.size(), StepExplained::kBins, -1.0f, 1.0f);
  step.real_thumbnails.resize(static_cast<size_t>(StepExplained::kThumbnails) * image);
  for (size_t i = 0; i < step.real_thumbnails.size(); ++i) step.real_thumbnails[i] = pixel_to_unit(real[i]);
  step.fakes.assign(trace.g_out.begin(), trace.g_out.begin() + static_cast<std::ptrdiff_t>(StepExplained::kThumbnails) * image);
  std::vector<float> scores(trace.d_logit.size());
  std::transform(trace.d_logit.begin(), trace.d_logit.end(), scores.begin(), [](float l) { return sigmoid(l); });
  step.real_histogram = histogram(scores.data(), static_cast<size_t>(batch), StepExplained::kBins, 0.0f, 1.0f);
  step.fake_histogram = histogram(scores.data() + batch, static_cast<size_t>(batch), StepExplained::kBins, 0.0f, 1.0f);
  step.metrics = trace.metrics;
  step.gradients = {tensor_norms(state.shape.generator(), trace.gen_grad),
                    tensor_norms(state.shape.discriminator(), trace.disc_grad)};
  step.generator_weights = tensor_norms(state.shape.generator(), state.generator.params);
  step.discriminator_weights = tensor_norms(state.shape.discriminator(), state.discriminator.params);
  return step;
}

}  // namespace ganvas
