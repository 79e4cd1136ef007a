// Backend selection, with the reason CUDA is unavailable when it is.
#include "gan/backends/backend_factory.h"

#include "gan/backends/device_info.h"
#include "common/error.h"
#if GANVAS_HAVE_CUDA
#include "gan/backends/cuda/cuda_backend.h"
#endif

namespace ganvas {

Device parse_device(const std::string& name) {
  if (name == "auto") return Device::kAuto;
  if (name == "cpu") return Device::kCpu;
  if (name == "cuda") return Device::kCuda;
  GANVAS_THROW("unknown device '" + name + "' (expected auto, cpu or cuda)");
}

const char* device_name(Device device) {
  switch (device) {
    case Device::kCpu: return "cpu";
    case Device::kCuda: return "cuda";
    case Device::kAuto: break;
  }
  return "auto";
}

BackendChoice make_backend(Device device, const ModelShape& shape, int batch,
                           bool allow_tf32) {
  if (device == Device::kCpu) return {make_cpu_backend(shape, batch), ""};
  const CudaAvailability cuda = cuda_availability();
  if (!cuda.usable) {
    if (device == Device::kCuda) GANVAS_THROW("the cuda backend cannot be used: " + cuda.detail);
    return {make_cpu_backend(shape, batch), "CUDA: " + cuda.detail + "; training on the CPU"};
  }
#if GANVAS_HAVE_CUDA
  return {make_cuda_backend(shape, batch, allow_tf32), "training on " + cuda.detail};
#else
  (void)allow_tf32;
  GANVAS_THROW("unreachable: CUDA reported usable in a build without it");
#endif
}

}  // namespace ganvas
