// The CUDA backend: the CPU backend's training step on the GPU, replayed as one CUDA graph per step.
#include "gan/cuda/cuda_backend.h"

#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <algorithm>
#include <atomic>
#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <utility>

#include "common/error.h"
#include "gan/gan_math.h"
#include "gan/philox.h"
#include "gan/cuda/cuda_check.h"
#include "gan/cuda/cuda_generator.h"
#include "gan/cuda/device_buffer.h"

namespace ganvas {
namespace {

using cuda::DeviceBuffer;
using cuda::PinnedBuffer;

constexpr int kThreads = 256;             // threads of the 1-D kernels (a multiple of 32)
constexpr int kColumnTile = 32;           // columns per block of the column-reducing kernels
constexpr int kRowLanes = 16;             // rows a column-reducing block walks in parallel
constexpr int kMetricsRingSize = 64;      // steps of metrics kept on the device
constexpr size_t kCublasWorkspaceBytes = size_t{32} << 20;  // cuBLAS's advice for Hopper

// ---------------------------------------------------------------------------------------------
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

// ---------------------------------------------------------------------------------------------
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

// ---------------------------------------------------------------------------------------------
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

// ---------------------------------------------------------------------------------------------
// Kernels.

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

// ---------------------------------------------------------------------------------------------
// Launch helpers.

unsigned grid_for(size_t count) {
  const size_t blocks = (count + kThreads - 1) / kThreads;
  return static_cast<unsigned>(std::clamp<size_t>(blocks, 1, size_t{1} << 16));
}

unsigned column_tiles(int cols) { return static_cast<unsigned>((cols + kColumnTile - 1) / kColumnTile); }

// cuBLAS is column-major; the buffers are row-major. A row-major [r, c] matrix is the column-major
// [c, r] matrix, its transpose, so each product below is computed as its transpose.

// y [rows, out] = x [rows, in] W^T, W [out, in] as PyTorch stores it (nn.Linear without the bias).
void gemm_linear_forward(cublasHandle_t cublas, const float* x, int rows, int in, const float* w, int out,
                         float* y) {
  const float one = 1.0f, zero = 0.0f;
  // y^T [out, rows] = W [out, in] x^T [in, rows].
  CUBLAS_CHECK(cublasSgemm(cublas, CUBLAS_OP_T, CUBLAS_OP_N, out, rows, in, &one, w, in, x, in, &zero, y, out));
}

// grad_w [out, in] = dy^T [out, rows] x [rows, in].
void gemm_linear_weight_grad(cublasHandle_t cublas, const float* dy, const float* x, int rows, int in, int out,
                             float* grad_w) {
  const float one = 1.0f, zero = 0.0f;
  // grad_w^T [in, out] = x^T [in, rows] dy [rows, out].
  CUBLAS_CHECK(cublasSgemm(cublas, CUBLAS_OP_N, CUBLAS_OP_T, in, out, rows, &one, x, in, dy, out, &zero, grad_w,
                           in));
}

// dx [rows, in] = dy [rows, out] W [out, in].
void gemm_linear_input_grad(cublasHandle_t cublas, const float* dy, const float* w, int rows, int in, int out,
                            float* dx) {
  const float one = 1.0f, zero = 0.0f;
  // dx^T [in, rows] = W^T [in, out] dy^T [out, rows].
  CUBLAS_CHECK(cublasSgemm(cublas, CUBLAS_OP_N, CUBLAS_OP_N, in, rows, out, &one, w, in, dy, out, &zero, dx, in));
}

std::atomic<uint64_t> image_readback_count{0};

void count_image_readback() { image_readback_count.fetch_add(1, std::memory_order_relaxed); }

template <class Activation>
void enqueue_bias_activation(cudaStream_t stream, float* y, const float* bias, int rows, int cols,
                             Activation activation) {
  const size_t count = static_cast<size_t>(rows) * cols;
  bias_activation_kernel<<<grid_for(count), kThreads, 0, stream>>>(y, bias, static_cast<size_t>(rows), cols,
                                                                   activation);
  CUDA_CHECK_LAUNCH("bias_activation_kernel");
}

// ---------------------------------------------------------------------------------------------
// RAII handles.

void require_cuda_device() {
  int count = 0;
  const cudaError_t status = cudaGetDeviceCount(&count);
  if (status != cudaSuccess) {
    (void)cudaGetLastError();
    GANVAS_THROW(std::string("the CUDA backend needs a CUDA device, and none is usable: ") +
                 cudaGetErrorName(status) + " (" + cudaGetErrorString(status) + ")");
  }
  GANVAS_CHECK(count > 0, "the CUDA backend needs a CUDA device, and none was found");
}

// A member that, constructed first, makes a backend without a CUDA device fail with a clear error
// before any CUDA resource is created.
struct CudaDeviceRequired {
  CudaDeviceRequired() { require_cuda_device(); }
};

class CudaStream {
 public:
  CudaStream() { CUDA_CHECK(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking)); }
  ~CudaStream() { cudaStreamDestroy(stream_); }
  CudaStream(const CudaStream&) = delete;
  CudaStream& operator=(const CudaStream&) = delete;
  cudaStream_t get() const { return stream_; }

