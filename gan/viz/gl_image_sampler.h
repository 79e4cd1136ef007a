// Where the visualizer's images come from: a sampler that writes G(z), for a snapshot's weights,
// into the GL buffer the grid shader reads. On the CPU (generate_images, then one upload) or, with
// CUDA-GL interop, on the GPU straight into the buffer (cuda_gl_images.h).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engine/gl.h"
#include "gan/live_trainer.h"

namespace ganvas {

class GlImageSampler {
 public:
  virtual ~GlImageSampler() = default;
  // Writes G(z) of `count` latents z [count, noise] with the snapshot's weights into the buffer.
  virtual void write(const LiveSnapshot& snapshot, const std::vector<float>& z, int count) = 0;
};

// Samples on the CPU and uploads into `buffer` (room for `max_images` images of `shape`).
std::unique_ptr<GlImageSampler> make_cpu_gl_sampler(GLuint buffer, int max_images, const ModelShape& shape);

}  // namespace ganvas
