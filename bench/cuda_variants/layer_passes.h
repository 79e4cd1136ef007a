// The linear layers' work of one training step, in each kernel variant: the CUDA backend's cuBLAS
// layers (its own functions, gan/backends/cuda/layers.h) and the same work as tiled products, launched
// plainly or with programmatic dependent launch. What ganvas_cuda_variants checks and times.
//
// The passes: G forward, D forward on the real and fake rows, D's hidden layers' weight gradients,
// the image gradient back through D to G's images, and G's backward pass; all on one stream, from
// given gradients at D's top hidden layer. D's logits, the losses, D's output layer and Adam are the
// same kernels in every variant and are left out.
#pragma once

#include <cuda_runtime.h>

#include <cstdint>
#include <string>
#include <vector>

#include "gan/backends/cuda/cuda_handles.h"
#include "gan/backends/cuda/device_buffer.h"
#include "gan/backends/cuda/hidden_backward.h"
#include "gan/model/model.h"

namespace ganvas::cuda_variants {

enum class Variant { kCublas, kTiled, kTiledPdl };
inline constexpr Variant kVariants[] = {Variant::kCublas, Variant::kTiled, Variant::kTiledPdl};
const char* variant_name(Variant variant);

// The device buffers of one step's layer work for an unconditional model of at most two hidden
// layers (whose passes leave the given gradients as they are, so the work can be replayed): weights
// from initial_state, latents, real rows and the gradients at D's top hidden layer from a fixed seed.
class StepLayers {
 public:
  StepLayers(const ModelShape& shape, int batch, uint64_t seed);

  // Zeroes every output, so that what a variant leaves unwritten compares equal.
  void clear(cudaStream_t stream);
  // Queues the passes on the stream `cublas` is bound to.
  void enqueue(Variant variant, cublasHandle_t cublas, cudaStream_t stream);

  // The outputs of the latest passes, by name: G's images, D's hidden layers, d loss / d G's images
  // before its sigmoid, G's and D's parameter gradients.
  struct Output {
    std::string name;
    std::vector<float> values;
  };
  std::vector<Output> outputs(cudaStream_t stream) const;

  int batch() const { return batch_; }

 private:
  void enqueue_cublas(cublasHandle_t cublas, cudaStream_t stream);
  void enqueue_tiled(cudaStream_t stream, bool programmatic);
  cuda::HiddenBackward disc_pass();
  cuda::HiddenBackward image_pass();
  cuda::HiddenBackward gen_pass();
  float* fake_rows() { return d_in_.data() + static_cast<size_t>(batch_) * shape_.image; }

  ModelShape shape_;
  MlpShape g_, d_;
  int batch_;
  cuda::DeviceBuffer<float> gen_params_, disc_params_;
  cuda::DeviceBuffer<float> z_;              // [batch, noise]
  cuda::DeviceBuffer<float> d_in_;           // [2 batch, image]: real rows (given), then G's images
  cuda::DeviceBuffer<float> g_hidden_;       // [hidden_layers, batch, hidden]
  cuda::DeviceBuffer<float> d_hidden_;       // [hidden_layers, 2 batch, disc_hidden]
  cuda::DeviceBuffer<float> d_top_grad_;     // [2 batch, disc_hidden] of D's loss (given)
  cuda::DeviceBuffer<float> gen_top_grad_;   // [batch, disc_hidden] of G's loss on the fake rows (given)
  cuda::DeviceBuffer<float> d_scratch_, gen_scratch_, g_scratch_;
  cuda::DeviceBuffer<float> g_out_grad_;     // [batch, image]
  cuda::DeviceBuffer<float> g_hidden_grad_;  // [batch, hidden]
  cuda::DeviceBuffer<float> gen_grads_, disc_grads_;
};

}  // namespace ganvas::cuda_variants
