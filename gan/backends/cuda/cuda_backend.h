// The CUDA training backend: the GAN step as one CUDA graph over cuBLAS GEMMs and fused kernels.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "gan/backends/backend.h"

namespace ganvas {

// What the CUDA backend offers beyond Backend. make_cuda_backend's result is one:
// dynamic_cast<CudaBackend*>(backend.get()).
class CudaBackend : public Backend {
 public:
  // Whether a step replays its captured CUDA graph (the default) or launches the same kernels one
  // by one; both compute the same numbers.
  virtual void set_use_graph(bool use_graph) = 0;
  virtual bool use_graph() const = 0;

  // The metrics of the latest steps (at most 64), oldest first. Waits for queued steps.
  virtual std::vector<StepMetrics> recent_metrics() = 0;
};

// A CUDA backend on the current device for `batch` rows per step. GEMMs run in FP32, or in TF32 on
// tensor cores when `allow_tf32`. Throws ganvas::Error when no CUDA device can be used.
std::unique_ptr<Backend> make_cuda_backend(const ModelShape& shape, int batch, bool allow_tf32);

}  // namespace ganvas
