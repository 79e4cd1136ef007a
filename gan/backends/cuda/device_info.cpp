// cuda_availability() for builds with the CUDA backend: asks the CUDA runtime.
#include "gan/backends/device_info.h"

#include <cuda_runtime_api.h>

#include <filesystem>

namespace ganvas {
namespace {

// Why the runtime found no device, in words a user can act on: the runtime says "driver version is
// insufficient" where there is no NVIDIA driver at all, which reads as "upgrade your driver".
std::string no_device_reason(cudaError_t status) {
  const bool driver_loaded = std::filesystem::exists("/proc/driver/nvidia/version");
  if (!driver_loaded && (status == cudaErrorInsufficientDriver || status == cudaErrorNoDevice)) {
    return "no NVIDIA driver found";
  }
  if (status == cudaErrorInsufficientDriver) return "the NVIDIA driver is older than this build's CUDA runtime needs";
  return std::string("no usable device (") + cudaGetErrorString(status) + ")";
}

}  // namespace

CudaAvailability cuda_availability() {
  int count = 0;
  const cudaError_t status = cudaGetDeviceCount(&count);
  if (status != cudaSuccess) {
    return {true, false, no_device_reason(status)};
  }
  if (count == 0) return {true, false, "no CUDA device found"};
  cudaDeviceProp prop{};
  if (cudaGetDeviceProperties(&prop, 0) != cudaSuccess) return {true, false, "cannot query device 0"};
  return {true, true, std::string(prop.name) + " (sm_" + std::to_string(prop.major) + std::to_string(prop.minor) + ")"};
}

}  // namespace ganvas
