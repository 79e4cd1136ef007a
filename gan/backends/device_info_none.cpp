// cuda_availability() for builds without the CUDA backend.
#include "gan/backends/device_info.h"

namespace ganvas {

CudaAvailability cuda_availability() {
  return {false, false, "not built (no CUDA compiler was found when ganvas was configured)"};
}

}  // namespace ganvas