 private:
  cudaStream_t stream_ = nullptr;
};

class CudaEvent {
 public:
  CudaEvent() { CUDA_CHECK(cudaEventCreateWithFlags(&event_, cudaEventDisableTiming)); }
  ~CudaEvent() {
    if (event_ != nullptr) cudaEventDestroy(event_);
  }
  CudaEvent(CudaEvent&& other) noexcept : event_(std::exchange(other.event_, nullptr)) {}
  CudaEvent& operator=(CudaEvent&&) = delete;
  CudaEvent(const CudaEvent&) = delete;
  CudaEvent& operator=(const CudaEvent&) = delete;
  cudaEvent_t get() const { return event_; }

 private:
  cudaEvent_t event_ = nullptr;
};

// A cuBLAS handle bound to `stream`, with its own workspace so that stream capture needs no
// allocation, in FP32 or TF32 math.
class CublasHandle {
 public:
  CublasHandle(cudaStream_t stream, void* workspace, size_t workspace_bytes, bool allow_tf32) {
    CUBLAS_CHECK(cublasCreate(&handle_));
    try {
      CUBLAS_CHECK(cublasSetStream(handle_, stream));
      CUBLAS_CHECK(cublasSetWorkspace(handle_, workspace, workspace_bytes));
      CUBLAS_CHECK(cublasSetMathMode(handle_, allow_tf32 ? CUBLAS_TF32_TENSOR_OP_MATH : CUBLAS_DEFAULT_MATH));
    } catch (...) {
      cublasDestroy(handle_);
      throw;
    }
  }
  ~CublasHandle() { cublasDestroy(handle_); }
  CublasHandle(const CublasHandle&) = delete;
  CublasHandle& operator=(const CublasHandle&) = delete;
  cublasHandle_t get() const { return handle_; }

 private:
  cublasHandle_t handle_ = nullptr;
};

class GraphExec {
 public:
  GraphExec() = default;
  explicit GraphExec(cudaGraphExec_t exec) : exec_(exec) {}
  ~GraphExec() { reset(); }
  GraphExec(GraphExec&& other) noexcept : exec_(std::exchange(other.exec_, nullptr)) {}
  GraphExec& operator=(GraphExec&& other) noexcept {
    if (this != &other) {
      reset();
      exec_ = std::exchange(other.exec_, nullptr);
    }
    return *this;
  }
  GraphExec(const GraphExec&) = delete;
  GraphExec& operator=(const GraphExec&) = delete;
  cudaGraphExec_t get() const { return exec_; }
  explicit operator bool() const { return exec_ != nullptr; }

