// Layer-level operations of the CPU backend: OpenBLAS GEMMs with fused element-wise passes.
#pragma once

#include "gan/model.h"

namespace ganvas::cpu {

// y[rows, out] = x[rows, in] W^T + b, with W [out, in] as PyTorch stores it.
void linear_forward(const float* x, int rows, int in, const float* w, const float* b, int out, float* y);

// The generator on n latents: hidden [n, hidden] (after ReLU) and images [n, image] (after sigmoid).
void generator_forward(const MlpShape& shape, const float* params, const float* z, int n, float* hidden,
                       float* images);

// The discriminator on n inputs [n, in]: hidden [n, hidden] (after ReLU) and logits [n].
void discriminator_logits(const MlpShape& shape, const float* params, const float* x, int n, float* hidden,
                          float* logits);

// d loss / d D's hidden layer [rows, hidden] from d loss / d logit [rows]: back through D's one-unit
// output layer and the activation (from D's hidden activations [rows, hidden]).
void discriminator_hidden_grad(const MlpShape& d, const float* params, const float* logit_grad, const float* hidden,
                               int rows, float* hidden_grad);

// grad_w [out, in] = dy^T x and grad_b [out] = column sums of dy, for dy [rows, out], x [rows, in].
void linear_param_grads(const float* dy, const float* x, int rows, int in, int out, float* grad_w, float* grad_b);

// dx [rows, in] = dy [rows, out] W [out, in].
void linear_input_grad(const float* dy, const float* w, int rows, int in, int out, float* dx);

// Element-wise passes over n values, in place.
void activate_inplace(Activation a, float* values, size_t n);
void sigmoid_inplace(float* values, size_t n);
// grad[i] = activation'(activation[i]) * grad[i], from the activation's outputs.
void activate_backward_inplace(Activation a, const float* activation, float* grad, size_t n);
// grad[i] = sigmoid'(output[i]) * grad[i].
void sigmoid_backward_inplace(const float* output, float* grad, size_t n);

// average[i] += (1 - decay) * (values[i] - average[i]).
void moving_average(float* average, const float* values, size_t count, float decay);

// One SGD-with-momentum update of every parameter of a network (velocity in `velocity`).
void sgd_apply(float* params, float* velocity, const float* grads, size_t count, float lr, float momentum);

// One TF1 Adam update of every parameter of a network.
void adam_apply(float* params, float* m, float* v, const float* grads, size_t count, const AdamConfig& config,
                const AdamPowers& powers);

// Sets the number of threads OpenBLAS uses; returns the number in use.
int set_blas_threads(int threads);
int blas_threads();
const char* blas_description();
// OpenBLAS 0.3.21 (Debian 12) does not know recent Xeons and falls back to its SSE3 "Prescott"
// kernels, about half as fast on them. When the user has not set OPENBLAS_CORETYPE and the
// processor has AVX-512 (or AVX2), re-executes the program once with the matching kernels named:
// OpenBLAS reads the variable only when it loads. Returns (doing nothing) in every other case.
void prefer_fast_blas_kernels(char** argv);

// The kernel family OpenBLAS picked for this processor, e.g. "SkylakeX" or "Prescott".
const char* blas_core_name();

}  // namespace ganvas::cpu
