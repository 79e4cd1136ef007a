// Move-only owners of device memory (DeviceBuffer) and pinned host memory (PinnedBuffer).
#pragma once

#include <cuda_runtime_api.h>

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "common/error.h"
#include "gan/cuda/cuda_check.h"

namespace ganvas::cuda {

// `count` elements of T in device memory, freed on destruction. Transfers run on a given stream;
// the *_async ones return before the copy is done, the others wait for the stream.
template <class T>
class DeviceBuffer {
 public:
  DeviceBuffer() = default;
  // `what` names the buffer in the error raised when the allocation fails.
  DeviceBuffer(size_t count, const std::string& what) : size_(count) {
    if (count == 0) return;
    void* pointer = nullptr;
    CUDA_CHECK_ALLOC(cudaMalloc(&pointer, bytes()), "GPU memory", bytes(), what);
    data_ = static_cast<T*>(pointer);
  }
  ~DeviceBuffer() { release(); }

  DeviceBuffer(DeviceBuffer&& other) noexcept
      : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}
  DeviceBuffer& operator=(DeviceBuffer&& other) noexcept {
    if (this != &other) {
      release();
      data_ = std::exchange(other.data_, nullptr);
      size_ = std::exchange(other.size_, 0);
    }
    return *this;
  }
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;

  T* data() { return data_; }
  const T* data() const { return data_; }
  size_t size() const { return size_; }
  size_t bytes() const { return size_ * sizeof(T); }
  bool empty() const { return size_ == 0; }

  // Copies host[0, count) to elements [offset, offset + count). From pageable memory CUDA stages
  // the data before returning, so `host` may be reused at once; from pinned memory it may not.
  void upload_async(const T* host, size_t count, cudaStream_t stream, size_t offset = 0) {
    check_range(offset, count);
    if (count == 0) return;
    CUDA_CHECK(cudaMemcpyAsync(data_ + offset, host, count * sizeof(T), cudaMemcpyHostToDevice, stream));
  }

  // Copies elements [offset, offset + count) to host[0, count) once the stream reaches the copy.
  void download_async(T* host, size_t count, cudaStream_t stream, size_t offset = 0) const {
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
    if (size_ != 0) CUDA_CHECK(cudaMemsetAsync(data_, 0, bytes(), stream));
  }

 private:
  void check_range(size_t offset, size_t count) const {
    GANVAS_CHECK(offset <= size_ && count <= size_ - offset, "a copy runs past the end of a device buffer");
  }
  void release() noexcept {
    if (data_ != nullptr) cudaFree(data_);
    data_ = nullptr;
    size_ = 0;
  }

  T* data_ = nullptr;
  size_t size_ = 0;
};

// `count` elements of T in page-locked host memory: the source or target of truly asynchronous
// copies. The host must not touch it while a copy that uses it is still pending.
template <class T>
class PinnedBuffer {
 public:
  PinnedBuffer() = default;
  PinnedBuffer(size_t count, const std::string& what) : size_(count) {
    if (count == 0) return;
    void* pointer = nullptr;
    CUDA_CHECK_ALLOC(cudaMallocHost(&pointer, bytes()), "pinned host memory", bytes(), what);
    data_ = static_cast<T*>(pointer);
  }
  ~PinnedBuffer() { release(); }

  PinnedBuffer(PinnedBuffer&& other) noexcept
      : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}
  PinnedBuffer& operator=(PinnedBuffer&& other) noexcept {
    if (this != &other) {
      release();
      data_ = std::exchange(other.data_, nullptr);
      size_ = std::exchange(other.size_, 0);
    }
    return *this;
  }
  PinnedBuffer(const PinnedBuffer&) = delete;
  PinnedBuffer& operator=(const PinnedBuffer&) = delete;

  T* data() { return data_; }
  const T* data() const { return data_; }
  size_t size() const { return size_; }
  size_t bytes() const { return size_ * sizeof(T); }
  T& operator[](size_t i) { return data_[i]; }
  const T& operator[](size_t i) const { return data_[i]; }

 private:
  void release() noexcept {
    if (data_ != nullptr) cudaFreeHost(data_);
    data_ = nullptr;
    size_ = 0;
  }

  T* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace ganvas::cuda