 private:
  void reset() noexcept {
    if (exec_ != nullptr) cudaGraphExecDestroy(exec_);
    exec_ = nullptr;
  }
  cudaGraphExec_t exec_ = nullptr;
};

// Destroys a captured graph when it goes out of scope (the instantiated one lives on).
struct GraphDeleter {
  cudaGraph_t graph = nullptr;
  ~GraphDeleter() {
    if (graph != nullptr) cudaGraphDestroy(graph);
  }
};

// ---------------------------------------------------------------------------------------------
// The backend.

// Where a step's real rows and noise come from.
enum class BatchSource { kGather, kExplicit };

// One network's parameters, gradients and Adam moments, each one contiguous buffer in MlpShape's
// layout.
struct NetBuffers {
  NetBuffers(const MlpShape& shape, const std::string& name)
      : params(shape.size(), name + " parameters"),
        grads(shape.size(), name + " gradients"),
        m(shape.size(), name + " Adam first moments"),
        v(shape.size(), name + " Adam second moments") {}
  DeviceBuffer<float> params, grads, m, v;
};

// Pinned staging of one explicit batch, and the event after which it may be refilled.
struct UploadSlot {
  UploadSlot(size_t pixel_count, size_t noise_count)
      : pixels(pixel_count, "an explicit batch's pixels"), noise(noise_count, "an explicit batch's noise") {}
  PinnedBuffer<uint8_t> pixels;
  PinnedBuffer<float> noise;
  CudaEvent uploaded;
};

class CudaBackendImpl final : public CudaBackend {
 public:
  CudaBackendImpl(const ModelShape& shape, int batch, bool allow_tf32)
      : shape_(shape),
        batch_(checked_batch(batch)),
        cublas_workspace_(kCublasWorkspaceBytes, "the cuBLAS workspace"),
        cublas_(stream(), cublas_workspace_.data(), cublas_workspace_.bytes(), allow_tf32),
        control_(1, "the step control block"),
        ring_(1, "the metrics ring"),
        ring_host_(1, "the metrics ring's host copy"),
        gen_(shape.generator(), "generator"),
        disc_(shape.discriminator(), "discriminator"),
        z_(rows() * shape.noise, "the noise batch"),
        g_hidden_(rows() * shape.hidden, "the generator's hidden layer"),
        d_in_(2 * rows() * shape.image, "the discriminator's input"),
        d_hidden_(2 * rows() * shape.disc_hidden, "the discriminator's hidden layer"),
        d_logit_(2 * rows(), "the discriminator's logits"),
        d_logit_grad_(2 * rows(), "the logit gradients"),
        gen_logit_grad_(rows(), "the generator's logit gradients"),
        d_hidden_grad_(2 * rows() * shape.disc_hidden, "the discriminator's hidden gradients"),
        gen_hidden_grad_(rows() * shape.disc_hidden, "the generator's path through D's hidden layer"),
        g_out_grad_(rows() * shape.image, "the generator's output gradients"),
        g_hidden_grad_(rows() * shape.hidden, "the generator's hidden gradients"),
        explicit_pixels_(rows() * shape.image, "an explicit batch's pixels"),
        uploads_{UploadSlot(rows() * shape.image, rows() * shape.noise),
                 UploadSlot(rows() * shape.image, rows() * shape.noise)} {
    for (DeviceBuffer<float>* buffer : {&gen_.grads, &disc_.grads, &z_, &g_hidden_, &d_in_, &d_hidden_, &d_logit_,
                                        &d_logit_grad_, &gen_logit_grad_, &d_hidden_grad_, &gen_hidden_grad_,
                                        &g_out_grad_, &g_hidden_grad_}) {
      buffer->zero_async(stream());
    }
    ring_.zero_async(stream());
    write_control(DeviceControl{});
    set_state(initial_state(shape, 0));
  }

  ~CudaBackendImpl() override { cudaStreamSynchronize(stream()); }

