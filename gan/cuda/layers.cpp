// cuBLAS GEMMs on row-major buffers, and the generator's forward pass built from them.
#include "gan/cuda/layers.h"

#include "gan/cuda/cuda_check.h"
#include "gan/cuda/cuda_generator.h"
#include "gan/cuda/step_kernels.cuh"

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
                            float* dx) {
  const float one = 1.0f, zero = 0.0f;
  // dx^T [in, rows] = W^T [in, out] dy^T [out, rows].
  CUBLAS_CHECK(cublasSgemm(cublas, CUBLAS_OP_N, CUBLAS_OP_N, in, rows, out, &one, w, in, dy, out, &zero, dx, in));
}

void generator_forward(cublasHandle_t cublas, cudaStream_t stream, const MlpShape& g, const float* params,
                       const float* z, int n, float* hidden, float* images) {
  gemm_linear_forward(cublas, z, n, g.in, params + g.w1(), g.hidden, hidden);
  launch_bias_relu(stream, hidden, params + g.b1(), n, g.hidden);
  gemm_linear_forward(cublas, hidden, n, g.hidden, params + g.w_out(), g.out, images);
  launch_bias_sigmoid(stream, images, params + g.b_out(), n, g.out);
}

}  // namespace ganvas::cuda
