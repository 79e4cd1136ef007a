// Layer-level operations of the CPU backend: OpenBLAS GEMMs with fused element-wise passes.
#pragma once

#include "gan/model/model.h"

namespace ganvas::cpu {

// y[rows, out] = x[rows, in] W^T + b, with W [out, in] as PyTorch stores it.
void linear_forward(const float* x, int rows, int in, const float* w, const float* b, int out, float* y);
// The same, then the activation (or the sigmoid) on every output, while each part of y is still in
// the cache of the core that computed it.
void linear_activate_forward(Activation a, const float* x, int rows, int in, const float* w, const float* b, int out,
                             float* y);
void linear_sigmoid_forward(const float* x, int rows, int in, const float* w, const float* b, int out, float* y);

// Where a network's hidden activations of some rows sit: layer k's [rows, hidden] block starts at
// first + k * layer_stride (the rows may be a slice of the rows a forward pass computed).
struct HiddenRows {
  const float* first;
  size_t layer_stride;
  const float* layer(int k) const { return first + static_cast<size_t>(k) * layer_stride; }
};

// The hidden layers on n inputs x [n, in]: hidden [hidden_layers, n, hidden], after the activation.
void hidden_forward(const MlpShape& shape, const float* params, const float* x, int n, float* hidden);

// The generator on n latents: hidden [hidden_layers, n, hidden] (after the activation) and images
// [n, image] (after sigmoid).
void generator_forward(const MlpShape& shape, const float* params, const float* z, int n, float* hidden,
                       float* images);

// The discriminator on n inputs [n, in]: hidden [hidden_layers, n, hidden] and logits [n].
void discriminator_logits(const MlpShape& shape, const float* params, const float* x, int n, float* hidden,
                          float* logits);

// The gradients of a one-unit output layer, logit = w . h + b: grad_w [width] = sum over the rows of
// logit_grad[r] h[r], grad_b = sum of logit_grad, for the layer's inputs `hidden` [rows, width].
void output_unit_param_grads(const float* logit_grad, const float* hidden, int rows, int width, float* grad_w,
                             float* grad_b);

// d loss / d (D's last hidden layer before its activation) [rows, hidden] from d loss / d logit
// [rows]: back through D's one-unit output layer and the activation (from that layer's outputs
// `last_hidden` [rows, hidden]).
void discriminator_hidden_grad(const MlpShape& d, const float* params, const float* logit_grad, const float* last_hidden,
                               int rows, float* hidden_grad);

// Back through the hidden layers of a network from d loss / d (the last hidden layer before its
// activation) in `top_grad` [rows, hidden]: the parameter gradients of the hidden layers into
// `grads` (the network's layout; null: none) and d loss / d x [rows, in] into `input_grad` (null:
// none). x [rows, in] is the network's input. `top_grad` and `scratch` [rows, hidden] are
// overwritten.
void hidden_backward(const MlpShape& shape, const float* params, const float* x, HiddenRows hidden, int rows,
                     float* top_grad, float* scratch, float* grads, float* input_grad);

// d loss / d D's input [rows, in] from d loss / d logit [rows], through every layer of D. grad_a
// and grad_b [rows, hidden] are scratch.
void discriminator_input_grad(const MlpShape& d, const float* params, HiddenRows hidden, int rows,
                              const float* logit_grad, float* grad_a, float* grad_b, float* input_grad);

// grad_w [out, in] = dy^T x and grad_b [out] = column sums of dy, for dy [rows, out], x [rows, in].
void linear_param_grads(const float* dy, const float* x, int rows, int in, int out, float* grad_w, float* grad_b);

// dx [rows, in] = dy [rows, out] W [out, in].
void linear_input_grad(const float* dy, const float* w, int rows, int in, int out, float* dx);
// The same, then back through the activation of the layer below, whose outputs are `below_outputs`
// [rows, in]: dx[i] = a'(below_outputs[i]) * dx[i], d loss / d that layer's values before its
// activation.
void linear_input_grad_through(Activation a, const float* below_outputs, const float* dy, const float* w, int rows,
                               int in, int out, float* dx);

// grad[i] = sigmoid'(output[i]) * grad[i].
void sigmoid_backward_inplace(const float* output, float* grad, size_t n);

// average[i] += (1 - decay) * (values[i] - average[i]).
void moving_average(float* average, const float* values, size_t count, float decay);

// One SGD-with-momentum update of every parameter of a network (velocity in `velocity`).
void sgd_apply(float* params, float* velocity, const float* grads, size_t count, float lr, float momentum);

// One TF1 Adam update of every parameter of a network.
void adam_apply(float* params, float* m, float* v, const float* grads, size_t count, const AdamConfig& config,
                const AdamPowers& powers);

// Sets the number of threads the CPU backend uses; returns the number in use. Two: OpenBLAS runs on
// one and ganvas shares every product and optimizer pass with a helper thread of its own
// (shared_pass.h); any other number: OpenBLAS's own threads.
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
