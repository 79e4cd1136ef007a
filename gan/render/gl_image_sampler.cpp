// The CPU image sampler (the generator on the CPU, then one upload into the GL buffer), and the
// choice between it and CUDA-GL interop.
#include "gan/render/gl_image_sampler.h"

#include "common/error.h"
#include "gan/model/sampler.h"
#include "gan/render/cuda_gl_images.h"

namespace ganvas {
namespace {

class CpuGlSampler final : public GlImageSampler {
 public:
  CpuGlSampler(GLuint buffer, int max_images, const ModelShape& shape)
      : buffer_(buffer), max_images_(max_images), shape_(shape) {}

  void write(const LiveSnapshot& snapshot, const std::vector<float>& z, int count) override {
    GANVAS_CHECK(count <= max_images_, "more images than the image buffer holds");
    GANVAS_CHECK(snapshot.shape == shape_, "the snapshot is of another model shape");
    generate_images_into(snapshot.shape, snapshot.generator, z, count, hidden_, images_);
    glNamedBufferSubData(buffer_, 0, static_cast<GLsizeiptr>(images_.size() * sizeof(float)), images_.data());
    gl::check("uploading images");
  }

 private:
  GLuint buffer_;
  int max_images_;
  ModelShape shape_;
  std::vector<float> hidden_, images_;  // kept from frame to frame: sampling allocates nothing
};

}  // namespace

std::unique_ptr<GlImageSampler> make_cpu_gl_sampler(GLuint buffer, int max_images, const ModelShape& shape) {
  return std::make_unique<CpuGlSampler>(buffer, max_images, shape);
}

ChosenSampler make_gl_sampler(GLuint buffer, int max_images, const ModelShape& shape, const std::string& backend,
                              bool interop_allowed) {
  ChosenSampler chosen;
  std::string why_not = interop_allowed ? "training runs on the CPU" : "interop switched off";
  if (interop_allowed && backend == "cuda") chosen.sampler = make_cuda_gl_images(buffer, max_images, shape, why_not);
  chosen.path = chosen.sampler ? "CUDA-GL interop (zero copy)" : "CPU upload (" + why_not + ")";
  if (!chosen.sampler) chosen.sampler = make_cpu_gl_sampler(buffer, max_images, shape);
  return chosen;
}

}  // namespace ganvas