  std::string name() const override { return "cuda"; }
  int batch() const override { return batch_; }

  void set_use_graph(bool use_graph) override { use_graph_ = use_graph; }
  bool use_graph() const override { return use_graph_; }

  void set_state(const GanState& state) override {
    check_consistent(state);
    GANVAS_CHECK(state.shape == shape_, "the state is of another model shape than this backend's");
    upload_net(state.generator, gen_);
    upload_net(state.discriminator, disc_);
    DeviceControl control = read_control();
    control.seed = state.seed;
    control.step = state.step;
    control.gen_powers = state.generator.powers;
    control.disc_powers = state.discriminator.powers;
    write_control(control);
  }

  GanState state() override {
    GanState state;
    state.shape = shape_;
    const DeviceControl control = read_control();
    state.seed = control.seed;
    state.step = control.step;
    state.generator = download_net(shape_.generator(), gen_, control.gen_powers);
    state.discriminator = download_net(shape_.discriminator(), disc_, control.disc_powers);
    return state;
  }

  // Asynchronous: a kernel launch carries the settings, so no staging memory is involved.
  void set_adam(const AdamConfig& generator, const AdamConfig& discriminator) override {
    set_adam_kernel<<<1, 1, 0, stream()>>>(control_.data(), generator, discriminator);
    CUDA_CHECK_LAUNCH("set_adam_kernel");
  }

  void set_training_images(const ImageSet& images) override {
    GANVAS_CHECK(images.pixels_per_image() == shape_.image, "training images must be 28x28");
    GANVAS_CHECK(images.pixels.size() == static_cast<size_t>(images.count) * shape_.image,
                 "the training images hold fewer pixels than their count says");
    CUDA_CHECK(cudaStreamSynchronize(stream()));  // queued steps may still read the old images
    images_ = DeviceBuffer<uint8_t>();
    image_count_ = 0;
    images_ = DeviceBuffer<uint8_t>(images.pixels.size(), "the training images");
    images_.upload(images.pixels, stream());
    DeviceControl control = read_control();
    control.images = images_.data();
    control.image_count = static_cast<uint32_t>(images.count);
    write_control(control);
    image_count_ = images.count;
  }

  void train_step(Update update) override {
    GANVAS_CHECK(image_count_ > 0, "no training images were given to the backend");
    run_step(BatchSource::kGather, update);
  }

  void train_step_on(const uint8_t* x_u8, const float* z, Update update) override {
    GANVAS_CHECK(x_u8 != nullptr && z != nullptr, "train_step_on needs pixels and noise");
    stage_explicit_batch(x_u8, z);
    run_step(BatchSource::kExplicit, update);
  }

  StepMetrics latest_metrics() override {
    const MetricsRing& ring = read_ring();
    if (ring.count == 0) return {};
    return ring.entries[(ring.count - 1) % kMetricsRingSize];
  }

  void copy_params(std::vector<float>& generator, std::vector<float>& discriminator) override {
    generator = gen_.params.download(stream());
    discriminator = disc_.params.download(stream());
  }

  std::vector<StepMetrics> recent_metrics() override {
    const MetricsRing& ring = read_ring();
    const uint64_t kept = std::min<uint64_t>(ring.count, kMetricsRingSize);
    std::vector<StepMetrics> metrics;
    metrics.reserve(kept);
    for (uint64_t k = ring.count - kept; k < ring.count; ++k) metrics.push_back(ring.entries[k % kMetricsRingSize]);
    return metrics;
  }

  StepTrace trace() override {
    StepTrace trace;
    trace.g_hidden = g_hidden_.download(stream());
    trace.g_out = d_in_.download(stream(), rows() * shape_.image, rows() * shape_.image);
    count_image_readback();
    trace.d_hidden = d_hidden_.download(stream());
    trace.d_logit = d_logit_.download(stream());
    trace.gen_grad = gen_.grads.download(stream());
    trace.disc_grad = disc_.grads.download(stream());
    trace.metrics = latest_metrics();
    return trace;
  }

