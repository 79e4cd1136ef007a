// The training step's kernels, each behind a host function that launches it on a stream: the batch,
// bias and activation, D's output layer, the losses, the backward passes, Adam or SGD, G's average. The numbers come from
// gan_math.h and philox.h, as on the CPU.
#pragma once

#include <cuda_runtime.h>

#include <cstddef>
#include <cstdint>

#include "gan/backends/backend.h"
#include "gan/math/gan_math.h"

namespace ganvas::cuda {

constexpr int kMetricsRingSize = 64;  // steps of metrics kept on the device

// Device-side state of the step: read and written by kernels, so a replayed graph sees the
// current step number, images and Adam settings.

struct DeviceControl {
  uint64_t seed = 0;
  uint64_t step = 0;                 // Philox counter of the next training step
  const uint8_t* images = nullptr;   // [image_count, image] training pixels on the device
  const uint8_t* labels = nullptr;   // [image_count] their digits (conditional models; else null)
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

// The widths of a step's rows. A conditional model joins the digit's one-hot vector (`classes`
// wide) to G's noise and to D's image; the tutorial's has classes = 0.
struct BatchLayout {
  int batch = 0;
  int pixels = 0;
  int noise = 0;
  int classes = 0;
  __host__ __device__ int latent() const { return noise + classes; }
  __host__ __device__ int disc_in() const { return pixels + classes; }
};

// real_rows [batch, disc_in] (pixels, then the image's one-hot digit) and z [batch, latent] (noise,
// then the fake's one-hot digit) for the step that control->(seed, step) selects.
void launch_prepare_batch(cudaStream_t stream, DeviceControl* control, const BatchLayout& layout, float* real_rows,
                          float* z);
// An explicit batch's real rows [batch, disc_in] from its pixels [batch, pixels] and, conditional,
// its labels [batch].
void launch_real_rows(cudaStream_t stream, const uint8_t* pixels, const uint8_t* labels, const BatchLayout& layout,
                      float* real_rows);
// D's fake rows [batch, disc_in]: G's images [batch, pixels] joined to the digits in z's tails.
void launch_join_conditions(cudaStream_t stream, const float* images, const float* z, const BatchLayout& layout,
                            float* fake_rows);
// y [rows, cols] = activation or sigmoid(y + bias) in place.
void launch_bias_activation(cudaStream_t stream, float* y, const float* bias, int rows, int cols, Activation activation);
void launch_bias_sigmoid(cudaStream_t stream, float* y, const float* bias, int rows, int cols);
// D's last hidden layer's activation and its one-unit output: hidden = activation(hidden + bias),
// logit = hidden w_out + b_out.
void launch_disc_hidden_logit(cudaStream_t stream, float* hidden, const float* bias, const float* w_out,
                              const float* b_out, int rows, int width, Activation activation, float* logit);
// The step's losses under `recipe`'s objective, their logit gradients and metrics; then control
// advances as `advance` says (Adam's powers, or SGD's update count).
void launch_losses(cudaStream_t stream, const float* logit, int batch, const TrainingRecipe& recipe,
                   float* disc_logit_grad, float* gen_logit_grad, float* disc_b_out_grad, DeviceControl* control,
                   MetricsRing* ring, StepAdvance advance);
// Back through D's output layer and its last hidden layer's activation, for D's loss and for G's
// (either may be null).
void launch_disc_output_backward(cudaStream_t stream, const float* hidden, const float* w_out,
                                 const float* disc_logit_grad, const float* gen_logit_grad, int batch, int width,
                                 Activation activation, float* disc_hidden_grad, float* disc_bias_grad,
                                 float* disc_w_out_grad, float* gen_hidden_grad);
// grad = activation' or sigmoid'(output) * grad in place, and bias_grad = its column sums (when
// bias_grad is not null).
void launch_activation_backward(cudaStream_t stream, Activation activation, const float* output, float* grad, int rows,
                                int cols, float* bias_grad);
void launch_sigmoid_backward(cudaStream_t stream, const float* activation, float* grad, int rows, int cols,
                             float* bias_grad);
// One TF1 Adam update of `count` parameters with the settings and powers in device memory.
void launch_adam(cudaStream_t stream, float* params, float* m, float* v, const float* grads, size_t count,
                 const AdamConfig* config, const AdamPowers* powers);
// One SGD-with-momentum update (learning rate and momentum: config's lr and beta1; the velocity in
// `velocity`).
void launch_sgd(cudaStream_t stream, float* params, float* velocity, const float* grads, size_t count,
                const AdamConfig* config);
// average[i] += (1 - d) * (values[i] - average[i]), d = average_decay(decay, control->step): after
// the losses kernel has advanced control's step to count this one.
void launch_moving_average(cudaStream_t stream, float* average, const float* values, size_t count, float decay,
                           const DeviceControl* control);
// The live Adam settings of both networks into control, in stream order.
void launch_set_adam(cudaStream_t stream, DeviceControl* control, const AdamConfig& generator,
                     const AdamConfig& discriminator);

}  // namespace ganvas::cuda
