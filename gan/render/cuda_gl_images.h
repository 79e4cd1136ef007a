// CUDA-GL interop for the visualizer: a GlImageSampler whose generator writes its images straight
// into the GL buffer the shaders read, on the GPU, with no copy through the host.
#pragma once

#include <memory>
#include <string>

#include "gan/render/gl_image_sampler.h"

namespace ganvas {

// Registers `buffer` (room for `max_images` images) with CUDA, once. Returns nullptr and says why
// in `why_not` where interop is impossible: no CUDA in this build, no device, a GL that is not
// NVIDIA's, or a failed registration.
std::unique_ptr<GlImageSampler> make_cuda_gl_images(GLuint buffer, int max_images, const ModelShape& shape,
                                                  std::string& why_not);

}  // namespace ganvas
