// The training step's kernels and the host functions that launch them.
#include "gan/cuda/step_kernels.cuh"

#include <algorithm>

#include "gan/cuda/cuda_check.h"
#include "gan/philox.h"

namespace ganvas::cuda {
namespace {

constexpr int kThreads = 256;    // threads of the 1-D kernels (a multiple of 32)
constexpr int kColumnTile = 32;  // columns per block of the column-reducing kernels
constexpr int kRowLanes = 16;    // rows a column-reducing block walks in parallel

// Reductions.

template <class T>
__device__ T warp_sum(T value) {
  for (int offset = 16; offset > 0; offset /= 2) value += __shfl_down_sync(0xffffffffu, value, offset);
  return value;
}

// The sum of `value` over a 1-D block whose size is a multiple of 32; every thread gets the total.
template <class T>
__device__ T block_sum(T value) {
  __shared__ T warp_totals[32];
  const int lane = threadIdx.x % 32;
  const int warp = threadIdx.x / 32;
  value = warp_sum(value);
  __syncthreads();  // an earlier call may still be reading warp_totals[0]
  if (lane == 0) warp_totals[warp] = value;
  __syncthreads();
  if (warp == 0) {
    const int warps = static_cast<int>(blockDim.x) / 32;
    T total = warp_sum(lane < warps ? warp_totals[lane] : T(0));
    if (lane == 0) warp_totals[0] = total;
  }
  __syncthreads();
  return warp_totals[0];
}

// Element-wise operations, all from gan_math.h.

struct ReluOp {
  __device__ float operator()(float x) const { return relu(x); }
};
struct SigmoidOp {
  __device__ float operator()(float x) const { return sigmoid(x); }
};
struct ReluBackwardOp {
  __device__ float operator()(float activation, float grad) const { return relu_backward(activation, grad); }
};
struct SigmoidBackwardOp {
  __device__ float operator()(float output, float grad) const { return sigmoid_backward(output, grad); }
};

// The real half of D's input and G's noise for the step that control->(seed, step) selects.
// Grid: one block per batch row r (gridDim.x = batch), 1-D blocks.
// In: control (seed, step, images [image_count, pixels] uint8). Out: real_rows[r, 0..pixels) =
// pixel_to_unit of image batch_image_index(seed, step, r, batch, image_count); z[r, 0..noise) =
// noise_value(seed, step, kNoise, r * noise + c).
__global__ void prepare_batch_kernel(const DeviceControl* control, int batch, int pixels, int noise,
                                     float* real_rows, float* z) {
  __shared__ uint32_t image_index;
  const uint32_t row = blockIdx.x;
  const uint64_t seed = control->seed;
  const uint64_t step = control->step;
  if (threadIdx.x == 0) {
    image_index = batch_image_index(seed, step, row, static_cast<uint32_t>(batch), control->image_count);
  }
  for (int c = threadIdx.x; c < noise; c += blockDim.x) {
    const uint64_t index = static_cast<uint64_t>(row) * noise + c;
    z[index] = noise_value(seed, step, RngStream::kNoise, index);
  }
  __syncthreads();
  const uint8_t* image = control->images + static_cast<size_t>(image_index) * pixels;
  float* out = real_rows + static_cast<size_t>(row) * pixels;
  for (int p = threadIdx.x; p < pixels; p += blockDim.x) out[p] = pixel_to_unit(image[p]);
}

// out[i] = pixel_to_unit(pixels[i]) for i < count: an explicit batch's real rows. Grid-stride.
__global__ void scale_pixels_kernel(const uint8_t* pixels, size_t count, float* out) {
  const size_t stride = static_cast<size_t>(gridDim.x) * blockDim.x;
  for (size_t i = static_cast<size_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < count; i += stride) {
    out[i] = pixel_to_unit(pixels[i]);
  }
}

// y[r, c] = activation(y[r, c] + bias[c]) in place, for y [rows, cols] and bias [cols]. Grid-stride.
template <class Activation>
__global__ void bias_activation_kernel(float* y, const float* bias, size_t rows, int cols, Activation activation) {
  const size_t count = rows * static_cast<size_t>(cols);
  const size_t stride = static_cast<size_t>(gridDim.x) * blockDim.x;
  for (size_t i = static_cast<size_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < count; i += stride) {
    y[i] = activation(y[i] + bias[i % cols]);
  }
}

// D's hidden layer activation and one-unit output layer, one block per row (gridDim.x = rows).
// In: hidden [rows, width] holding x W1^T, b1 [width], w2 [width], b2 [1].
// Out: hidden = relu(hidden + b1) in place; logit[r] = b2 + sum_j hidden[r, j] * w2[j].
__global__ void disc_hidden_logit_kernel(float* hidden, const float* b1, const float* w2, const float* b2,
                                         int width, float* logit) {
  float* row = hidden + static_cast<size_t>(blockIdx.x) * width;
  float dot = 0.0f;
  for (int j = threadIdx.x; j < width; j += blockDim.x) {
    const float h = relu(row[j] + b1[j]);
    row[j] = h;
    dot += h * w2[j];
  }
  dot = block_sum(dot);
  if (threadIdx.x == 0) logit[blockIdx.x] = b2[0] + dot;
}

// The losses of one step, on a single 1-D block. In: logit [2 batch] (real rows, then fake rows).
// Out: disc_logit_grad [2 batch] = d disc_loss / d logit; gen_logit_grad [batch] = d gen_loss /
// d fake logit; *disc_b2_grad = sum of disc_logit_grad when not null (D's output bias gradient);
// the ring entry of this step (step = control->step, the mean losses and D outputs). Then advances
// control's step and the powers of the networks this step updates, as `advance` says.
__global__ void losses_kernel(const float* logit, int batch, float* disc_logit_grad, float* gen_logit_grad,
                              float* disc_b2_grad, DeviceControl* control, MetricsRing* ring,
                              StepAdvance advance) {
  const float inv_batch = 1.0f / static_cast<float>(batch);
  double gen_loss = 0, disc_loss = 0, d_real = 0, d_fake = 0, logit_grad_sum = 0;
  for (int r = threadIdx.x; r < batch; r += blockDim.x) {
    const RowLosses row = row_losses(logit[r], logit[batch + r], inv_batch);
    disc_loss += row.disc_loss;
    gen_loss += row.gen_loss;
    d_real += row.d_real;
    d_fake += row.d_fake;
    disc_logit_grad[r] = row.disc_real_grad;
    disc_logit_grad[batch + r] = row.disc_fake_grad;
    gen_logit_grad[r] = row.gen_fake_grad;
    logit_grad_sum += static_cast<double>(row.disc_real_grad) + static_cast<double>(row.disc_fake_grad);
  }
  gen_loss = block_sum(gen_loss);
  disc_loss = block_sum(disc_loss);
  d_real = block_sum(d_real);
  d_fake = block_sum(d_fake);
  logit_grad_sum = block_sum(logit_grad_sum);
  if (threadIdx.x != 0) return;

  StepMetrics& metrics = ring->entries[ring->count % kMetricsRingSize];
  metrics.step = control->step;
  metrics.gen_loss = static_cast<float>(gen_loss * inv_batch);
  metrics.disc_loss = static_cast<float>(disc_loss * inv_batch);
  metrics.d_real = static_cast<float>(d_real * inv_batch);
  metrics.d_fake = static_cast<float>(d_fake * inv_batch);
  ring->count += 1;
  if (disc_b2_grad != nullptr) *disc_b2_grad = static_cast<float>(logit_grad_sum);
  if (advance.step) control->step += 1;
  if (advance.generator) control->gen_powers = adam_next_powers(control->gen_powers, control->gen_adam);
  if (advance.discriminator) {
    control->disc_powers = adam_next_powers(control->disc_powers, control->disc_adam);
  }
}

// Back through D's one-unit output layer and hidden ReLU. Blocks of kColumnTile x kRowLanes
// threads, gridDim.x = ceil(width / kColumnTile); each block owns kColumnTile hidden units.
// In: hidden [2 batch, width] after ReLU, w2 [width], disc_logit_grad [2 batch], gen_logit_grad
// [batch]. Out, when disc_hidden_grad is not null: disc_hidden_grad[r, j] =
// relu_backward(hidden[r, j], disc_logit_grad[r] * w2[j]), disc_b1_grad[j] = its column sum,
// disc_w2_grad[j] = sum_r disc_logit_grad[r] * hidden[r, j]. When gen_hidden_grad is not null:
// gen_hidden_grad[r, j] = relu_backward(hidden[batch + r, j], gen_logit_grad[r] * w2[j]).
__global__ void disc_output_backward_kernel(const float* hidden, const float* w2, const float* disc_logit_grad,
                                            const float* gen_logit_grad, int batch, int width,
                                            float* disc_hidden_grad, float* disc_b1_grad, float* disc_w2_grad,
                                            float* gen_hidden_grad) {
  __shared__ float b1_partial[kRowLanes][kColumnTile];
  __shared__ float w2_partial[kRowLanes][kColumnTile];
  const int j = blockIdx.x * kColumnTile + threadIdx.x;
  const int rows = 2 * batch;
  float b1_sum = 0.0f, w2_sum = 0.0f;
  if (j < width) {
    const float weight = w2[j];
    for (int r = threadIdx.y; r < rows; r += kRowLanes) {
      const size_t index = static_cast<size_t>(r) * width + j;
      const float h = hidden[index];
      if (disc_hidden_grad != nullptr) {
        const float grad = relu_backward(h, disc_logit_grad[r] * weight);
        disc_hidden_grad[index] = grad;
        b1_sum += grad;
        w2_sum += disc_logit_grad[r] * h;
      }
      if (gen_hidden_grad != nullptr && r >= batch) {
        gen_hidden_grad[index - static_cast<size_t>(batch) * width] =
            relu_backward(h, gen_logit_grad[r - batch] * weight);
      }
    }
  }
  b1_partial[threadIdx.y][threadIdx.x] = b1_sum;
  w2_partial[threadIdx.y][threadIdx.x] = w2_sum;
  __syncthreads();
  if (threadIdx.y != 0 || j >= width || disc_hidden_grad == nullptr) return;
  float b1_total = 0.0f, w2_total = 0.0f;
  for (int lane = 0; lane < kRowLanes; ++lane) {
    b1_total += b1_partial[lane][threadIdx.x];
    w2_total += w2_partial[lane][threadIdx.x];
  }
  disc_b1_grad[j] = b1_total;
  disc_w2_grad[j] = w2_total;
}

// Back through an activation, with the bias gradient. Blocks of kColumnTile x kRowLanes threads,
// gridDim.x = ceil(cols / kColumnTile). In: activation [rows, cols] (the layer's output), grad
// [rows, cols] = d loss / d output. Out: grad = backward(activation, grad) in place (d loss / d
// pre-activation); bias_grad[c] = its column sum.
template <class Backward>
__global__ void activation_backward_bias_grad_kernel(const float* activation, float* grad, int rows, int cols,
                                                     float* bias_grad, Backward backward) {
  __shared__ float partial[kRowLanes][kColumnTile];
  const int c = blockIdx.x * kColumnTile + threadIdx.x;
  float sum = 0.0f;
  if (c < cols) {
    for (int r = threadIdx.y; r < rows; r += kRowLanes) {
      const size_t index = static_cast<size_t>(r) * cols + c;
      const float g = backward(activation[index], grad[index]);
      grad[index] = g;
      sum += g;
    }
  }
  partial[threadIdx.y][threadIdx.x] = sum;
  __syncthreads();
  if (threadIdx.y != 0 || c >= cols) return;
  float total = 0.0f;
  for (int lane = 0; lane < kRowLanes; ++lane) total += partial[lane][threadIdx.x];
  bias_grad[c] = total;
}

// One TF1 Adam update of a network's count parameters, in place. In: grads [count], *config and
// *powers (already advanced to this update, in device memory). Out: params, m, v [count]. Grid-stride.
__global__ void adam_kernel(float* params, float* m, float* v, const float* grads, size_t count,
                            const AdamConfig* config, const AdamPowers* powers) {
  const AdamConfig adam = *config;
  const float step_size = adam_step_size(adam, *powers);
  const size_t stride = static_cast<size_t>(gridDim.x) * blockDim.x;
  for (size_t i = static_cast<size_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < count; i += stride) {
    adam_update(params[i], m[i], v[i], grads[i], step_size, adam);
  }
}

// Sets the live Adam settings of both networks in control, in stream order. One thread.
__global__ void set_adam_kernel(DeviceControl* control, AdamConfig generator, AdamConfig discriminator) {
  control->gen_adam = generator;
  control->disc_adam = discriminator;
}

unsigned grid_for(size_t count) {
  const size_t blocks = (count + kThreads - 1) / kThreads;
  return static_cast<unsigned>(std::clamp<size_t>(blocks, 1, size_t{1} << 16));
}

unsigned column_tiles(int cols) { return static_cast<unsigned>((cols + kColumnTile - 1) / kColumnTile); }

template <class Activation>
void launch_bias_activation(cudaStream_t stream, float* y, const float* bias, int rows, int cols, Activation activation) {
  const size_t count = static_cast<size_t>(rows) * cols;
  bias_activation_kernel<<<grid_for(count), kThreads, 0, stream>>>(y, bias, static_cast<size_t>(rows), cols, activation);
  CUDA_CHECK_LAUNCH("bias_activation_kernel");
}

template <class Backward>
void launch_activation_backward(cudaStream_t stream, const float* activation, float* grad, int rows, int cols,
                                float* bias_grad, Backward backward) {
  const dim3 block(kColumnTile, kRowLanes);
  activation_backward_bias_grad_kernel<<<column_tiles(cols), block, 0, stream>>>(activation, grad, rows, cols,
                                                                                bias_grad, backward);
  CUDA_CHECK_LAUNCH("activation_backward_bias_grad_kernel");
}

}  // namespace

void launch_prepare_batch(cudaStream_t stream, DeviceControl* control, int batch, int pixels, int noise,
                          float* real_rows, float* z) {
  prepare_batch_kernel<<<batch, kThreads, 0, stream>>>(control, batch, pixels, noise, real_rows, z);
  CUDA_CHECK_LAUNCH("prepare_batch_kernel");
}

void launch_scale_pixels(cudaStream_t stream, const uint8_t* pixels, size_t count, float* out) {
  scale_pixels_kernel<<<grid_for(count), kThreads, 0, stream>>>(pixels, count, out);
  CUDA_CHECK_LAUNCH("scale_pixels_kernel");
}

void launch_bias_relu(cudaStream_t stream, float* y, const float* bias, int rows, int cols) {
  launch_bias_activation(stream, y, bias, rows, cols, ReluOp{});
}

void launch_bias_sigmoid(cudaStream_t stream, float* y, const float* bias, int rows, int cols) {
  launch_bias_activation(stream, y, bias, rows, cols, SigmoidOp{});
}

void launch_disc_hidden_logit(cudaStream_t stream, float* hidden, const float* b1, const float* w2, const float* b2,
                              int rows, int width, float* logit) {
  disc_hidden_logit_kernel<<<rows, kThreads, 0, stream>>>(hidden, b1, w2, b2, width, logit);
  CUDA_CHECK_LAUNCH("disc_hidden_logit_kernel");
}

void launch_losses(cudaStream_t stream, const float* logit, int batch, float* disc_logit_grad, float* gen_logit_grad,
                   float* disc_b2_grad, DeviceControl* control, MetricsRing* ring, StepAdvance advance) {
  losses_kernel<<<1, kThreads, 0, stream>>>(logit, batch, disc_logit_grad, gen_logit_grad, disc_b2_grad, control, ring,
                                            advance);
  CUDA_CHECK_LAUNCH("losses_kernel");
}

void launch_disc_output_backward(cudaStream_t stream, const float* hidden, const float* w2,
                                 const float* disc_logit_grad, const float* gen_logit_grad, int batch, int width,
                                 float* disc_hidden_grad, float* disc_b1_grad, float* disc_w2_grad,
                                 float* gen_hidden_grad) {
  const dim3 block(kColumnTile, kRowLanes);
  disc_output_backward_kernel<<<column_tiles(width), block, 0, stream>>>(hidden, w2, disc_logit_grad, gen_logit_grad,
                                                                        batch, width, disc_hidden_grad, disc_b1_grad,
                                                                        disc_w2_grad, gen_hidden_grad);
  CUDA_CHECK_LAUNCH("disc_output_backward_kernel");
}

void launch_relu_backward(cudaStream_t stream, const float* activation, float* grad, int rows, int cols,
                          float* bias_grad) {
  launch_activation_backward(stream, activation, grad, rows, cols, bias_grad, ReluBackwardOp{});
}

void launch_sigmoid_backward(cudaStream_t stream, const float* activation, float* grad, int rows, int cols,
                             float* bias_grad) {
  launch_activation_backward(stream, activation, grad, rows, cols, bias_grad, SigmoidBackwardOp{});
}

void launch_adam(cudaStream_t stream, float* params, float* m, float* v, const float* grads, size_t count,
                 const AdamConfig* config, const AdamPowers* powers) {
  adam_kernel<<<grid_for(count), kThreads, 0, stream>>>(params, m, v, grads, count, config, powers);
  CUDA_CHECK_LAUNCH("adam_kernel");
}

void launch_set_adam(cudaStream_t stream, DeviceControl* control, const AdamConfig& generator,
                     const AdamConfig& discriminator) {
  set_adam_kernel<<<1, 1, 0, stream>>>(control, generator, discriminator);
  CUDA_CHECK_LAUNCH("set_adam_kernel");
}

}  // namespace ganvas::cuda
