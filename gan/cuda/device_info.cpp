// cuda_availability() for builds with the CUDA backend: asks the CUDA runtime.
#include "gan/device_info.h"

#include <cuda_runtime_api.h>

namespace ganvas {

CudaAvailability cuda_availability() {
  int count = 0;
  const cudaError_t status = cudaGetDeviceCount(&count);
  if (status != cudaSuccess) {
    return {true, false, std::string("no usable device (") + cudaGetErrorString(status) + ")"};
  }
  if (count == 0) return {true, false, "no CUDA device found"};
  cudaDeviceProp prop{};
  if (cudaGetDeviceProperties(&prop, 0) != cudaSuccess) return {true, false, "cannot query device 0"};
  return {true, true, std::string(prop.name) + " (sm_" + std::to_string(prop.major) + std::to_string(prop.minor) + ")"};
}

}  // namespace ganvas
