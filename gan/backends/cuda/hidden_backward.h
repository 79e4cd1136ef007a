// The description of a backward pass through a network's hidden layers on the GPU: which device
// buffers it reads and writes. Plain C++, shared by the cuBLAS pass (layers.h) and the tiled variant
// measured apart (bench/cuda_variants/tiled_product.h).
#pragma once

#include <cstddef>

namespace ganvas::cuda {

// Back through a network's hidden layers from d loss / d (the last hidden layer before its
// activation) in top_grad [rows, hidden], as cpu::hidden_backward: the hidden layers' parameter
// gradients into `grads` (the network's layout; null: none) and d loss / d (the first
// `input_columns` of x) into input_grad [rows, input_columns] (null: none). x [rows, in] is the
// network's input; layer k's activations [rows, hidden] start at hidden + k * layer_stride.
// top_grad and scratch [rows, hidden] are overwritten.
struct HiddenBackward {
  const float* params;
  const float* x;
  const float* hidden;
  size_t layer_stride;
  int rows;
  float* top_grad;
  float* scratch;
  float* grads;
  float* input_grad;
  int input_columns;
};

}  // namespace ganvas::cuda
