// CUDA-GL interop: a GL buffer registered once, mapped, written by the generator, unmapped.
#include "gan/render/cuda_gl_images.h"

// glad's header must come before CUDA's GL interop header, which would include GL/gl.h.
#include <cuda_gl_interop.h>

#include <cstring>

#include "gan/backends/cuda/cuda_check.h"
#include "gan/backends/cuda/cuda_generator.h"
#include "gan/backends/cuda/cuda_handles.h"
#include "gan/backends/cuda/device_buffer.h"
#include "gan/backends/device_info.h"
#include "common/error.h"

namespace ganvas {
namespace {

// Unmaps a mapped graphics resource when it goes out of scope.
class MappedScope {
 public:
  MappedScope(cudaGraphicsResource_t resource, cudaStream_t stream) : resource_(resource), stream_(stream) {}
  ~MappedScope() { cudaGraphicsUnmapResources(1, &resource_, stream_); }
  MappedScope(const MappedScope&) = delete;
  MappedScope& operator=(const MappedScope&) = delete;

 private:
  cudaGraphicsResource_t resource_;
  cudaStream_t stream_;
};

class CudaGlImagesImpl final : public GlImageSampler {
 public:
  CudaGlImagesImpl(GLuint buffer, int max_images, const ModelShape& shape)
      : shape_(shape),
        max_images_(max_images),
        cublas_(stream_.get(), false),
        params_(shape.generator().size(), "the sampler's generator weights"),
        z_(static_cast<size_t>(max_images) * shape.latent(), "the sampler's latents"),
        hidden_(shape.generator().hidden_values(max_images), "the sampler's hidden layers") {
    const cudaError_t status = cudaGraphicsGLRegisterBuffer(&resource_, buffer, cudaGraphicsRegisterFlagsWriteDiscard);
    if (status != cudaSuccess) {
      (void)cudaGetLastError();
      GANVAS_THROW(std::string("cudaGraphicsGLRegisterBuffer failed: ") + cudaGetErrorString(status));
    }
  }
  ~CudaGlImagesImpl() override {
    cudaStreamSynchronize(stream_.get());
    cudaGraphicsUnregisterResource(resource_);
  }
  CudaGlImagesImpl(const CudaGlImagesImpl&) = delete;
  CudaGlImagesImpl& operator=(const CudaGlImagesImpl&) = delete;

  void write(const LiveSnapshot& snapshot, const std::vector<float>& z, int count) override {
    GANVAS_CHECK(count <= max_images_, "more images than the interop buffer holds");
    GANVAS_CHECK(snapshot.shape == shape_, "the snapshot is of another model shape");
    if (snapshot.version != uploaded_version_) {
      params_.upload_async(snapshot.generator.data(), snapshot.generator.size(), stream_.get());
      uploaded_version_ = snapshot.version;
    }
    // Copies from pageable memory are staged before cudaMemcpyAsync returns: z and the weights may
    // change on the host at once, and no synchronization is needed here.
    z_.upload_async(z.data(), static_cast<size_t>(count) * shape_.latent(), stream_.get());
    CUDA_CHECK(cudaGraphicsMapResources(1, &resource_, stream_.get()));
    MappedScope mapped(resource_, stream_.get());  // unmaps even when a call below throws
    void* pointer = nullptr;
    size_t bytes = 0;
    CUDA_CHECK(cudaGraphicsResourceGetMappedPointer(&pointer, &bytes, resource_));
    GANVAS_CHECK(bytes >= static_cast<size_t>(count) * shape_.image * sizeof(float), "the GL buffer is too small");
    cuda::generator_forward(cublas_.get(), stream_.get(), shape_.generator(), params_.data(), z_.data(), count, hidden_.data(),
                            static_cast<float*>(pointer));
    // Unmapping (at the end of this scope) orders GL's later reads after these writes.
  }

 private:
  // Declared in construction order: the cuBLAS handle goes before its stream.
  ModelShape shape_;
  int max_images_;
  cuda::CudaStream stream_;
  cuda::CublasHandle cublas_;
  cudaGraphicsResource_t resource_ = nullptr;
  cuda::DeviceBuffer<float> params_;
  cuda::DeviceBuffer<float> z_;
  cuda::DeviceBuffer<float> hidden_;
  uint64_t uploaded_version_ = 0;
};

}  // namespace

std::unique_ptr<GlImageSampler> make_cuda_gl_images(GLuint buffer, int max_images, const ModelShape& shape,
                                                  std::string& why_not) {
  const CudaAvailability cuda = cuda_availability();
  if (!cuda.usable) {
    why_not = "CUDA " + cuda.detail;
    return nullptr;
  }
  const auto* vendor = reinterpret_cast<const char*>(glGetString(GL_VENDOR));
  if (!vendor || std::strstr(vendor, "NVIDIA") == nullptr) {
    why_not = std::string("the OpenGL driver is ") + (vendor ? vendor : "unknown") + "'s, not NVIDIA's";
    return nullptr;
  }
  unsigned int gl_devices = 0;
  int devices[4];
  if (cudaGLGetDevices(&gl_devices, devices, 4, cudaGLDeviceListAll) != cudaSuccess || gl_devices == 0) {
    (void)cudaGetLastError();
    why_not = "the OpenGL context is not on a CUDA device";
    return nullptr;
  }
  try {
    return std::make_unique<CudaGlImagesImpl>(buffer, max_images, shape);
  } catch (const Error& e) {
    why_not = e.what();
    return nullptr;
  }
}

}  // namespace ganvas
