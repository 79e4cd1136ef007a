// Move-only owners of CUDA's handles: stream, event, cuBLAS handle, captured graph, and a side stream
// with its own cuBLAS handle. Shared by the backend and the CUDA-GL interop sampler.
#pragma once

#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <string>
#include <utility>

#include "common/error.h"
#include "gan/backends/cuda/cuda_check.h"
#include "gan/backends/cuda/device_buffer.h"

namespace ganvas::cuda {

// Throws a clear error when no CUDA device can be used.
inline void require_cuda_device() {
  int count = 0;
  const cudaError_t status = cudaGetDeviceCount(&count);
  if (status != cudaSuccess) {
    (void)cudaGetLastError();
    GANVAS_THROW(std::string("the CUDA backend needs a CUDA device, and none is usable: ") +
                 cudaGetErrorName(status) + " (" + cudaGetErrorString(status) + ")");
  }
  GANVAS_CHECK(count > 0, "the CUDA backend needs a CUDA device, and none was found");
}

// A member that, constructed first, makes a backend without a CUDA device fail with a clear error
// before any CUDA resource is created.
struct CudaDeviceRequired {
  CudaDeviceRequired() { require_cuda_device(); }
};

class CudaStream {
 public:
  CudaStream() { CUDA_CHECK(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking)); }
  ~CudaStream() { cudaStreamDestroy(stream_); }
  CudaStream(const CudaStream&) = delete;
  CudaStream& operator=(const CudaStream&) = delete;
  cudaStream_t get() const { return stream_; }

 private:
  cudaStream_t stream_ = nullptr;
};

class CudaEvent {
 public:
  CudaEvent() { CUDA_CHECK(cudaEventCreateWithFlags(&event_, cudaEventDisableTiming)); }
  ~CudaEvent() {
    if (event_ != nullptr) cudaEventDestroy(event_);
  }
  CudaEvent(CudaEvent&& other) noexcept : event_(std::exchange(other.event_, nullptr)) {}
  CudaEvent& operator=(CudaEvent&&) = delete;
  CudaEvent(const CudaEvent&) = delete;
  CudaEvent& operator=(const CudaEvent&) = delete;
  cudaEvent_t get() const { return event_; }

 private:
  cudaEvent_t event_ = nullptr;
};

// A cuBLAS handle bound to `stream`, in FP32 or TF32 math. Graph capture needs a workspace of its own
// (set_workspace), so that cuBLAS allocates nothing while a stream is captured.
class CublasHandle {
 public:
  CublasHandle(cudaStream_t stream, bool allow_tf32) {
    CUBLAS_CHECK(cublasCreate(&handle_));
    try {
      CUBLAS_CHECK(cublasSetStream(handle_, stream));
      CUBLAS_CHECK(cublasSetMathMode(handle_, allow_tf32 ? CUBLAS_TF32_TENSOR_OP_MATH : CUBLAS_DEFAULT_MATH));
    } catch (...) {
      cublasDestroy(handle_);
      throw;
    }
  }
  ~CublasHandle() { cublasDestroy(handle_); }
  CublasHandle(const CublasHandle&) = delete;
  CublasHandle& operator=(const CublasHandle&) = delete;
  cublasHandle_t get() const { return handle_; }
  void set_workspace(void* workspace, size_t bytes) { CUBLAS_CHECK(cublasSetWorkspace(handle_, workspace, bytes)); }

 private:
  cublasHandle_t handle_ = nullptr;
};

class GraphExec {
 public:
  GraphExec() = default;
  explicit GraphExec(cudaGraphExec_t exec) : exec_(exec) {}
  ~GraphExec() { reset(); }
  GraphExec(GraphExec&& other) noexcept : exec_(std::exchange(other.exec_, nullptr)) {}
  GraphExec& operator=(GraphExec&& other) noexcept {
    if (this != &other) {
      reset();
      exec_ = std::exchange(other.exec_, nullptr);
    }
    return *this;
  }
  GraphExec(const GraphExec&) = delete;
  GraphExec& operator=(const GraphExec&) = delete;
  cudaGraphExec_t get() const { return exec_; }
  explicit operator bool() const { return exec_ != nullptr; }

 private:
  void reset() noexcept {
    if (exec_ != nullptr) cudaGraphExecDestroy(exec_);
    exec_ = nullptr;
  }
  cudaGraphExec_t exec_ = nullptr;
};

constexpr size_t kCublasWorkspaceBytes = size_t{32} << 20;  // cuBLAS's advice for Hopper

// A stream of its own, with a cuBLAS handle bound to it, for the part of a step that can run beside
// the main stream's work; `start` and `done` are the events that fork it from and join it to that.
struct SideLane {
  explicit SideLane(bool allow_tf32)
      : workspace(kCublasWorkspaceBytes, "a side stream's cuBLAS workspace"), cublas(stream.get(), allow_tf32) {
    cublas.set_workspace(workspace.data(), workspace.bytes());
  }
  // Declared in construction order: the cuBLAS handle goes before its workspace and stream.
  CudaStream stream;
  DeviceBuffer<std::byte> workspace;
  CublasHandle cublas;
  CudaEvent start, done;
};

// Makes `waiting` wait for the work queued on `source` so far, through `event`.
inline void wait_for(cudaStream_t waiting, cudaStream_t source, const CudaEvent& event) {
  CUDA_CHECK(cudaEventRecord(event.get(), source));
  CUDA_CHECK(cudaStreamWaitEvent(waiting, event.get(), 0));
}

// Destroys a captured graph when it goes out of scope (the instantiated one lives on).
struct GraphDeleter {
  cudaGraph_t graph = nullptr;
  ~GraphDeleter() {
    if (graph != nullptr) cudaGraphDestroy(graph);
  }
};

}  // namespace ganvas::cuda
