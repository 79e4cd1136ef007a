// The CUDA backend: the CPU backend's training step on the GPU, replayed as one CUDA graph per step,
// for every model and recipe the CPU trains. Its kernels are in step_kernels.cu, its GEMMs and
// layer passes in layers.cpp, its handles in cuda_handles.h.
#include "gan/backends/cuda/cuda_backend.h"

#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <algorithm>
#include <atomic>
#include <array>
#include <cstdint>
#include <string>
#include <utility>

#include "common/error.h"
#include "gan/backends/cuda/cuda_check.h"
#include "gan/backends/cuda/cuda_generator.h"
#include "gan/backends/cuda/cuda_handles.h"
#include "gan/backends/cuda/device_buffer.h"
#include "gan/backends/cuda/explicit_batch.h"
#include "gan/backends/cuda/layers.h"
#include "gan/backends/cuda/step_kernels.cuh"

namespace ganvas {
namespace {

using namespace cuda;

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

// Size of a buffer that only some models need: `count` when `needed`, else nothing.
size_t when(bool needed, size_t count) { return needed ? count : 0; }

class CudaBackendImpl final : public CudaBackend {
 public:
  CudaBackendImpl(const ModelShape& shape, int batch, bool allow_tf32)
      : shape_(shape),
        batch_(checked_batch(batch)),
        cublas_workspace_(kCublasWorkspaceBytes, "the cuBLAS workspace"),
        cublas_(stream(), allow_tf32),
        disc_lane_(allow_tf32),
        gen_lane_(allow_tf32),
        control_(1, "the step control block"),
        ring_(1, "the metrics ring"),
        ring_host_(1, "the metrics ring's host copy"),
        gen_(shape.generator(), "generator"),
        disc_(shape.discriminator(), "discriminator"),
        z_(rows() * shape.latent(), "the latent batch"),
        g_hidden_(shape.generator().hidden_values(batch), "the generator's hidden layers"),
        g_out_(when(shape.conditional(), rows() * shape.image), "the generator's images"),
        d_in_(2 * rows() * disc_in(), "the discriminator's input"),
        d_hidden_(shape.discriminator().hidden_values(2 * batch), "the discriminator's hidden layers"),
        d_logit_(2 * rows(), "the discriminator's logits"),
        d_logit_grad_(2 * rows(), "the logit gradients"),
        gen_logit_grad_(rows(), "the generator's logit gradients"),
        d_hidden_grad_(2 * rows() * shape.disc_hidden, "the discriminator's hidden gradients"),
        d_hidden_scratch_(when(deep(), 2 * rows() * shape.disc_hidden), "the discriminator's lower hidden gradients"),
        gen_hidden_grad_(rows() * shape.disc_hidden, "the generator's path through D's hidden layer"),
        gen_hidden_scratch_(when(deep(), rows() * shape.disc_hidden), "the generator's path through D's lower layer"),
        g_out_grad_(rows() * shape.image, "the generator's output gradients"),
        g_hidden_grad_(rows() * shape.hidden, "the generator's hidden gradients"),
        g_hidden_scratch_(when(deep(), rows() * shape.hidden), "the generator's lower hidden gradients"),
        explicit_pixels_(rows() * shape.image, "an explicit batch's pixels"),
        explicit_labels_(when(shape.conditional(), rows()), "an explicit batch's labels"),
        uploads_(rows() * shape.image, explicit_labels_.size(), rows() * shape.latent()) {
    for (DeviceBuffer<float>* buffer :
         {&gen_.grads, &disc_.grads, &z_, &g_hidden_, &g_out_, &d_in_, &d_hidden_, &d_logit_, &d_logit_grad_,
          &gen_logit_grad_, &d_hidden_grad_, &d_hidden_scratch_, &gen_hidden_grad_, &gen_hidden_scratch_, &g_out_grad_,
          &g_hidden_grad_, &g_hidden_scratch_}) {
      buffer->zero_async(stream());
    }
    cublas_.set_workspace(cublas_workspace_.data(), cublas_workspace_.bytes());
    ring_.zero_async(stream());
    write_control(DeviceControl{});
    set_state(initial_state(shape, 0));
  }

  ~CudaBackendImpl() override {
    for (cudaStream_t s : streams()) cudaStreamSynchronize(s);
  }

