// Chooses a training backend: the CPU, CUDA, or "auto" (CUDA when a device answers).
#pragma once

#include <memory>
#include <string>

#include "gan/backends/backend.h"

namespace ganvas {

enum class Device { kAuto, kCpu, kCuda };

Device parse_device(const std::string& name);
const char* device_name(Device device);

struct BackendChoice {
  std::unique_ptr<Backend> backend;
  std::string note;  // why auto chose what it chose; empty when nothing needs saying
};

// Throws a clear error when CUDA is asked for and cannot be used; auto then takes the CPU and says
// why. Both backends train every model and recipe. `allow_tf32` applies to CUDA.
BackendChoice make_backend(Device device, const ModelShape& shape, int batch,
                           bool allow_tf32 = false);

}  // namespace ganvas