  void generate(const float* z, int n, float* images) override {
    GANVAS_CHECK(n >= 0, "the number of images to generate must not be negative");
    if (n == 0) return;
    GANVAS_CHECK(z != nullptr && images != nullptr, "generate needs latents and room for the images");
    reserve_generate_scratch(static_cast<size_t>(n));
    const size_t latents = static_cast<size_t>(n) * shape_.noise;
    const size_t pixels = static_cast<size_t>(n) * shape_.image;
    generate_z_.upload_async(z, latents, stream());
    enqueue_generator_forward(generate_z_.data(), n, generate_hidden_.data(), generate_images_.data());
    generate_images_.download_async(images, pixels, stream());
    count_image_readback();
    CUDA_CHECK(cudaStreamSynchronize(stream()));
  }

 private:
  static int checked_batch(int batch) {
    GANVAS_CHECK(batch > 0, "the batch size must be positive");
    return batch;
  }

  cudaStream_t stream() const { return stream_.get(); }
  cublasHandle_t cublas() const { return cublas_.get(); }
  size_t rows() const { return static_cast<size_t>(batch_); }
  float* fake_rows() { return d_in_.data() + rows() * shape_.image; }

  // --- host <-> device state ---

  DeviceControl read_control() {
    DeviceControl control;
    control_.download_async(&control, 1, stream());
    CUDA_CHECK(cudaStreamSynchronize(stream()));
    return control;
  }

  void write_control(const DeviceControl& control) {
    control_.upload_async(&control, 1, stream());
    CUDA_CHECK(cudaStreamSynchronize(stream()));
  }

  const MetricsRing& read_ring() {
    CUDA_CHECK(cudaMemcpyAsync(ring_host_.data(), ring_.data(), sizeof(MetricsRing), cudaMemcpyDeviceToHost,
                               stream()));
    CUDA_CHECK(cudaStreamSynchronize(stream()));
    return ring_host_[0];
  }

  void upload_net(const NetState& net, NetBuffers& buffers) {
    buffers.params.upload_async(net.params.data(), net.params.size(), stream());
    buffers.m.upload_async(net.m.data(), net.m.size(), stream());
    buffers.v.upload_async(net.v.data(), net.v.size(), stream());
  }

  NetState download_net(const MlpShape& shape, const NetBuffers& buffers, const AdamPowers& powers) {
    NetState net;
    net.shape = shape;
    net.params = buffers.params.download(stream());
    net.m = buffers.m.download(stream());
    net.v = buffers.v.download(stream());
    net.powers = powers;
    return net;
  }

  // Copies an explicit batch into pinned staging and queues its upload. The two staging slots
  // alternate, so the host only waits for the upload of two batches ago.
  void stage_explicit_batch(const uint8_t* x_u8, const float* z) {
    UploadSlot& slot = uploads_[next_upload_];
    next_upload_ = (next_upload_ + 1) % uploads_.size();
    CUDA_CHECK(cudaEventSynchronize(slot.uploaded.get()));
    std::memcpy(slot.pixels.data(), x_u8, slot.pixels.bytes());
    std::memcpy(slot.noise.data(), z, slot.noise.bytes());
    explicit_pixels_.upload_async(slot.pixels.data(), slot.pixels.size(), stream());
    z_.upload_async(slot.noise.data(), slot.noise.size(), stream());
    CUDA_CHECK(cudaEventRecord(slot.uploaded.get(), stream()));
  }

  void reserve_generate_scratch(size_t n) {
    if (generate_capacity_ >= n) return;
    generate_z_ = DeviceBuffer<float>();
    generate_hidden_ = DeviceBuffer<float>();
    generate_images_ = DeviceBuffer<float>();
    generate_capacity_ = 0;
    generate_z_ = DeviceBuffer<float>(n * shape_.noise, "the latents to generate from");
    generate_hidden_ = DeviceBuffer<float>(n * shape_.hidden, "the generator's hidden layer while sampling");
    generate_images_ = DeviceBuffer<float>(n * shape_.image, "the generated images");
    generate_capacity_ = n;
  }

