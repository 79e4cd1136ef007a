// Move-only owners of CUDA memory: DeviceBuffer (GPU memory) and PinnedBuffer (page-locked host
// memory), one template over where the memory lives.
#pragma once

#include <cuda_runtime_api.h>

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "common/error.h"
#include "gan/backends/cuda/cuda_check.h"

namespace ganvas::cuda {

struct DeviceMemory {
  static constexpr bool kOnHost = false;
  static constexpr const char* kName = "GPU memory";
  static cudaError_t allocate(void** pointer, size_t bytes) { return cudaMalloc(pointer, bytes); }
  static void release(void* pointer) { cudaFree(pointer); }
};

// Page-locked host memory: the source or target of truly asynchronous copies. The host must not
// touch it while a copy that uses it is still pending.
struct PinnedMemory {
  static constexpr bool kOnHost = true;
  static constexpr const char* kName = "pinned host memory";
  static cudaError_t allocate(void** pointer, size_t bytes) { return cudaMallocHost(pointer, bytes); }
  static void release(void* pointer) { cudaFreeHost(pointer); }
};

// `count` elements of T in `Memory`, freed on destruction. Transfers (GPU memory only) run on a given
// stream; the *_async ones return before the copy is done, the others wait for the stream.
template <class T, class Memory>
class Buffer {
 public:
  Buffer() = default;
  // `what` names the buffer in the error raised when the allocation fails.
  Buffer(size_t count, const std::string& what) : size_(count) {
    if (count == 0) return;
    void* pointer = nullptr;
    CUDA_CHECK_ALLOC(Memory::allocate(&pointer, bytes()), Memory::kName, bytes(), what);
    data_ = static_cast<T*>(pointer);
  }
  ~Buffer() { release(); }

  Buffer(Buffer&& other) noexcept : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}
  Buffer& operator=(Buffer&& other) noexcept {
    if (this != &other) {
      release();
      data_ = std::exchange(other.data_, nullptr);
      size_ = std::exchange(other.size_, 0);
    }
    return *this;
  }
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;

  T* data() { return data_; }
  const T* data() const { return data_; }
  size_t size() const { return size_; }
  size_t bytes() const { return size_ * sizeof(T); }
  bool empty() const { return size_ == 0; }

  // Host memory only.
  T& operator[](size_t i) {
    static_assert(Memory::kOnHost, "GPU memory is not indexed from the host");
    return data_[i];
  }
  const T& operator[](size_t i) const {
    static_assert(Memory::kOnHost, "GPU memory is not indexed from the host");
    return data_[i];
  }

  // Copies host[0, count) to elements [offset, offset + count). From pageable memory CUDA stages
  // the data before returning, so `host` may be reused at once; from pinned memory it may not.
  void upload_async(const T* host, size_t count, cudaStream_t stream, size_t offset = 0) {
    static_assert(!Memory::kOnHost, "uploads go to GPU memory");
    check_range(offset, count);
    if (count == 0) return;
    CUDA_CHECK(cudaMemcpyAsync(data_ + offset, host, count * sizeof(T), cudaMemcpyHostToDevice, stream));
  }

  // Copies elements [offset, offset + count) to host[0, count) once the stream reaches the copy.
  void download_async(T* host, size_t count, cudaStream_t stream, size_t offset = 0) const {
    static_assert(!Memory::kOnHost, "downloads come from GPU memory");
    check_range(offset, count);
    if (count == 0) return;
    CUDA_CHECK(cudaMemcpyAsync(host, data_ + offset, count * sizeof(T), cudaMemcpyDeviceToHost, stream));
  }

  // Uploads the whole vector (which must fit) and waits for it.
  void upload(const std::vector<T>& host, cudaStream_t stream, size_t offset = 0) {
    upload_async(host.data(), host.size(), stream, offset);
    CUDA_CHECK(cudaStreamSynchronize(stream));
  }

  // Elements [offset, offset + count) as a vector, after the stream's earlier work.
  std::vector<T> download(cudaStream_t stream, size_t offset, size_t count) const {
    std::vector<T> host(count);
    download_async(host.data(), count, stream, offset);
    CUDA_CHECK(cudaStreamSynchronize(stream));
    return host;
  }
  std::vector<T> download(cudaStream_t stream) const { return download(stream, 0, size_); }

  // Sets every byte to zero, in stream order.
  void zero_async(cudaStream_t stream) {
    static_assert(!Memory::kOnHost, "zero_async clears GPU memory");
    if (size_ != 0) CUDA_CHECK(cudaMemsetAsync(data_, 0, bytes(), stream));
  }

 private:
  void check_range(size_t offset, size_t count) const {
    GANVAS_CHECK(offset <= size_ && count <= size_ - offset, "a copy runs past the end of a buffer");
  }
  void release() noexcept {
    if (data_ != nullptr) Memory::release(data_);
    data_ = nullptr;
    size_ = 0;
  }

  T* data_ = nullptr;
  size_t size_ = 0;
};

template <class T>
using DeviceBuffer = Buffer<T, DeviceMemory>;
template <class T>
using PinnedBuffer = Buffer<T, PinnedMemory>;

}  // namespace ganvas::cuda
