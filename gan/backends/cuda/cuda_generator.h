// The generator's forward pass on the GPU, for the backend's training step and for samplers that
// write images straight into memory shared with OpenGL.
#pragma once

#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <cstdint>

#include "gan/model/model.h"

namespace ganvas::cuda {

// Queues the generator on n latents z [n, in]: hidden [hidden_layers, n, hidden] after the
// activation and images [n, out] after sigmoid, on `stream` (which `cublas` must be bound to). All
// pointers are device memory.
void generator_forward(cublasHandle_t cublas, cudaStream_t stream, const MlpShape& shape, const float* params,
                       const float* z, int n, float* hidden, float* images);

// How many times images were copied from the device to the host (CudaBackend::generate, trace).
// The CUDA-GL interop path must leave it unchanged.
uint64_t image_readbacks();

}  // namespace ganvas::cuda
