// The networks' linear layers on the GPU on row-major buffers (PyTorch's layout), as cuBLAS GEMMs
// with kernels of their own for the bias, the activation and their gradients, and the passes built
// from them. (A variant with that work inside tiled products of ganvas's own is measured apart, in
// bench/cuda_variants/.)
#pragma once

#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <cstddef>

#include "gan/backends/cuda/hidden_backward.h"
#include "gan/model/model.h"

namespace ganvas::cuda {

// y [rows, out] = f(x [rows, in] W^T + b): f the activation, or the sigmoid when `sigmoid`.
void layer_forward(cublasHandle_t cublas, cudaStream_t stream, const float* x, int rows, int in, const float* w,
                   const float* b, int out, float* y, Activation activation, bool sigmoid);

// D on `rows` rows of x [rows, in]: its hidden layers [hidden_layers, rows, hidden] after the
// activation, and its one-unit output layer's logits [rows].
void discriminator_forward(cublasHandle_t cublas, cudaStream_t stream, const MlpShape& d, const float* params,
                           const float* x, int rows, float* hidden, float* logit);

// y [rows, out] = x [rows, in] W^T, W [out, in] as PyTorch stores it (nn.Linear without the bias).
void gemm_linear_forward(cublasHandle_t cublas, const float* x, int rows, int in, const float* w, int out, float* y);
// grad_w [out, in] = dy^T [out, rows] x [rows, in].
void gemm_linear_weight_grad(cublasHandle_t cublas, const float* dy, const float* x, int rows, int in, int out,
                             float* grad_w);
// dx [rows, in] = dy [rows, out] W [out, in]; with w_stride > in, W's first `in` columns of rows
// w_stride long (the image columns of a conditional D's first layer).
void gemm_linear_input_grad(cublasHandle_t cublas, const float* dy, const float* w, int rows, int in, int out,
                            float* dx, int w_stride = 0);

// Back through a network's hidden layers as `pass` says (hidden_backward.h), with cuBLAS GEMMs.
void enqueue_hidden_backward(cublasHandle_t cublas, cudaStream_t stream, const MlpShape& shape,
                             const HiddenBackward& pass);

}  // namespace ganvas::cuda