  std::string name() const override { return "cuda"; }
  int batch() const override { return batch_; }

  void set_use_graph(bool use_graph) override { use_graph_ = use_graph; }
  bool use_graph() const override { return use_graph_; }

  void set_state(const GanState& state) override {
    check_consistent(state);
    GANVAS_CHECK(state.shape == shape_, "the state is of another model shape than this backend's");
    synchronize_streams();  // queued steps may still use the buffers replaced below
    // A graph captured the recipe and the average's buffer: either changing means capturing anew.
    if (!(state.recipe == recipe_)) graphs_ = {};
    const float* average_before = gen_average_.data();
    upload_net(state.generator, gen_);
    upload_net(state.discriminator, disc_);
    upload_generator_average(state);
    if (gen_average_.data() != average_before) graphs_ = {};
    recipe_ = state.recipe;  // only once everything above succeeded
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
    state.recipe = recipe_;
    const DeviceControl control = read_control();
    state.seed = control.seed;
    state.step = control.step;
    state.generator = download_net(shape_.generator(), gen_, control.gen_powers);
    state.discriminator = download_net(shape_.discriminator(), disc_, control.disc_powers);
    if (!gen_average_.empty()) state.generator_ema = gen_average_.download(stream());
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
    if (shape_.conditional()) check_labels(images.labels.data(), images.labels.size(), images.count);
    synchronize_streams();  // queued steps may still read the old images
    images_ = DeviceBuffer<uint8_t>();
    labels_ = DeviceBuffer<uint8_t>();
    image_count_ = 0;
    images_ = DeviceBuffer<uint8_t>(images.pixels.size(), "the training images");
    images_.upload(images.pixels, stream());
    if (shape_.conditional()) {
      labels_ = DeviceBuffer<uint8_t>(images.labels.size(), "the training labels");
      labels_.upload(images.labels, stream());
    }
    DeviceControl control = read_control();
    control.images = images_.data();
    control.labels = labels_.data();
    control.image_count = static_cast<uint32_t>(images.count);
    write_control(control);
    image_count_ = images.count;
  }

  void train_step(Update update) override {
    GANVAS_CHECK(image_count_ > 0, "no training images were given to the backend");
    run_step(BatchSource::kGather, update);
  }

  void train_step_on(const uint8_t* x_u8, const uint8_t* labels, const float* z, Update update) override {
    GANVAS_CHECK(x_u8 != nullptr && z != nullptr, "train_step_on needs pixels and latents");
    if (shape_.conditional()) {
      GANVAS_CHECK(labels != nullptr, "a conditional model's step needs the real images' labels");
      check_labels(labels, rows(), batch_);
    }
    uploads_.stage(x_u8, labels, z, stream(), explicit_pixels_, explicit_labels_, z_);
    run_step(BatchSource::kExplicit, update);
  }

  StepMetrics latest_metrics() override {
    const MetricsRing& ring = read_ring();
    if (ring.count == 0) return {};
    return ring.entries[(ring.count - 1) % kMetricsRingSize];
  }

