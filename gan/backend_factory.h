// Chooses a training backend: the CPU, CUDA, or "auto" (CUDA when a device answers).
#pragma once

#include <memory>
#include <string>

#include "gan/backend.h"

namespace ganvas {

enum class Device { kAuto, kCpu, kCuda };

Device parse_device(const std::string& name);
const char* device_name(Device device);

struct BackendChoice {
  std::unique_ptr<Backend> backend;
  std::string note;  // why auto chose what it chose; empty when nothing needs saying
};

// Whether the CUDA backend trains this model this way: the tutorial's model and objective with Adam.
// Other models and objectives train on the CPU backend.
bool cuda_trains(const ModelShape& shape, const TrainingRecipe& recipe);
inline constexpr const char* kCudaTutorialOnly =
    "the cuda backend trains the tutorial's model (non-saturating loss, ReLU, Adam) only; this model trains on "
    "the CPU (--device cpu)";

// Throws a clear error when CUDA is asked for and cannot be used (no device, or a model or
// objective it does not train); auto then takes the CPU and says why. `allow_tf32` applies to CUDA.
BackendChoice make_backend(Device device, const ModelShape& shape, const TrainingRecipe& recipe, int batch,
                           bool allow_tf32 = false);

}  // namespace ganvas
