// Whether the CUDA backend can run here, and why not: compiled out, or CUDA's own error.
#pragma once

#include <string>

namespace ganvas {

struct CudaAvailability {
  bool built = false;     // compiled with the CUDA backend
  bool usable = false;    // and a device answered
  std::string detail;     // the device's name, or why it cannot be used
};

CudaAvailability cuda_availability();

}  // namespace ganvas
