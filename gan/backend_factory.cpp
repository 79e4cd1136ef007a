// Backend selection, with the reason CUDA is unavailable when it is.
#include "gan/backend_factory.h"

#include "gan/device_info.h"
#include "common/error.h"
#if GANVAS_HAVE_CUDA
#include "gan/cuda/cuda_backend.h"
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

bool cuda_trains(const ModelShape& shape, const TrainingRecipe& recipe) {
  ModelShape tutorial_like = ModelShape{};
  tutorial_like.noise = shape.noise;
  tutorial_like.hidden = shape.hidden;
  tutorial_like.disc_hidden = shape.disc_hidden;
  return shape == tutorial_like && recipe.loss == Loss::kNonSaturating && recipe.optimizer == Optimizer::kAdam &&
         recipe.real_target == 1.0f && recipe.generator_ema == 0.0f;
}

BackendChoice make_backend(Device device, const ModelShape& shape, const TrainingRecipe& recipe, int batch,
                           bool allow_tf32) {
  if (device == Device::kCpu) return {make_cpu_backend(shape, batch), ""};
  if (!cuda_trains(shape, recipe)) {
    if (device == Device::kCuda) GANVAS_THROW(kCudaTutorialOnly);
    return {make_cpu_backend(shape, batch), "training on the CPU: the cuda backend trains the tutorial's model only"};
  }
  const CudaAvailability cuda = cuda_availability();
  if (!cuda.usable) {
    if (device == Device::kCuda) GANVAS_THROW("the cuda backend cannot be used: " + cuda.detail);
    return {make_cpu_backend(shape, batch), "CUDA backend " + cuda.detail + "; training on the CPU"};
  }
#if GANVAS_HAVE_CUDA
  return {make_cuda_backend(shape, batch, allow_tf32), "training on " + cuda.detail};
#else
  (void)allow_tf32;
  GANVAS_THROW("unreachable: CUDA reported usable in a build without it");
#endif
}

}  // namespace ganvas
