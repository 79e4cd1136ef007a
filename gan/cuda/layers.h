// The networks' linear layers on the GPU as cuBLAS GEMMs on row-major buffers (PyTorch's layout).
#pragma once

#include <cublas_v2.h>

namespace ganvas::cuda {

// y [rows, out] = x [rows, in] W^T, W [out, in] as PyTorch stores it (nn.Linear without the bias).
void gemm_linear_forward(cublasHandle_t cublas, const float* x, int rows, int in, const float* w, int out, float* y);
// grad_w [out, in] = dy^T [out, rows] x [rows, in].
void gemm_linear_weight_grad(cublasHandle_t cublas, const float* dy, const float* x, int rows, int in, int out,
                             float* grad_w);
// dx [rows, in] = dy [rows, out] W [out, in].
void gemm_linear_input_grad(cublasHandle_t cublas, const float* dy, const float* w, int rows, int in, int out,
                            float* dx);

}  // namespace ganvas::cuda