  void copy_params(std::vector<float>& generator, std::vector<float>& discriminator) override {
    generator = sampling_generator().download(stream());
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
    trace.g_out = shape_.conditional() ? g_out_.download(stream())
                                       : d_in_.download(stream(), rows() * shape_.image, rows() * shape_.image);
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
    const size_t latents = static_cast<size_t>(n) * shape_.latent();
    const size_t pixels = static_cast<size_t>(n) * shape_.image;
    generate_z_.upload_async(z, latents, stream());
    cuda::generator_forward(cublas(), stream(), shape_.generator(), sampling_generator().data(), generate_z_.data(), n,
                            generate_hidden_.data(), generate_images_.data());
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
  // The main stream and the side lanes. Every step that ends joins the lanes to the main stream; one
  // that threw while being queued may not have.
  std::array<cudaStream_t, 3> streams() const { return {stream(), disc_lane_.stream.get(), gen_lane_.stream.get()}; }
  void synchronize_streams() const {
    for (cudaStream_t s : streams()) CUDA_CHECK(cudaStreamSynchronize(s));
  }
  cublasHandle_t cublas() const { return cublas_.get(); }
  size_t rows() const { return static_cast<size_t>(batch_); }
  bool deep() const { return shape_.hidden_layers > 1; }
  size_t disc_in() const { return static_cast<size_t>(shape_.discriminator().in); }
  BatchLayout layout() const { return {batch_, shape_.image, shape_.noise, shape_.classes}; }
  float* fake_rows() { return d_in_.data() + rows() * disc_in(); }
  // G's images of the step [batch, image]: straight in D's input when nothing is joined to them.
  float* fake_images() { return shape_.conditional() ? g_out_.data() : fake_rows(); }
  // Hidden layer k of D's rows from `row` on (0: all of them; batch: the fakes), and of G's.
  float* disc_layer(int k, size_t row = 0) {
    return d_hidden_.data() + (static_cast<size_t>(k) * 2 * rows() + row) * shape_.disc_hidden;
  }
  float* gen_layer(int k) { return g_hidden_.data() + static_cast<size_t>(k) * rows() * shape_.hidden; }
  // The generator weights samples come from: the average when the recipe keeps one.
  const DeviceBuffer<float>& sampling_generator() const { return gen_average_.empty() ? gen_.params : gen_average_; }

  void check_labels(const uint8_t* labels, size_t size, int count) const {
    GANVAS_CHECK(size == static_cast<size_t>(count), "a conditional model trains on labelled images");
    for (int i = 0; i < count; ++i) GANVAS_CHECK(labels[i] < shape_.classes, "a label is outside the model's classes");
  }

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

  // The average of G's weights, when the recipe keeps one: the state's, or (none yet) the weights.
  void upload_generator_average(const GanState& state) {
    if (state.recipe.generator_ema <= 0.0f) {
      gen_average_ = DeviceBuffer<float>();
      return;
    }
    if (gen_average_.empty()) gen_average_ = DeviceBuffer<float>(gen_.params.size(), "the average of G's weights");
    const std::vector<float>& average = state.generator_ema.empty() ? state.generator.params : state.generator_ema;
    gen_average_.upload_async(average.data(), average.size(), stream());
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

  void reserve_generate_scratch(size_t n) {
    if (generate_capacity_ >= n) return;
    generate_z_ = DeviceBuffer<float>();
    generate_hidden_ = DeviceBuffer<float>();
    generate_images_ = DeviceBuffer<float>();
    generate_capacity_ = 0;
    generate_z_ = DeviceBuffer<float>(n * shape_.latent(), "the latents to generate from");
    generate_hidden_ = DeviceBuffer<float>(shape_.generator().hidden_values(static_cast<int>(n)),
                                           "the generator's hidden layers while sampling");
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

  // Queues one whole training step, as CpuBackend::run_step computes it. After the output layer's
  // backward pass, D's parameter gradients and update run on a lane of their own beside G's backward
  // pass (D's update waiting until G's path has read D's weights), and G's output weights' gradient
  // on another beside the rest of G's; the main stream joins both before the step ends.
  void enqueue_step(BatchSource source, Update update) {
    const bool gen_grads = update != Update::kDiscriminator;
    const bool disc_grads = update != Update::kGenerator;
    const bool update_gen = update == Update::kBoth || update == Update::kGenerator;
    const bool update_disc = update == Update::kBoth || update == Update::kDiscriminator;
    enqueue_real_rows_and_latents(source);
    cuda::generator_forward(cublas(), stream(), shape_.generator(), gen_.params.data(), z_.data(), batch_,
                            g_hidden_.data(), fake_images());
    if (shape_.conditional()) launch_join_conditions(stream(), g_out_.data(), z_.data(), layout(), fake_rows());
    enqueue_discriminator_forward();
    enqueue_losses(disc_grads, StepAdvance{update != Update::kNone, update_gen, update_disc});
    enqueue_output_layer_backward(disc_grads, gen_grads);
    const cudaStream_t disc_stream = disc_lane_.stream.get();
    if (disc_grads) {
      wait_for(disc_stream, stream(), disc_lane_.start);
      enqueue_discriminator_hidden_backward();
    }
    if (gen_grads) {
      enqueue_image_gradient();
      if (update_disc) wait_for(disc_stream, stream(), disc_weights_read_);
      enqueue_generator_backward();
    }
    if (update_disc) {
      enqueue_update(disc_stream, disc_, shape_.discriminator(), &control_.data()->disc_adam,
                     &control_.data()->disc_powers);
    }
    if (update_gen) {
      enqueue_update(stream(), gen_, shape_.generator(), &control_.data()->gen_adam, &control_.data()->gen_powers);
      if (!gen_average_.empty()) {
        launch_moving_average(stream(), gen_average_.data(), gen_.params.data(), gen_average_.size(),
                              recipe_.generator_ema, control_.data());
      }
    }
    if (disc_grads) wait_for(stream(), disc_stream, disc_lane_.done);
  }

  void enqueue_real_rows_and_latents(BatchSource source) {
    if (source == BatchSource::kGather) {
      launch_prepare_batch(stream(), control_.data(), layout(), d_in_.data(), z_.data());
      return;
    }
    // The explicit batch's latents were uploaded straight into z_.
    launch_real_rows(stream(), explicit_pixels_.data(), explicit_labels_.data(), layout(), d_in_.data());
  }

  // D on all 2B rows at once, to its logits.
  void enqueue_discriminator_forward() {
    cuda::discriminator_forward(cublas(), stream(), shape_.discriminator(), disc_.params.data(), d_in_.data(),
                                2 * batch_, d_hidden_.data(), d_logit_.data());
  }

  void enqueue_losses(bool disc_grads, StepAdvance advance) {
    const MlpShape d = shape_.discriminator();
    float* disc_b_out_grad = disc_grads ? disc_.grads.data() + d.b_out() : nullptr;
    launch_losses(stream(), d_logit_.data(), batch_, recipe_, d_logit_grad_.data(), gen_logit_grad_.data(),
                  disc_b_out_grad, control_.data(), ring_.data(), advance);
  }

  // D's output-layer gradients (its last hidden bias and w_out; b_out came from the losses) and the
  // last hidden layer's gradients of D's loss (all rows) and of G's loss (fake rows), in one pass.
  void enqueue_output_layer_backward(bool disc_grads, bool gen_grads) {
    const MlpShape d = shape_.discriminator();
    const int last = d.hidden_layers - 1;
    float* grads = disc_.grads.data();
    launch_disc_output_backward(stream(), disc_layer(last), disc_.params.data() + d.w_out(), d_logit_grad_.data(),
                                gen_logit_grad_.data(), batch_, d.hidden, d.activation,
                                disc_grads ? d_hidden_grad_.data() : nullptr, grads + d.bias(last), grads + d.w_out(),
                                gen_grads ? gen_hidden_grad_.data() : nullptr);
  }

  // D's hidden layers' weight gradients (and the lower layers' biases) from the last layer's, on D's lane.
  void enqueue_discriminator_hidden_backward() {
    const MlpShape d = shape_.discriminator();
    enqueue_hidden_backward(disc_lane_.cublas.get(), disc_lane_.stream.get(), d,
                            {disc_.params.data(), d_in_.data(), disc_layer(0), 2 * rows() * d.hidden, 2 * batch_,
                             d_hidden_grad_.data(), d_hidden_scratch_.data(), disc_.grads.data(), nullptr, 0});
  }

  // d G's loss / d G's images [batch, image]: through D's pre-update weights on the fake rows, back
  // to the image columns of D's input.
  void enqueue_image_gradient() {
    const MlpShape d = shape_.discriminator();
    enqueue_hidden_backward(cublas(), stream(), d,
                            {disc_.params.data(), nullptr, disc_layer(0, rows()), 2 * rows() * d.hidden, batch_,
                             gen_hidden_grad_.data(), gen_hidden_scratch_.data(), nullptr, g_out_grad_.data(),
                             shape_.image});
  }

  // G's loss from its images back through G's sigmoid output layer (its weights' gradient on G's
  // lane) and its hidden layers.
  void enqueue_generator_backward() {
    const MlpShape g = shape_.generator();
    const int last = g.hidden_layers - 1;
    const float* params = gen_.params.data();
    float* grads = gen_.grads.data();
    launch_sigmoid_backward(stream(), fake_images(), g_out_grad_.data(), batch_, g.out, grads + g.b_out());
    wait_for(gen_lane_.stream.get(), stream(), gen_lane_.start);
    gemm_linear_weight_grad(gen_lane_.cublas.get(), g_out_grad_.data(), gen_layer(last), batch_, g.hidden, g.out,
                            grads + g.w_out());
    gemm_linear_input_grad(cublas(), g_out_grad_.data(), params + g.w_out(), batch_, g.hidden, g.out,
                           g_hidden_grad_.data());
    launch_activation_backward(stream(), g.activation, gen_layer(last), g_hidden_grad_.data(), batch_, g.hidden,
                               grads + g.bias(last));
    CUDA_CHECK(cudaEventRecord(gen_lane_.done.get(), gen_lane_.stream.get()));
    enqueue_hidden_backward(cublas(), stream(), g,
                            {params, z_.data(), gen_layer(0), rows() * g.hidden, batch_, g_hidden_grad_.data(),
                             g_hidden_scratch_.data(), grads, nullptr, 0});
    CUDA_CHECK(cudaStreamWaitEvent(stream(), gen_lane_.done.get(), 0));  // G's gradients are whole
  }

  // Adam (TF1's form), or SGD with momentum keeping its velocity in the first moment, as on the CPU.
  void enqueue_update(cudaStream_t on, NetBuffers& net, const MlpShape& shape, const AdamConfig* config,
                      const AdamPowers* powers) {
    if (recipe_.optimizer == Optimizer::kSgd) {
      launch_sgd(on, net.params.data(), net.m.data(), net.grads.data(), shape.size(), config);
      return;
    }
    launch_adam(on, net.params.data(), net.m.data(), net.v.data(), net.grads.data(), shape.size(), config, powers);
  }

  // Declared in construction order; destroyed in reverse, so the cuBLAS handle goes before its
  // workspace and stream, and the graphs before the buffers they use.
  ModelShape shape_;
  TrainingRecipe recipe_;
  int batch_;
  CudaDeviceRequired device_required_;
  CudaStream stream_;
  DeviceBuffer<std::byte> cublas_workspace_;
  CublasHandle cublas_;
  SideLane disc_lane_;           // D's parameter gradients and update
  SideLane gen_lane_;            // G's output weights' gradient
  CudaEvent disc_weights_read_;  // G's path through D has read D's weights: D's update may go
  bool use_graph_ = true;

  DeviceBuffer<DeviceControl> control_;
  DeviceBuffer<MetricsRing> ring_;
  PinnedBuffer<MetricsRing> ring_host_;
  NetBuffers gen_;
  NetBuffers disc_;
  DeviceBuffer<float> gen_average_;  // the average of G's weights (recipe.generator_ema > 0; else empty)
  DeviceBuffer<uint8_t> images_;  // [image_count_, image]
  DeviceBuffer<uint8_t> labels_;  // [image_count_] (conditional models)
  int image_count_ = 0;

  DeviceBuffer<float> z_;                   // [batch, latent]: noise, then (conditional) the fake's one-hot digit
  DeviceBuffer<float> g_hidden_;            // [hidden_layers, batch, hidden]
  DeviceBuffer<float> g_out_;               // [batch, image] G's images, when D's input joins a digit to them
  DeviceBuffer<float> d_in_;                // [2 batch, image (+ classes)]: real rows, then G(z)
  DeviceBuffer<float> d_hidden_;            // [hidden_layers, 2 batch, disc_hidden]
  DeviceBuffer<float> d_logit_;             // [2 batch]
  DeviceBuffer<float> d_logit_grad_;        // [2 batch] d disc_loss / d logit
  DeviceBuffer<float> gen_logit_grad_;      // [batch] d gen_loss / d fake logit
  DeviceBuffer<float> d_hidden_grad_;       // [2 batch, disc_hidden] of disc_loss
  DeviceBuffer<float> d_hidden_scratch_;    // the same, for a second hidden layer
  DeviceBuffer<float> gen_hidden_grad_;     // [batch, disc_hidden] of gen_loss, fake rows
  DeviceBuffer<float> gen_hidden_scratch_;  // the same, for a second hidden layer
  DeviceBuffer<float> g_out_grad_;          // [batch, image]
  DeviceBuffer<float> g_hidden_grad_;       // [batch, hidden]
  DeviceBuffer<float> g_hidden_scratch_;    // the same, for a second hidden layer

  DeviceBuffer<uint8_t> explicit_pixels_;  // [batch, image] of train_step_on
  DeviceBuffer<uint8_t> explicit_labels_;  // [batch] of train_step_on (conditional models)
  ExplicitBatchUploads uploads_;

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
  return std::make_unique<CudaBackendImpl>(shape, batch, allow_tf32);
}

}  // namespace ganvas