  // --- the step ---

  void run_step(BatchSource source, Update update) {
    if (!use_graph_) {
      enqueue_step(source, update);
      return;
    }
    const GraphExec& exec = graph_for(source, update);
    CUDA_CHECK(cudaGraphLaunch(exec.get(), stream()));
  }

  // The instantiated graph of one (source, update) step, captured on first use. The graph reads
  // the step number, images and Adam settings from device memory, so it stays valid.
  const GraphExec& graph_for(BatchSource source, Update update) {
    GraphExec& exec = graphs_[static_cast<size_t>(source) * 4 + static_cast<size_t>(update)];
    if (exec) return exec;
    GraphDeleter graph;
    CUDA_CHECK(cudaStreamBeginCapture(stream(), cudaStreamCaptureModeThreadLocal));
    try {
      enqueue_step(source, update);
    } catch (...) {
      cudaStreamEndCapture(stream(), &graph.graph);  // leaves the stream usable
      throw;
    }
    CUDA_CHECK(cudaStreamEndCapture(stream(), &graph.graph));
    cudaGraphExec_t instantiated = nullptr;
    CUDA_CHECK(cudaGraphInstantiate(&instantiated, graph.graph, 0));
    exec = GraphExec(instantiated);
    return exec;
  }

  // Queues one whole training step on the stream, as CpuBackend::run_step computes it.
  void enqueue_step(BatchSource source, Update update) {
    const bool gen_grads = update != Update::kDiscriminator;
    const bool disc_grads = update != Update::kGenerator;
    const bool update_gen = update == Update::kBoth || update == Update::kGenerator;
    const bool update_disc = update == Update::kBoth || update == Update::kDiscriminator;
    enqueue_real_rows_and_noise(source);
    enqueue_generator_forward(z_.data(), batch_, g_hidden_.data(), fake_rows());
    enqueue_discriminator_forward();
    enqueue_losses(disc_grads, StepAdvance{update != Update::kNone, update_gen, update_disc});
    enqueue_output_layer_backward(disc_grads, gen_grads);
    if (disc_grads) enqueue_discriminator_weight_grad();
    if (gen_grads) enqueue_generator_backward();
    if (update_gen) enqueue_adam(gen_, shape_.generator(), &control_.data()->gen_adam, &control_.data()->gen_powers);
    if (update_disc) {
      enqueue_adam(disc_, shape_.discriminator(), &control_.data()->disc_adam, &control_.data()->disc_powers);
    }
  }

  void enqueue_real_rows_and_noise(BatchSource source) {
    if (source == BatchSource::kGather) {
      prepare_batch_kernel<<<batch_, kThreads, 0, stream()>>>(control_.data(), batch_, shape_.image, shape_.noise,
                                                              d_in_.data(), z_.data());
      CUDA_CHECK_LAUNCH("prepare_batch_kernel");
      return;
    }
    // The explicit batch's noise was uploaded straight into z_.
    const size_t count = explicit_pixels_.size();
    scale_pixels_kernel<<<grid_for(count), kThreads, 0, stream()>>>(explicit_pixels_.data(), count, d_in_.data());
    CUDA_CHECK_LAUNCH("scale_pixels_kernel");
  }

  void enqueue_generator_forward(const float* z, int n, float* hidden, float* images) {
    cuda::generator_forward(cublas(), stream(), shape_.generator(), gen_.params.data(), z, n, hidden, images);
  }

