// Checks for CUDA runtime and cuBLAS calls: a failure becomes a ganvas::Error naming the call.
#pragma once

#include <cublas_v2.h>
#include <cuda_runtime_api.h>

#include <cstddef>
#include <cstdio>
#include <string>

#include "common/error.h"

namespace ganvas::cuda {

inline std::string cuda_error_message(cudaError_t status, const char* call) {
  return std::string("CUDA call failed: ") + call + ": " + cudaGetErrorName(status) + " (" +
         cudaGetErrorString(status) + ")";
}

inline std::string cublas_error_message(cublasStatus_t status, const char* call) {
  return std::string("cuBLAS call failed: ") + call + ": " + cublasGetStatusName(status) + " (" +
         cublasGetStatusString(status) + ")";
}

// "out of GPU memory allocating 12.5 MiB for the training images", or CUDA's own error.
inline std::string allocation_error_message(cudaError_t status, const char* memory_kind, size_t bytes,
                                            const std::string& what) {
  char mib[32];
  std::snprintf(mib, sizeof(mib), "%.1f", static_cast<double>(bytes) / (1024.0 * 1024.0));
  if (status == cudaErrorMemoryAllocation) {
    return std::string("out of ") + memory_kind + " allocating " + mib + " MiB for " + what;
  }
  return std::string("cannot allocate ") + mib + " MiB of " + memory_kind + " for " + what + ": " +
         cudaGetErrorName(status) + " (" + cudaGetErrorString(status) + ")";
}

}  // namespace ganvas::cuda

// Throws ganvas::Error when a CUDA runtime call fails. Clears CUDA's last error first, so a
// recoverable failure is not reported again by the next launch check.
#define CUDA_CHECK(call)                                                              \
  do {                                                                                \
    const cudaError_t ganvas_cuda_status_ = (call);                                   \
    if (ganvas_cuda_status_ != cudaSuccess) {                                         \
      (void)cudaGetLastError();                                                       \
      GANVAS_THROW(::ganvas::cuda::cuda_error_message(ganvas_cuda_status_, #call));   \
    }                                                                                 \
  } while (0)

// Throws ganvas::Error when a cuBLAS call fails.
#define CUBLAS_CHECK(call)                                                                \
  do {                                                                                    \
    const cublasStatus_t ganvas_cublas_status_ = (call);                                  \
    if (ganvas_cublas_status_ != CUBLAS_STATUS_SUCCESS) {                                 \
      GANVAS_THROW(::ganvas::cuda::cublas_error_message(ganvas_cublas_status_, #call));   \
    }                                                                                     \
  } while (0)

// Throws ganvas::Error naming the size and purpose when an allocation call fails.
#define CUDA_CHECK_ALLOC(call, memory_kind, bytes, what)                                            \
  do {                                                                                              \
    const cudaError_t ganvas_cuda_status_ = (call);                                                 \
    if (ganvas_cuda_status_ != cudaSuccess) {                                                       \
      (void)cudaGetLastError();                                                                     \
      GANVAS_THROW(::ganvas::cuda::allocation_error_message(ganvas_cuda_status_, memory_kind, bytes, what)); \
    }                                                                                               \
  } while (0)
