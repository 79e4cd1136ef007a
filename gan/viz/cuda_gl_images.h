// CUDA-GL interop for the visualizer: the generator writes its images straight into the GL buffer
// the shaders read, on the GPU, with no copy through the host.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engine/gl.h"
#include "gan/live_trainer.h"

namespace ganvas {

class CudaGlImages {
 public:
  virtual ~CudaGlImages() = default;
  // Writes G(z) of `count` latents z [count, noise] with the snapshot's weights into the buffer.
  virtual void write(const LiveSnapshot& snapshot, const std::vector<float>& z, int count) = 0;
};

// Registers `buffer` (room for `max_images` images) with CUDA, once. Returns nullptr and says why
// in `why_not` where interop is impossible: no CUDA in this build, no device, a GL that is not
// NVIDIA's, or a failed registration.
std::unique_ptr<CudaGlImages> make_cuda_gl_images(GLuint buffer, int max_images, const ModelShape& shape,
                                                  std::string& why_not);

}  // namespace ganvas