  // D on all 2B rows at once: d_hidden_ = relu(d_in W1^T + b1), d_logit_ = d_hidden_ w2 + b2.
  void enqueue_discriminator_forward() {
    const MlpShape d = shape_.discriminator();
    const float* params = disc_.params.data();
    const int all_rows = 2 * batch_;
    gemm_linear_forward(cublas(), d_in_.data(), all_rows, d.in, params + d.w1(), d.hidden, d_hidden_.data());
    disc_hidden_logit_kernel<<<all_rows, kThreads, 0, stream()>>>(d_hidden_.data(), params + d.b1(),
                                                                  params + d.w2(), params + d.b2(), d.hidden,
                                                                  d_logit_.data());
    CUDA_CHECK_LAUNCH("disc_hidden_logit_kernel");
  }

  void enqueue_losses(bool disc_grads, StepAdvance advance) {
    const MlpShape d = shape_.discriminator();
    float* disc_b2_grad = disc_grads ? disc_.grads.data() + d.b2() : nullptr;
    losses_kernel<<<1, kThreads, 0, stream()>>>(d_logit_.data(), batch_, d_logit_grad_.data(),
                                                gen_logit_grad_.data(), disc_b2_grad, control_.data(),
                                                ring_.data(), advance);
    CUDA_CHECK_LAUNCH("losses_kernel");
  }

  // D's output-layer gradients (b1, w2; b2 came from the losses) and the hidden-layer gradients of
  // D's loss (all rows) and of G's loss (fake rows), in one pass over d_hidden_.
  void enqueue_output_layer_backward(bool disc_grads, bool gen_grads) {
    const MlpShape d = shape_.discriminator();
    float* grads = disc_.grads.data();
    const dim3 block(kColumnTile, kRowLanes);
    disc_output_backward_kernel<<<column_tiles(d.hidden), block, 0, stream()>>>(
        d_hidden_.data(), disc_.params.data() + d.w2(), d_logit_grad_.data(), gen_logit_grad_.data(), batch_,
        d.hidden, disc_grads ? d_hidden_grad_.data() : nullptr, grads + d.b1(), grads + d.w2(),
        gen_grads ? gen_hidden_grad_.data() : nullptr);
    CUDA_CHECK_LAUNCH("disc_output_backward_kernel");
  }

  void enqueue_discriminator_weight_grad() {
    const MlpShape d = shape_.discriminator();
    gemm_linear_weight_grad(cublas(), d_hidden_grad_.data(), d_in_.data(), 2 * batch_, d.in, d.hidden,
                            disc_.grads.data() + d.w1());
  }

  // G's loss back through D's pre-update first layer, G's sigmoid output layer and ReLU hidden layer.
  void enqueue_generator_backward() {
    const MlpShape d = shape_.discriminator();
    const MlpShape g = shape_.generator();
    const float* gen_params = gen_.params.data();
    float* grads = gen_.grads.data();
    gemm_linear_input_grad(cublas(), gen_hidden_grad_.data(), disc_.params.data() + d.w1(), batch_, d.in, d.hidden,
                           g_out_grad_.data());
    enqueue_activation_backward(fake_rows(), g_out_grad_.data(), g.out, grads + g.b2(), SigmoidBackwardOp{});
    gemm_linear_weight_grad(cublas(), g_out_grad_.data(), g_hidden_.data(), batch_, g.hidden, g.out, grads + g.w2());
    gemm_linear_input_grad(cublas(), g_out_grad_.data(), gen_params + g.w2(), batch_, g.hidden, g.out,
                           g_hidden_grad_.data());
    enqueue_activation_backward(g_hidden_.data(), g_hidden_grad_.data(), g.hidden, grads + g.b1(), ReluBackwardOp{});
    gemm_linear_weight_grad(cublas(), g_hidden_grad_.data(), z_.data(), batch_, g.in, g.hidden, grads + g.w1());
  }

