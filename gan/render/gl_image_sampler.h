// Where the visualizer's images come from: a sampler that writes G(z), for a snapshot's weights,
// into the GL buffer the grid shader reads. On the CPU (generate_images, then one upload) or, with
// CUDA-GL interop, on the GPU straight into the buffer (cuda_gl_images.h).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engine/gl.h"
#include "gan/train/live_trainer.h"

namespace ganvas {

class GlImageSampler {
 public:
  virtual ~GlImageSampler() = default;
  // Writes G(z) of `count` latents z [count, noise] with the snapshot's weights into the buffer.
  virtual void write(const LiveSnapshot& snapshot, const std::vector<float>& z, int count) = 0;
};

// Samples on the CPU and uploads into `buffer` (room for `max_images` images of `shape`).
std::unique_ptr<GlImageSampler> make_cpu_gl_sampler(GLuint buffer, int max_images, const ModelShape& shape);

// The sampler for `buffer` and what to tell the user of it: CUDA-GL interop when `backend` is "cuda"
// and `interop_allowed`, and interop is possible here; else the CPU upload, with why.
struct ChosenSampler {
  std::unique_ptr<GlImageSampler> sampler;
  std::string path;  // "CUDA-GL interop (zero copy)" or "CPU upload (why)"
};
ChosenSampler make_gl_sampler(GLuint buffer, int max_images, const ModelShape& shape, const std::string& backend,
                              bool interop_allowed = true);

}  // namespace ganvas
