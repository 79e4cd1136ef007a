// The training step's kernels and the host functions that launch them.
#include "gan/backends/cuda/step_kernels.cuh"

#include <algorithm>
#include <utility>

#include "gan/backends/cuda/cuda_check.h"
#include "gan/math/philox.h"

namespace ganvas::cuda {
namespace {

constexpr int kThreads = 256;    // threads of the 1-D kernels (a multiple of 32)
constexpr int kColumnTile = 32;  // columns per block of the column-reducing kernels
constexpr int kRowLanes = 32;    // rows a column-reducing block walks in parallel (32 x 32: the most threads a block has)

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

struct ActivateOp {
  Activation activation;
  __device__ float operator()(float x) const { return activate(activation, x); }
};
struct SigmoidOp {
  __device__ float operator()(float x) const { return sigmoid(x); }
};
struct ActivateBackwardOp {
  Activation activation;
  __device__ float operator()(float output, float grad) const { return activate_backward(activation, output, grad); }
};
struct SigmoidBackwardOp {
  __device__ float operator()(float output, float grad) const { return sigmoid_backward(output, grad); }
};

// Writes the one-hot vector of `digit` over `classes` floats from out, with the block's threads.
__device__ void write_one_hot(float* out, int classes, int digit) {
  for (int c = threadIdx.x; c < classes; c += blockDim.x) out[c] = c == digit ? 1.0f : 0.0f;
}

// The real half of D's input and G's latents for the step that control->(seed, step) selects.
// Grid: one block per batch row r (gridDim.x = batch), 1-D blocks.
// In: control (seed, step, images [image_count, pixels] uint8, labels [image_count] when
// layout.classes > 0). Out: with i = batch_image_index(seed, step, r, batch, image_count),
// real_rows[r] = pixel_to_unit of image i, then one_hot(labels[i]); z[r] = noise_value(seed, step,
// kNoise, r * noise + c) for c < noise, then one_hot(random_block(seed, step, kLabel, r).v[0] % classes).
__global__ void prepare_batch_kernel(const DeviceControl* control, BatchLayout layout, float* real_rows, float* z) {
  __shared__ uint32_t image_index;
  const uint32_t row = blockIdx.x;
  const uint64_t seed = control->seed;
  const uint64_t step = control->step;
  if (threadIdx.x == 0) {
    image_index = batch_image_index(seed, step, row, static_cast<uint32_t>(layout.batch), control->image_count);
  }
  float* z_row = z + static_cast<size_t>(row) * layout.latent();
  for (int c = threadIdx.x; c < layout.noise; c += blockDim.x) {
    z_row[c] = noise_value(seed, step, RngStream::kNoise, static_cast<uint64_t>(row) * layout.noise + c);
  }
  if (layout.classes > 0) {
    const Philox4x32 words = random_block(seed, step, RngStream::kLabel, row);
    write_one_hot(z_row + layout.noise, layout.classes, static_cast<int>(words.v[0] % layout.classes));
  }
  __syncthreads();
  const uint8_t* image = control->images + static_cast<size_t>(image_index) * layout.pixels;
  float* out = real_rows + static_cast<size_t>(row) * layout.disc_in();
  for (int p = threadIdx.x; p < layout.pixels; p += blockDim.x) out[p] = pixel_to_unit(image[p]);
  if (layout.classes > 0) write_one_hot(out + layout.pixels, layout.classes, control->labels[image_index]);
}

// An explicit batch's real rows, one block per row (gridDim.x = batch). In: pixels [batch, pixels]
// uint8, labels [batch] (when layout.classes > 0). Out: real_rows[r] = pixel_to_unit of row r's
// pixels, then one_hot(labels[r]).
__global__ void real_rows_kernel(const uint8_t* pixels, const uint8_t* labels, BatchLayout layout, float* real_rows) {
  const uint8_t* in = pixels + static_cast<size_t>(blockIdx.x) * layout.pixels;
  float* out = real_rows + static_cast<size_t>(blockIdx.x) * layout.disc_in();
  for (int p = threadIdx.x; p < layout.pixels; p += blockDim.x) out[p] = pixel_to_unit(in[p]);
  if (layout.classes > 0) write_one_hot(out + layout.pixels, layout.classes, labels[blockIdx.x]);
}

// D's fake rows, one block per row (gridDim.x = batch). In: images [batch, pixels], z [batch,
// latent]. Out: fake_rows[r] = images[r], then z[r]'s last `classes` values (the fake's digit).
__global__ void join_conditions_kernel(const float* images, const float* z, BatchLayout layout, float* fake_rows) {
  const float* image = images + static_cast<size_t>(blockIdx.x) * layout.pixels;
  const float* condition = z + static_cast<size_t>(blockIdx.x) * layout.latent() + layout.noise;
  float* out = fake_rows + static_cast<size_t>(blockIdx.x) * layout.disc_in();
  for (int p = threadIdx.x; p < layout.pixels; p += blockDim.x) out[p] = image[p];
  for (int c = threadIdx.x; c < layout.classes; c += blockDim.x) out[layout.pixels + c] = condition[c];
}

// y[r, c] = op(y[r, c] + bias[c]) in place, for y [rows, cols] and bias [cols]. Grid-stride.
template <class Op>
__global__ void bias_activation_kernel(float* y, const float* bias, size_t rows, int cols, Op op) {
  const size_t count = rows * static_cast<size_t>(cols);
  const size_t stride = static_cast<size_t>(gridDim.x) * blockDim.x;
  for (size_t i = static_cast<size_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < count; i += stride) {
    y[i] = op(y[i] + bias[i % cols]);
  }
}

// D's last hidden layer's activation and one-unit output layer, one block per row (gridDim.x =
// rows). In: hidden [rows, width] holding the layer's x W^T, bias [width], w_out [width], b_out [1].
// Out: hidden = activate(hidden + bias) in place; logit[r] = b_out + sum_j hidden[r, j] * w_out[j].
__global__ void disc_hidden_logit_kernel(float* hidden, const float* bias, const float* w_out, const float* b_out,
                                         int width, Activation activation, float* logit) {
  float* row = hidden + static_cast<size_t>(blockIdx.x) * width;
  float dot = 0.0f;
  for (int j = threadIdx.x; j < width; j += blockDim.x) {
    const float h = activate(activation, row[j] + bias[j]);
    row[j] = h;
    dot += h * w_out[j];
  }
  dot = block_sum(dot);
  if (threadIdx.x == 0) logit[blockIdx.x] = b_out[0] + dot;
}

// The losses of one step, on a single 1-D block. In: logit [2 batch] (real rows, then fake rows).
// Out: disc_logit_grad [2 batch] = d disc_loss / d logit; gen_logit_grad [batch] = d gen_loss /
// d fake logit, under the recipe's objective and real target; *disc_b_out_grad = sum of
// disc_logit_grad when not null (D's output bias gradient); the ring entry of this step (step =
// control->step, the mean losses and D outputs). Then advances control's step and the counters of
// the networks this step updates, as `advance` says: Adam's powers, or SGD's update count.
__global__ void losses_kernel(const float* logit, int batch, TrainingRecipe recipe, float* disc_logit_grad,
                              float* gen_logit_grad, float* disc_b_out_grad, DeviceControl* control, MetricsRing* ring,
                              StepAdvance advance) {
  const float inv_batch = 1.0f / static_cast<float>(batch);
  double gen_loss = 0, disc_loss = 0, d_real = 0, d_fake = 0, logit_grad_sum = 0;
  for (int r = threadIdx.x; r < batch; r += blockDim.x) {
    const RowLosses row = objective_row(recipe.loss, logit[r], logit[batch + r], inv_batch, recipe.real_target);
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
  if (disc_b_out_grad != nullptr) *disc_b_out_grad = static_cast<float>(logit_grad_sum);
  if (advance.step) control->step += 1;
  const bool sgd = recipe.optimizer == Optimizer::kSgd;
  if (advance.generator) {
    control->gen_powers = sgd ? sgd_next_count(control->gen_powers) : adam_next_powers(control->gen_powers, control->gen_adam);
  }
  if (advance.discriminator) {
    control->disc_powers =
        sgd ? sgd_next_count(control->disc_powers) : adam_next_powers(control->disc_powers, control->disc_adam);
  }
}

// Back through D's one-unit output layer and its last hidden layer's activation. Blocks of
// kColumnTile x kRowLanes threads, gridDim.x = ceil(width / kColumnTile); each block owns kColumnTile
// hidden units. In: hidden [2 batch, width] after the activation, w_out [width], disc_logit_grad
// [2 batch], gen_logit_grad [batch]. Out, when disc_hidden_grad is not null: disc_hidden_grad[r, j]
// = activate_backward(hidden[r, j], disc_logit_grad[r] * w_out[j]), disc_bias_grad[j] = its column
// sum, disc_w_out_grad[j] = sum_r disc_logit_grad[r] * hidden[r, j]. When gen_hidden_grad is not
// null: gen_hidden_grad[r, j] = activate_backward(hidden[batch + r, j], gen_logit_grad[r] * w_out[j]).
__global__ void __launch_bounds__(kColumnTile * kRowLanes)
    disc_output_backward_kernel(const float* hidden, const float* w_out, const float* disc_logit_grad,
                                const float* gen_logit_grad, int batch, int width, Activation activation,
                                float* disc_hidden_grad, float* disc_bias_grad, float* disc_w_out_grad,
                                float* gen_hidden_grad) {
  __shared__ float bias_partial[kRowLanes][kColumnTile];
  __shared__ float w_out_partial[kRowLanes][kColumnTile];
  const int j = blockIdx.x * kColumnTile + threadIdx.x;
  const int rows = 2 * batch;
  float bias_sum = 0.0f, w_out_sum = 0.0f;
  if (j < width) {
    const float weight = w_out[j];
#pragma unroll 4
    for (int r = threadIdx.y; r < rows; r += kRowLanes) {
      const size_t index = static_cast<size_t>(r) * width + j;
      const float h = hidden[index];
      if (disc_hidden_grad != nullptr) {
        const float grad = activate_backward(activation, h, disc_logit_grad[r] * weight);
        disc_hidden_grad[index] = grad;
        bias_sum += grad;
        w_out_sum += disc_logit_grad[r] * h;
      }
      if (gen_hidden_grad != nullptr && r >= batch) {
        gen_hidden_grad[index - static_cast<size_t>(batch) * width] =
            activate_backward(activation, h, gen_logit_grad[r - batch] * weight);
      }
    }
  }
  bias_partial[threadIdx.y][threadIdx.x] = bias_sum;
  w_out_partial[threadIdx.y][threadIdx.x] = w_out_sum;
  __syncthreads();
  if (threadIdx.y != 0 || j >= width || disc_hidden_grad == nullptr) return;
  float bias_total = 0.0f, w_out_total = 0.0f;
  for (int lane = 0; lane < kRowLanes; ++lane) {
    bias_total += bias_partial[lane][threadIdx.x];
    w_out_total += w_out_partial[lane][threadIdx.x];
  }
  disc_bias_grad[j] = bias_total;
  disc_w_out_grad[j] = w_out_total;
}

// Back through an activation, with the bias gradient. Blocks of kColumnTile x kRowLanes threads,
// gridDim.x = ceil(cols / kColumnTile). In: activation [rows, cols] (the layer's output), grad
// [rows, cols] = d loss / d output. Out: grad = backward(activation, grad) in place (d loss / d
// pre-activation); bias_grad[c] = its column sum, when bias_grad is not null.
template <class Backward>
__global__ void __launch_bounds__(kColumnTile * kRowLanes)
    activation_backward_bias_grad_kernel(const float* activation, float* grad, int rows, int cols, float* bias_grad,
                                         Backward backward) {
  __shared__ float partial[kRowLanes][kColumnTile];
  const int c = blockIdx.x * kColumnTile + threadIdx.x;
  float sum = 0.0f;
  if (c < cols) {
#pragma unroll 4
    for (int r = threadIdx.y; r < rows; r += kRowLanes) {
      const size_t index = static_cast<size_t>(r) * cols + c;
      const float g = backward(activation[index], grad[index]);
      grad[index] = g;
      sum += g;
    }
  }
  partial[threadIdx.y][threadIdx.x] = sum;
  __syncthreads();
  if (threadIdx.y != 0 || c >= cols || bias_grad == nullptr) return;
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

// One SGD-with-momentum update of a network's count parameters, in place: learning rate config->lr,
// momentum config->beta1 (device memory). In: grads [count]. Out: params, velocity [count]. Grid-stride.
__global__ void sgd_kernel(float* params, float* velocity, const float* grads, size_t count, const AdamConfig* config) {
  const float lr = config->lr, momentum = config->beta1;
  const size_t stride = static_cast<size_t>(gridDim.x) * blockDim.x;
  for (size_t i = static_cast<size_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < count; i += stride) {
    sgd_update(params[i], velocity[i], grads[i], lr, momentum);
  }
}

// average_update(average[i], values[i], average_decay(decay, control->step)) for i < count. Grid-stride.
__global__ void moving_average_kernel(float* average, const float* values, size_t count, float decay,
                                      const DeviceControl* control) {
  const float step_decay = average_decay(decay, control->step);
  const size_t stride = static_cast<size_t>(gridDim.x) * blockDim.x;
  for (size_t i = static_cast<size_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < count; i += stride) {
    average_update(average[i], values[i], step_decay);
  }
}

// Sets the live Adam settings of both networks in control, in stream order. One thread.
__global__ void set_adam_kernel(DeviceControl* control, AdamConfig generator, AdamConfig discriminator) {
  control->gen_adam = generator;
  control->disc_adam = discriminator;
}

// Launches `kernel` on `stream`; `name` names the kernel in the error a failed launch throws.
template <class... Params, class... Args>
void launch(const char* name, void (*kernel)(Params...), dim3 grid, dim3 block, cudaStream_t stream, Args&&... args) {
  cudaLaunchConfig_t config = {};
  config.gridDim = grid;
  config.blockDim = block;
  config.stream = stream;
  const cudaError_t status = cudaLaunchKernelEx(&config, kernel, std::forward<Args>(args)...);
  if (status != cudaSuccess) {
    (void)cudaGetLastError();
    GANVAS_THROW(cuda_error_message(status, (std::string("launch of ") + name).c_str()));
  }
}

unsigned grid_for(size_t count) {
  const size_t blocks = (count + kThreads - 1) / kThreads;
  return static_cast<unsigned>(std::clamp<size_t>(blocks, 1, size_t{1} << 16));
}

unsigned column_tiles(int cols) { return static_cast<unsigned>((cols + kColumnTile - 1) / kColumnTile); }

template <class Op>
void launch_bias_op(cudaStream_t stream, float* y, const float* bias, int rows, int cols, Op op) {
  const size_t count = static_cast<size_t>(rows) * cols;
  launch("bias_activation_kernel", bias_activation_kernel<Op>, grid_for(count), kThreads, stream, y, bias,
         static_cast<size_t>(rows), cols, op);
}

template <class Backward>
void launch_backward(cudaStream_t stream, const float* activation, float* grad, int rows, int cols, float* bias_grad,
                     Backward backward) {
  const dim3 block(kColumnTile, kRowLanes);
  launch("activation_backward_bias_grad_kernel", activation_backward_bias_grad_kernel<Backward>, column_tiles(cols),
         block, stream, activation, grad, rows, cols, bias_grad, backward);
}

}  // namespace

void launch_prepare_batch(cudaStream_t stream, DeviceControl* control, const BatchLayout& layout, float* real_rows,
                          float* z) {
  launch("prepare_batch_kernel", prepare_batch_kernel, layout.batch, kThreads, stream, control, layout, real_rows, z);
}

void launch_real_rows(cudaStream_t stream, const uint8_t* pixels, const uint8_t* labels, const BatchLayout& layout,
                      float* real_rows) {
  launch("real_rows_kernel", real_rows_kernel, layout.batch, kThreads, stream, pixels, labels, layout, real_rows);
}

void launch_join_conditions(cudaStream_t stream, const float* images, const float* z, const BatchLayout& layout,
                            float* fake_rows) {
  launch("join_conditions_kernel", join_conditions_kernel, layout.batch, kThreads, stream, images, z, layout,
         fake_rows);
}

void launch_bias_activation(cudaStream_t stream, float* y, const float* bias, int rows, int cols,
                            Activation activation) {
  launch_bias_op(stream, y, bias, rows, cols, ActivateOp{activation});
}

void launch_bias_sigmoid(cudaStream_t stream, float* y, const float* bias, int rows, int cols) {
  launch_bias_op(stream, y, bias, rows, cols, SigmoidOp{});
}

void launch_disc_hidden_logit(cudaStream_t stream, float* hidden, const float* bias, const float* w_out,
                              const float* b_out, int rows, int width, Activation activation, float* logit) {
  launch("disc_hidden_logit_kernel", disc_hidden_logit_kernel, rows, kThreads, stream, hidden, bias, w_out, b_out,
         width, activation, logit);
}

void launch_losses(cudaStream_t stream, const float* logit, int batch, const TrainingRecipe& recipe,
                   float* disc_logit_grad, float* gen_logit_grad, float* disc_b_out_grad, DeviceControl* control,
                   MetricsRing* ring, StepAdvance advance) {
  launch("losses_kernel", losses_kernel, 1, kThreads, stream, logit, batch, recipe, disc_logit_grad, gen_logit_grad,
         disc_b_out_grad, control, ring, advance);
}

void launch_disc_output_backward(cudaStream_t stream, const float* hidden, const float* w_out,
                                 const float* disc_logit_grad, const float* gen_logit_grad, int batch, int width,
                                 Activation activation, float* disc_hidden_grad, float* disc_bias_grad,
                                 float* disc_w_out_grad, float* gen_hidden_grad) {
  const dim3 block(kColumnTile, kRowLanes);
  launch("disc_output_backward_kernel", disc_output_backward_kernel, column_tiles(width), block, stream, hidden, w_out,
         disc_logit_grad, gen_logit_grad, batch, width, activation, disc_hidden_grad, disc_bias_grad, disc_w_out_grad,
         gen_hidden_grad);
}

void launch_activation_backward(cudaStream_t stream, Activation activation, const float* output, float* grad, int rows,
                                int cols, float* bias_grad) {
  launch_backward(stream, output, grad, rows, cols, bias_grad, ActivateBackwardOp{activation});
}

void launch_sigmoid_backward(cudaStream_t stream, const float* activation, float* grad, int rows, int cols,
                             float* bias_grad) {
  launch_backward(stream, activation, grad, rows, cols, bias_grad, SigmoidBackwardOp{});
}

void launch_adam(cudaStream_t stream, float* params, float* m, float* v, const float* grads, size_t count,
                 const AdamConfig* config, const AdamPowers* powers) {
  launch("adam_kernel", adam_kernel, grid_for(count), kThreads, stream, params, m, v, grads, count, config, powers);
}

void launch_sgd(cudaStream_t stream, float* params, float* velocity, const float* grads, size_t count,
                const AdamConfig* config) {
  launch("sgd_kernel", sgd_kernel, grid_for(count), kThreads, stream, params, velocity, grads, count, config);
}

void launch_moving_average(cudaStream_t stream, float* average, const float* values, size_t count, float decay,
                           const DeviceControl* control) {
  launch("moving_average_kernel", moving_average_kernel, grid_for(count), kThreads, stream, average, values, count,
         decay, control);
}

void launch_set_adam(cudaStream_t stream, DeviceControl* control, const AdamConfig& generator,
                     const AdamConfig& discriminator) {
  launch("set_adam_kernel", set_adam_kernel, 1, 1, stream, control, generator, discriminator);
}

}  // namespace ganvas::cuda
