// One step's layer work as the CUDA backend's cuBLAS layers run it (the sequence of
// gan/backends/cuda/cuda_backend.cu's enqueue_step, on one stream) and as tiled products.
#include "bench/cuda_variants/layer_passes.h"

#include <random>

#include "bench/cuda_variants/tiled_kernel.cuh"
#include "bench/cuda_variants/tiled_product.h"
#include "common/error.h"
#include "gan/backends/cuda/cuda_generator.h"
#include "gan/backends/cuda/layers.h"
#include "gan/backends/cuda/step_kernels.cuh"

namespace ganvas::cuda_variants {
namespace {

std::vector<float> uniform(size_t count, float low, float high, std::mt19937& random) {
  std::uniform_real_distribution<float> distribution(low, high);
  std::vector<float> values(count);
  for (float& v : values) v = distribution(random);
  return values;
}

cuda::DeviceBuffer<float> on_device(const std::vector<float>& values, const std::string& what) {
  cuda::DeviceBuffer<float> buffer(values.size(), what);
  buffer.upload_async(values.data(), values.size(), nullptr);
  return buffer;
}

}  // namespace

const char* variant_name(Variant variant) {
  switch (variant) {
    case Variant::kCublas: return "cublas";
    case Variant::kTiled: return "tiled";
    case Variant::kTiledPdl: return "tiled-pdl";
  }
  return "?";
}

StepLayers::StepLayers(const ModelShape& shape, int batch, uint64_t seed)
    : shape_(shape),
      g_(shape.generator()),
      d_(shape.discriminator()),
      batch_(batch),
      g_hidden_(g_.hidden_values(batch), "G's hidden layers"),
      d_hidden_(d_.hidden_values(2 * batch), "D's hidden layers"),
      d_scratch_(static_cast<size_t>(2 * batch) * d_.hidden, "D's lower hidden gradients"),
      gen_scratch_(static_cast<size_t>(batch) * d_.hidden, "G's path through D's lower layer"),
      g_scratch_(static_cast<size_t>(batch) * g_.hidden, "G's lower hidden gradients"),
      g_out_grad_(static_cast<size_t>(batch) * shape.image, "G's output gradients"),
      g_hidden_grad_(static_cast<size_t>(batch) * g_.hidden, "G's hidden gradients"),
      gen_grads_(g_.size(), "G's gradients"),
      disc_grads_(d_.size(), "D's gradients") {
  GANVAS_CHECK(batch > 0, "the batch must be positive");
  GANVAS_CHECK(!shape.conditional(), "the variants are measured on unconditional models");
  GANVAS_CHECK(shape.hidden_layers <= 2, "the passes keep their given gradients for up to two hidden layers");
  const GanState state = initial_state(shape, seed);
  gen_params_ = on_device(state.generator.params, "G's weights");
  disc_params_ = on_device(state.discriminator.params, "D's weights");
  std::mt19937 random(static_cast<uint32_t>(seed));
  const size_t rows = batch;
  z_ = on_device(uniform(rows * shape.noise, -1.0f, 1.0f, random), "the latents");
  std::vector<float> d_in = uniform(2 * rows * shape.image, 0.0f, 1.0f, random);  // G writes the second half
  d_in_ = on_device(d_in, "D's input");
  const float scale = 1.0f / static_cast<float>(batch);  // as a mean loss's gradients are
  d_top_grad_ = on_device(uniform(2 * rows * d_.hidden, -scale, scale, random), "D's top hidden gradients");
  gen_top_grad_ = on_device(uniform(rows * d_.hidden, -scale, scale, random), "G's path through D's top layer");
  CUDA_CHECK(cudaDeviceSynchronize());
}

// Back through D's hidden layers on all 2B rows: their weight gradients (the top layer's bias
// gradient is D's output layer's work, left out).
cuda::HiddenBackward StepLayers::disc_pass() {
  return {disc_params_.data(), d_in_.data(), d_hidden_.data(), 2 * static_cast<size_t>(batch_) * d_.hidden,
          2 * batch_, d_top_grad_.data(), d_scratch_.data(), disc_grads_.data(), nullptr, 0};
}

// d G's loss / d G's images: through D's weights on the fake rows, to the image columns of D's input.
cuda::HiddenBackward StepLayers::image_pass() {
  return {disc_params_.data(), nullptr, d_hidden_.data() + static_cast<size_t>(batch_) * d_.hidden,
          2 * static_cast<size_t>(batch_) * d_.hidden, batch_, gen_top_grad_.data(), gen_scratch_.data(), nullptr,
          g_out_grad_.data(), shape_.image};
}

cuda::HiddenBackward StepLayers::gen_pass() {
  return {gen_params_.data(), z_.data(), g_hidden_.data(), static_cast<size_t>(batch_) * g_.hidden, batch_,
          g_hidden_grad_.data(), g_scratch_.data(), gen_grads_.data(), nullptr, 0};
}

void StepLayers::clear(cudaStream_t stream) {
  for (cuda::DeviceBuffer<float>* buffer : {&g_hidden_, &d_hidden_, &g_out_grad_, &g_hidden_grad_, &gen_grads_,
                                            &disc_grads_}) {
    buffer->zero_async(stream);
  }
  CUDA_CHECK(cudaMemsetAsync(fake_rows(), 0, static_cast<size_t>(batch_) * shape_.image * sizeof(float), stream));
}

void StepLayers::enqueue(Variant variant, cublasHandle_t cublas, cudaStream_t stream) {
  if (variant == Variant::kCublas) {
    enqueue_cublas(cublas, stream);
  } else {
    enqueue_tiled(stream, variant == Variant::kTiledPdl);
  }
}

// As the backend's enqueue_step queues them, with D's top layer's bias and activation as their own
// kernel (the backend fuses them with the logits, left out here).
void StepLayers::enqueue_cublas(cublasHandle_t cublas, cudaStream_t stream) {
  cuda::generator_forward(cublas, stream, g_, gen_params_.data(), z_.data(), batch_, g_hidden_.data(), fake_rows());
  const size_t d_layer = 2 * static_cast<size_t>(batch_) * d_.hidden;
  for (int k = 0; k < d_.hidden_layers; ++k) {
    const float* input = k == 0 ? d_in_.data() : d_hidden_.data() + (k - 1) * d_layer;
    cuda::layer_forward(cublas, stream, input, 2 * batch_, d_.layer_in(k), disc_params_.data() + d_.weight(k),
                        disc_params_.data() + d_.bias(k), d_.hidden, d_hidden_.data() + k * d_layer, d_.activation,
                        false);
  }
  cuda::enqueue_hidden_backward(cublas, stream, d_, disc_pass());
  cuda::enqueue_hidden_backward(cublas, stream, d_, image_pass());
  const int last = g_.hidden_layers - 1;
  float* grads = gen_grads_.data();
  const float* last_hidden = g_hidden_.data() + static_cast<size_t>(last) * batch_ * g_.hidden;
  cuda::launch_sigmoid_backward(stream, fake_rows(), g_out_grad_.data(), batch_, g_.out, grads + g_.b_out());
  cuda::gemm_linear_weight_grad(cublas, g_out_grad_.data(), last_hidden, batch_, g_.hidden, g_.out,
                                grads + g_.w_out());
  cuda::gemm_linear_input_grad(cublas, g_out_grad_.data(), gen_params_.data() + g_.w_out(), batch_, g_.hidden, g_.out,
                               g_hidden_grad_.data());
  cuda::launch_activation_backward(stream, g_.activation, last_hidden, g_hidden_grad_.data(), batch_, g_.hidden,
                                   grads + g_.bias(last));
  cuda::enqueue_hidden_backward(cublas, stream, g_, gen_pass());
}

// Each layer pass one product with its element-wise work: the bias and activation or sigmoid going
// forward, the derivative (G's sigmoid's too) and the bias gradients going back.
void StepLayers::enqueue_tiled(cudaStream_t stream, bool programmatic) {
  const Launch launch = programmatic ? Launch::kProgrammatic : Launch::kPlain;
  const size_t g_layer = static_cast<size_t>(batch_) * g_.hidden;
  for (int k = 0; k < g_.hidden_layers; ++k) {
    const float* input = k == 0 ? z_.data() : g_hidden_.data() + (k - 1) * g_layer;
    launch_tiled_product(stream,
                         forward_product(input, batch_, g_.layer_in(k), g_.layer_in(k), gen_params_.data() + g_.weight(k),
                                         gen_params_.data() + g_.bias(k), g_.hidden, g_hidden_.data() + k * g_layer,
                                         Epilogue::kActivate, g_.activation),
                         launch);
  }
  const float* last_hidden = g_hidden_.data() + (g_.hidden_layers - 1) * g_layer;
  launch_tiled_product(stream,
                       forward_product(last_hidden, batch_, g_.hidden, g_.hidden, gen_params_.data() + g_.w_out(),
                                       gen_params_.data() + g_.b_out(), g_.out, fake_rows(), Epilogue::kSigmoid,
                                       g_.activation),
                       launch);
  const size_t d_layer = 2 * static_cast<size_t>(batch_) * d_.hidden;
  for (int k = 0; k < d_.hidden_layers; ++k) {
    const float* input = k == 0 ? d_in_.data() : d_hidden_.data() + (k - 1) * d_layer;
    launch_tiled_product(stream,
                         forward_product(input, 2 * batch_, d_.layer_in(k), d_.layer_in(k),
                                         disc_params_.data() + d_.weight(k), disc_params_.data() + d_.bias(k), d_.hidden,
                                         d_hidden_.data() + k * d_layer, Epilogue::kActivate, d_.activation),
                         launch);
  }
  launch_tiled_products(stream, tiled_hidden_backward_products(d_, disc_pass(), false, nullptr), launch);
  launch_tiled_products(stream, tiled_hidden_backward_products(d_, image_pass(), false, fake_rows()), launch);
  const OutputBackwardProducts output = tiled_output_backward_products(
      g_, gen_params_.data(), last_hidden, batch_, g_out_grad_.data(), g_hidden_grad_.data(), gen_grads_.data());
  launch_tiled_product(stream, output.weights, launch);
  launch_tiled_product(stream, output.input, launch);
  launch_tiled_products(stream, tiled_hidden_backward_products(g_, gen_pass(), true, nullptr), launch);
}

std::vector<StepLayers::Output> StepLayers::outputs(cudaStream_t stream) const {
  const size_t images = static_cast<size_t>(batch_) * shape_.image;
  return {{"G's images", d_in_.download(stream, images, images)},
          {"D's hidden layers", d_hidden_.download(stream)},
          {"d loss / d G's images", g_out_grad_.download(stream)},
          {"G's gradients", gen_grads_.download(stream)},
          {"D's gradients", disc_grads_.download(stream)}};
}

}  // namespace ganvas::cuda_variants
