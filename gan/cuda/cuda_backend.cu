// The CUDA backend: the CPU backend's training step on the GPU, replayed as one CUDA graph per step.
// Its kernels are in step_kernels.cu, its GEMMs in layers.cpp, its handles in cuda_handles.h.
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
#include "gan/backend_factory.h"
#include "gan/cuda/cuda_check.h"
#include "gan/cuda/cuda_generator.h"
#include "gan/cuda/cuda_handles.h"
#include "gan/cuda/device_buffer.h"
#include "gan/cuda/layers.h"
#include "gan/cuda/step_kernels.cuh"

namespace ganvas {
namespace {

using namespace cuda;

constexpr size_t kCublasWorkspaceBytes = size_t{32} << 20;  // cuBLAS's advice for Hopper

std::atomic<uint64_t> image_readback_count{0};

void count_image_readback() { image_readback_count.fetch_add(1, std::memory_order_relaxed); }

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
        cublas_(stream(), allow_tf32),
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
    cublas_.set_workspace(cublas_workspace_.data(), cublas_workspace_.bytes());
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
    GANVAS_CHECK(cuda_trains(state.shape, state.recipe), kCudaTutorialOnly);
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
    launch_set_adam(stream(), control_.data(), generator, discriminator);
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

  void train_step_on(const uint8_t* x_u8, const uint8_t* /*labels: the tutorial's model has none*/, const float* z,
                     Update update) override {
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
      launch_prepare_batch(stream(), control_.data(), batch_, shape_.image, shape_.noise, d_in_.data(), z_.data());
      return;
    }
    // The explicit batch's noise was uploaded straight into z_.
    launch_scale_pixels(stream(), explicit_pixels_.data(), explicit_pixels_.size(), d_in_.data());
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
    launch_disc_hidden_logit(stream(), d_hidden_.data(), params + d.b1(), params + d.w_out(), params + d.b_out(), all_rows,
                             d.hidden, d_logit_.data());
  }

  void enqueue_losses(bool disc_grads, StepAdvance advance) {
    const MlpShape d = shape_.discriminator();
    float* disc_b2_grad = disc_grads ? disc_.grads.data() + d.b_out() : nullptr;
    launch_losses(stream(), d_logit_.data(), batch_, d_logit_grad_.data(), gen_logit_grad_.data(), disc_b2_grad,
                  control_.data(), ring_.data(), advance);
  }

  // D's output-layer gradients (b1, w2; b2 came from the losses) and the hidden-layer gradients of
  // D's loss (all rows) and of G's loss (fake rows), in one pass over d_hidden_.
  void enqueue_output_layer_backward(bool disc_grads, bool gen_grads) {
    const MlpShape d = shape_.discriminator();
    float* grads = disc_.grads.data();
    launch_disc_output_backward(stream(), d_hidden_.data(), disc_.params.data() + d.w_out(), d_logit_grad_.data(),
                                gen_logit_grad_.data(), batch_, d.hidden, disc_grads ? d_hidden_grad_.data() : nullptr,
                                grads + d.b1(), grads + d.w_out(), gen_grads ? gen_hidden_grad_.data() : nullptr);
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
    launch_sigmoid_backward(stream(), fake_rows(), g_out_grad_.data(), batch_, g.out, grads + g.b_out());
    gemm_linear_weight_grad(cublas(), g_out_grad_.data(), g_hidden_.data(), batch_, g.hidden, g.out, grads + g.w_out());
    gemm_linear_input_grad(cublas(), g_out_grad_.data(), gen_params + g.w_out(), batch_, g.hidden, g.out,
                           g_hidden_grad_.data());
    launch_relu_backward(stream(), g_hidden_.data(), g_hidden_grad_.data(), batch_, g.hidden, grads + g.b1());
    gemm_linear_weight_grad(cublas(), g_hidden_grad_.data(), z_.data(), batch_, g.in, g.hidden, grads + g.w1());
  }

  void enqueue_adam(NetBuffers& net, const MlpShape& shape, const AdamConfig* config, const AdamPowers* powers) {
    launch_adam(stream(), net.params.data(), net.m.data(), net.v.data(), net.grads.data(), shape.size(), config, powers);
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

uint64_t image_readbacks() { return image_readback_count.load(std::memory_order_relaxed); }

}  // namespace cuda

std::unique_ptr<Backend> make_cuda_backend(const ModelShape& shape, int batch, bool allow_tf32) {
  GANVAS_CHECK(cuda_trains(shape, TrainingRecipe{}), kCudaTutorialOnly);
  return std::make_unique<CudaBackendImpl>(shape, batch, allow_tf32);
}

}  // namespace ganvas
