// make_cuda_gl_images() for builds without CUDA: interop is never possible.
#include "gan/render/cuda_gl_images.h"

namespace ganvas {

std::unique_ptr<GlImageSampler> make_cuda_gl_images(GLuint, int, const ModelShape&, std::string& why_not) {
  why_not = "this ganvas was built without CUDA";
  return nullptr;
}

}  // namespace ganvas