  template <class Backward>
  void enqueue_activation_backward(const float* activation, float* grad, int cols, float* bias_grad,
                                   Backward backward) {
    const dim3 block(kColumnTile, kRowLanes);
    activation_backward_bias_grad_kernel<<<column_tiles(cols), block, 0, stream()>>>(activation, grad, batch_, cols,
                                                                                    bias_grad, backward);
    CUDA_CHECK_LAUNCH("activation_backward_bias_grad_kernel");
  }

  void enqueue_adam(NetBuffers& net, const MlpShape& shape, const AdamConfig* config, const AdamPowers* powers) {
    const size_t count = shape.size();
    adam_kernel<<<grid_for(count), kThreads, 0, stream()>>>(net.params.data(), net.m.data(), net.v.data(),
                                                            net.grads.data(), count, config, powers);
    CUDA_CHECK_LAUNCH("adam_kernel");
  }

  // Declared in construction order; destroyed in reverse, so the cuBLAS handle goes before its
  // workspace and stream, and the graphs before the buffers they use.
  ModelShape shape_;
  int batch_;
  CudaDeviceRequired device_required_;
  CudaStream stream_;
  DeviceBuffer<std::byte> cublas_workspace_;
  CublasHandle cublas_;
  bool use_graph_ = true;

  DeviceBuffer<DeviceControl> control_;
  DeviceBuffer<MetricsRing> ring_;
  PinnedBuffer<MetricsRing> ring_host_;
  NetBuffers gen_;
  NetBuffers disc_;
  DeviceBuffer<uint8_t> images_;  // [image_count_, image]
  int image_count_ = 0;

  DeviceBuffer<float> z_;                // [batch, noise]
  DeviceBuffer<float> g_hidden_;         // [batch, hidden]
  DeviceBuffer<float> d_in_;             // [2 batch, image]: real rows, then G(z)
  DeviceBuffer<float> d_hidden_;         // [2 batch, disc_hidden]
  DeviceBuffer<float> d_logit_;          // [2 batch]
  DeviceBuffer<float> d_logit_grad_;     // [2 batch] d disc_loss / d logit
  DeviceBuffer<float> gen_logit_grad_;   // [batch] d gen_loss / d fake logit
  DeviceBuffer<float> d_hidden_grad_;    // [2 batch, disc_hidden] of disc_loss
  DeviceBuffer<float> gen_hidden_grad_;  // [batch, disc_hidden] of gen_loss, fake rows
  DeviceBuffer<float> g_out_grad_;       // [batch, image]
  DeviceBuffer<float> g_hidden_grad_;    // [batch, hidden]

  DeviceBuffer<uint8_t> explicit_pixels_;  // [batch, image] of train_step_on
  std::array<UploadSlot, 2> uploads_;
  size_t next_upload_ = 0;

  DeviceBuffer<float> generate_z_;
  DeviceBuffer<float> generate_hidden_;
  DeviceBuffer<float> generate_images_;
  size_t generate_capacity_ = 0;  // latents the generate_* buffers hold

  std::array<GraphExec, 8> graphs_;  // [BatchSource][Update], captured on first use
};

}  // namespace

namespace cuda {

void generator_forward(cublasHandle_t cublas, cudaStream_t stream, const MlpShape& g, const float* params,
                       const float* z, int n, float* hidden, float* images) {
  gemm_linear_forward(cublas, z, n, g.in, params + g.w1(), g.hidden, hidden);
  enqueue_bias_activation(stream, hidden, params + g.b1(), n, g.hidden, ReluOp{});
  gemm_linear_forward(cublas, hidden, n, g.hidden, params + g.w2(), g.out, images);
  enqueue_bias_activation(stream, images, params + g.b2(), n, g.out, SigmoidOp{});
}

uint64_t image_readbacks() { return image_readback_count.load(std::memory_order_relaxed); }

}  // namespace cuda

std::unique_ptr<Backend> make_cuda_backend(const ModelShape& shape, int batch, bool allow_tf32) {
  return std::make_unique<CudaBackendImpl>(shape, batch, allow_tf32);
}

}  // namespace ganvas
