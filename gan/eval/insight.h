// What the visualizer's insight views show, computed on the CPU from a snapshot's weights: D's
// landscape over the data's principal plane, where real and fake images fall on it, the gradient
// G's loss sends each fake image, and each layer's weight and gradient norms.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "gan/backends/backend.h"
#include "gan/io/dataset.h"
#include "gan/model/model.h"

namespace ganvas {

// The plane through the data's mean spanned by its two leading principal components (unit
// vectors), with the data's spread along each.
struct DataPlane {
  std::vector<float> mean;  // [image]
  std::vector<float> pc1, pc2;
  float spread1 = 1, spread2 = 1;  // standard deviation of the data along pc1 and pc2
};

// The plane of the first `max_images` images (pixels / 255), through Eigen's symmetric eigensolver.
DataPlane data_plane(const ImageSet& images, int max_images);

// Coordinates (a, b) of n images [n, image] on the plane: their offsets from the mean along pc1, pc2.
std::vector<std::array<float, 2>> project(const DataPlane& plane, const float* images, int n);
// The image mean + a pc1 + b pc2 (not clamped: the plane leaves [0, 1] far from the mean).
std::vector<float> plane_image(const DataPlane& plane, float a, float b);

// Where n images [n, image] fall on the plane, in spreads (a / spread1, b / spread2), and D's score
// of each image itself (with its conditions [n, classes] for a conditional model). The landscape
// under a point is D's score of the plane's image there, which may differ from the image's own.
struct ScoredPoints {
  std::vector<std::array<float, 2>> points;
  std::vector<float> scores;
};
ScoredPoints scored_plane_points(const DataPlane& plane, const ModelShape& shape, const std::vector<float>& discriminator,
                                 const std::vector<float>& images, int n, const std::vector<float>& conditions = {});

// D's landscape: D(mean + a pc1 + b pc2) on a side x side grid, a over [-reach * spread1,
// reach * spread1] left to right and b likewise bottom to top; row-major from the top row. A
// conditional model's D judges every point as an image of `digit`.
struct Landscape {
  int side = 0;
  float reach = 0;
  std::vector<float> scores;
};
Landscape discriminator_landscape(const DataPlane& plane, const ModelShape& shape,
                                  const std::vector<float>& discriminator, int side, float reach, int digit = 0);

// d L_G / dx for n images [n, image] (with their conditions [n, classes] for a conditional model):
// the gradient of each image's share of G's loss under `loss` (-log D(x) for the tutorial's), the
// direction D pushes a fake (its negative makes the image more "real" to D).
std::vector<float> generator_loss_image_gradients(const ModelShape& shape, Loss loss,
                                                  const std::vector<float>& discriminator,
                                                  const std::vector<float>& images, int n,
                                                  const std::vector<float>& conditions = {});

// G's loss per image under `loss`.
std::vector<float> generator_losses(const ModelShape& shape, Loss loss, const std::vector<float>& discriminator,
                                    const std::vector<float>& images, int n, const std::vector<float>& conditions = {});

// The L2 norms of an MLP's tensors.
struct TensorNorms {
  std::vector<float> tensors;  // in tensor_slots order: each layer's weight, then its bias
  float first_weight() const { return tensors.front(); }
  float output_weight() const { return tensors[tensors.size() - 2]; }
  float total() const;  // the norm of all of them together
};
TensorNorms tensor_norms(const MlpShape& shape, const std::vector<float>& params);

struct NetworkGradients {
  TensorNorms generator, discriminator;  // of each network's gradient
};

// One training step at given weights, taken apart stage by stage for the "one step, explained"
// view: the CPU backend's step with Update::kNone on a batch of real bytes [batch, image] and noise
// [batch, noise], so nothing is updated.
struct StepExplained {
  static constexpr int kBins = 16;
  static constexpr int kThumbnails = 4;
  ModelShape shape;
  int batch = 0;
  std::vector<float> noise_histogram;             // kBins counts of z over [-1, 1)
  std::vector<float> real_thumbnails, fakes;      // the batch's first kThumbnails images of each kind
  std::vector<float> real_histogram, fake_histogram;  // kBins counts of D(x) and of D(G(z)) over [0, 1]
  StepMetrics metrics;                            // the losses and mean D outputs of the step
  NetworkGradients gradients;                     // tensor norms of d loss / d parameters
  TensorNorms generator_weights, discriminator_weights;
};
// `labels` [batch] of the real images for a conditional model (else empty); z [batch, latent].
StepExplained explain_step(const GanState& state, const std::vector<uint8_t>& real, const std::vector<uint8_t>& labels,
                           const std::vector<float>& z, int batch);
// The same on a CPU backend the caller keeps from step to step (of the state's shape and the batch).
StepExplained explain_step(Backend& backend, const GanState& state, const std::vector<uint8_t>& real,
                           const std::vector<uint8_t>& labels, const std::vector<float>& z);

// Counts of `values` in `bins` equal bins over [lo, hi) (values outside go to the end bins).
std::vector<float> histogram(const float* values, size_t count, int bins, float lo, float hi);

}  // namespace ganvas
