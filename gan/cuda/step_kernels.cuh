// The training step's kernels, each behind a host function that launches it on a stream: the batch,
// bias and activation, D's output layer, the losses, the backward passes, Adam. The numbers come from
// gan_math.h and philox.h, as on the CPU.
#pragma once

#include <cuda_runtime.h>

#include <cstddef>
#include <cstdint>

#include "gan/backend.h"
#include "gan/gan_math.h"

namespace ganvas::cuda {

constexpr int kMetricsRingSize = 64;  // steps of metrics kept on the device

// Device-side state of the step: read and written by kernels, so a replayed graph sees the
// current step number, images and Adam settings.

struct DeviceControl {
  uint64_t seed = 0;
  uint64_t step = 0;                 // Philox counter of the next training step
  const uint8_t* images = nullptr;   // [image_count, image] training pixels on the device
  uint32_t image_count = 0;
  AdamConfig gen_adam;               // live learning rates and betas
  AdamConfig disc_adam;
  AdamPowers gen_powers;             // TF1's running powers of the betas
  AdamPowers disc_powers;
};

// The metrics of the latest steps; step k's entry is entries[k % kMetricsRingSize] where k counts
// every evaluated step (kNone included).
struct MetricsRing {
  uint64_t count = 0;
  StepMetrics entries[kMetricsRingSize];
};

// What the losses kernel advances once this step's metrics are recorded.
struct StepAdvance {
  bool step = false;
  bool generator = false;
  bool discriminator = false;
};

// real_rows [batch, pixels] and z [batch, noise] for the step control->(seed, step) selects.
void launch_prepare_batch(cudaStream_t stream, DeviceControl* control, int batch, int pixels, int noise,
                          float* real_rows, float* z);
// out[i] = pixel_to_unit(pixels[i]) for i < count: an explicit batch's real rows.
void launch_scale_pixels(cudaStream_t stream, const uint8_t* pixels, size_t count, float* out);
// y [rows, cols] = relu or sigmoid(y + bias) in place.
void launch_bias_relu(cudaStream_t stream, float* y, const float* bias, int rows, int cols);
void launch_bias_sigmoid(cudaStream_t stream, float* y, const float* bias, int rows, int cols);
// D's hidden activation and one-unit output: hidden = relu(hidden + b1), logit = hidden w2 + b2.
void launch_disc_hidden_logit(cudaStream_t stream, float* hidden, const float* b1, const float* w2, const float* b2,
                              int rows, int width, float* logit);
// The step's losses, their logit gradients and metrics; then control advances as `advance` says.
void launch_losses(cudaStream_t stream, const float* logit, int batch, float* disc_logit_grad, float* gen_logit_grad,
                   float* disc_b2_grad, DeviceControl* control, MetricsRing* ring, StepAdvance advance);
// Back through D's output layer and hidden ReLU, for D's loss and for G's (either may be null).
void launch_disc_output_backward(cudaStream_t stream, const float* hidden, const float* w2,
                                 const float* disc_logit_grad, const float* gen_logit_grad, int batch, int width,
                                 float* disc_hidden_grad, float* disc_b1_grad, float* disc_w2_grad,
                                 float* gen_hidden_grad);
// grad = relu' or sigmoid'(activation) * grad in place, and bias_grad = its column sums.
void launch_relu_backward(cudaStream_t stream, const float* activation, float* grad, int rows, int cols,
                          float* bias_grad);
void launch_sigmoid_backward(cudaStream_t stream, const float* activation, float* grad, int rows, int cols,
                             float* bias_grad);
// One TF1 Adam update of `count` parameters with the settings and powers in device memory.
void launch_adam(cudaStream_t stream, float* params, float* m, float* v, const float* grads, size_t count,
                 const AdamConfig* config, const AdamPowers* powers);
// The live Adam settings of both networks into control, in stream order.
void launch_set_adam(cudaStream_t stream, DeviceControl* control, const AdamConfig& generator,
                     const AdamConfig& discriminator);

}  // namespace ganvas::cuda
