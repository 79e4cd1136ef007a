// The linear layers on row-major buffers, as cuBLAS GEMMs, and the passes built from them: the
// networks' forward passes and the backward pass through a network's hidden layers.
#include "gan/backends/cuda/layers.h"

#include <utility>

#include "gan/backends/cuda/cuda_check.h"
#include "gan/backends/cuda/cuda_generator.h"
#include "gan/backends/cuda/step_kernels.cuh"

namespace ganvas::cuda {

// cuBLAS is column-major; the buffers are row-major. A row-major [r, c] matrix is the column-major
// [c, r] matrix, its transpose, so each product below is computed as its transpose.

// y [rows, out] = x [rows, in] W^T, W [out, in] as PyTorch stores it (nn.Linear without the bias).
void gemm_linear_forward(cublasHandle_t cublas, const float* x, int rows, int in, const float* w, int out,
                         float* y) {
  const float one = 1.0f, zero = 0.0f;
  // y^T [out, rows] = W [out, in] x^T [in, rows].
  CUBLAS_CHECK(cublasSgemm(cublas, CUBLAS_OP_T, CUBLAS_OP_N, out, rows, in, &one, w, in, x, in, &zero, y, out));
}

// grad_w [out, in] = dy^T [out, rows] x [rows, in].
void gemm_linear_weight_grad(cublasHandle_t cublas, const float* dy, const float* x, int rows, int in, int out,
                             float* grad_w) {
  const float one = 1.0f, zero = 0.0f;
  // grad_w^T [in, out] = x^T [in, rows] dy [rows, out].
  CUBLAS_CHECK(cublasSgemm(cublas, CUBLAS_OP_N, CUBLAS_OP_T, in, out, rows, &one, x, in, dy, out, &zero, grad_w,
                           in));
}

// dx [rows, in] = dy [rows, out] W [out, in].
void gemm_linear_input_grad(cublasHandle_t cublas, const float* dy, const float* w, int rows, int in, int out,
                            float* dx, int w_stride) {
  const float one = 1.0f, zero = 0.0f;
  // dx^T [in, rows] = W^T [in, out] dy^T [out, rows]; W^T is column-major with leading dimension
  // w_stride, so its first `in` rows are W's first `in` columns.
  const int ldw = w_stride > 0 ? w_stride : in;
  CUBLAS_CHECK(cublasSgemm(cublas, CUBLAS_OP_N, CUBLAS_OP_N, in, rows, out, &one, w, ldw, dy, out, &zero, dx, in));
}

void layer_forward(cublasHandle_t cublas, cudaStream_t stream, const float* x, int rows, int in, const float* w,
                   const float* b, int out, float* y, Activation activation, bool sigmoid) {
  gemm_linear_forward(cublas, x, rows, in, w, out, y);
  if (sigmoid) {
    launch_bias_sigmoid(stream, y, b, rows, out);
  } else {
    launch_bias_activation(stream, y, b, rows, out, activation);
  }
}

void generator_forward(cublasHandle_t cublas, cudaStream_t stream, const MlpShape& g, const float* params,
                       const float* z, int n, float* hidden, float* images) {
  const size_t layer_values = static_cast<size_t>(n) * g.hidden;
  for (int k = 0; k < g.hidden_layers; ++k) {
    const float* input = k == 0 ? z : hidden + (k - 1) * layer_values;
    layer_forward(cublas, stream, input, n, g.layer_in(k), params + g.weight(k), params + g.bias(k), g.hidden,
                  hidden + k * layer_values, g.activation, false);
  }
  const float* last = hidden + (g.hidden_layers - 1) * layer_values;
  layer_forward(cublas, stream, last, n, g.hidden, params + g.w_out(), params + g.b_out(), g.out, images, g.activation,
                true);
}

// The last hidden layer's bias and activation are fused with the logits.
void discriminator_forward(cublasHandle_t cublas, cudaStream_t stream, const MlpShape& d, const float* params,
                           const float* x, int rows, float* hidden, float* logit) {
  const size_t layer_values = static_cast<size_t>(rows) * d.hidden;
  const int last = d.hidden_layers - 1;
  for (int k = 0; k < last; ++k) {
    const float* input = k == 0 ? x : hidden + (k - 1) * layer_values;
    layer_forward(cublas, stream, input, rows, d.layer_in(k), params + d.weight(k), params + d.bias(k), d.hidden,
                  hidden + k * layer_values, d.activation, false);
  }
  const float* input = last == 0 ? x : hidden + (last - 1) * layer_values;
  float* top = hidden + last * layer_values;
  gemm_linear_forward(cublas, input, rows, d.layer_in(last), params + d.weight(last), d.hidden, top);
  launch_disc_hidden_logit(stream, top, params + d.bias(last), params + d.w_out(), params + d.b_out(), rows, d.hidden,
                           d.activation, logit);
}

void enqueue_hidden_backward(cublasHandle_t cublas, cudaStream_t stream, const MlpShape& s,
                             const HiddenBackward& pass) {
  float* grad = pass.top_grad;  // d loss / d layer k's output before the activation
  float* below = pass.scratch;
  for (int k = s.hidden_layers - 1; k >= 0; --k) {
    const float* input = k == 0 ? pass.x : pass.hidden + (k - 1) * pass.layer_stride;
    if (pass.grads) gemm_linear_weight_grad(cublas, grad, input, pass.rows, s.layer_in(k), s.hidden, pass.grads + s.weight(k));
    if (k > 0) {
      gemm_linear_input_grad(cublas, grad, pass.params + s.weight(k), pass.rows, s.hidden, s.hidden, below);
      launch_activation_backward(stream, s.activation, input, below, pass.rows, s.hidden,
                                 pass.grads ? pass.grads + s.bias(k - 1) : nullptr);
      std::swap(grad, below);
    } else if (pass.input_grad) {
      gemm_linear_input_grad(cublas, grad, pass.params + s.weight(0), pass.rows, pass.input_columns, s.hidden,
                             pass.input_grad, s.in);
    }
  }
}

}  // namespace ganvas::cuda
