// The linear layers' products as tiled products, and a tiled product run on the CPU.
#include "bench/cuda_variants/tiled_product.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace ganvas::cuda_variants {

TiledProduct forward_product(const float* x, int rows, int in, long long x_stride, const float* w, const float* b,
                             int out, float* y, Epilogue epilogue, Activation activation) {
  TiledProduct p;
  p.m = rows;
  p.n = out;
  p.k = in;
  p.a = {x, x_stride, 1};  // A(r, k) = x[r, k]
  p.b = {w, in, 1};        // B(o, k) = W[o, k]
  p.c = y;
  p.c_stride = out;
  p.epilogue = epilogue;
  p.activation = activation;
  p.bias = b;
  return p;
}

TiledProduct input_grad_product(const float* dy, int rows, int out, const float* w, int columns, long long w_stride,
                                float* dx, Epilogue epilogue, Activation activation, const float* output) {
  TiledProduct p;
  p.m = rows;
  p.n = columns;
  p.k = out;
  p.a = {dy, out, 1};      // A(r, o) = dy[r, o]
  p.b = {w, 1, w_stride};  // B(c, o) = W[o, c]
  p.c = dx;
  p.c_stride = columns;
  p.epilogue = epilogue;
  p.activation = activation;
  p.output = output;
  return p;
}

TiledProduct weight_grad_product(const float* dy, const float* x, int rows, int in, long long x_stride, int out,
                                 float* grad_w, float* bias_grad) {
  TiledProduct p;
  p.m = out;
  p.n = in;
  p.k = rows;
  p.a = {dy, 1, out};      // A(o, r) = dy[r, o]
  p.b = {x, 1, x_stride};  // B(i, r) = x[r, i]
  p.c = grad_w;
  p.c_stride = in;
  p.row_sums = bias_grad;
  return p;
}

std::vector<TiledProduct> tiled_hidden_backward_products(const MlpShape& s, const HiddenBackward& pass, bool top_bias,
                                                         const float* input_sigmoid) {
  std::vector<TiledProduct> products;
  float* grad = pass.top_grad;  // d loss / d layer k's output before the activation
  float* below = pass.scratch;
  const int top = s.hidden_layers - 1;
  for (int k = top; k >= 0; --k) {
    const float* input = k == 0 ? pass.x : pass.hidden + (k - 1) * pass.layer_stride;
    const int in = s.layer_in(k);
    if (pass.grads) {
      float* bias_grad = k < top || top_bias ? pass.grads + s.bias(k) : nullptr;
      products.push_back(
          weight_grad_product(grad, input, pass.rows, in, in, s.hidden, pass.grads + s.weight(k), bias_grad));
    }
    if (k > 0) {
      products.push_back(input_grad_product(grad, pass.rows, s.hidden, pass.params + s.weight(k), s.hidden, s.hidden,
                                            below, Epilogue::kActivateBackward, s.activation, input));
      std::swap(grad, below);
    } else if (pass.input_grad) {
      const Epilogue epilogue = input_sigmoid != nullptr ? Epilogue::kSigmoidBackward : Epilogue::kPlain;
      products.push_back(input_grad_product(grad, pass.rows, s.hidden, pass.params + s.weight(0), pass.input_columns,
                                            s.in, pass.input_grad, epilogue, s.activation, input_sigmoid));
    }
  }
  return products;
}

OutputBackwardProducts tiled_output_backward_products(const MlpShape& g, const float* params, const float* last_hidden,
                                                      int rows, const float* image_grad, float* hidden_grad,
                                                      float* grads) {
  return {weight_grad_product(image_grad, last_hidden, rows, g.hidden, g.hidden, g.out, grads + g.w_out(),
                              grads + g.b_out()),
          input_grad_product(image_grad, rows, g.out, params + g.w_out(), g.hidden, g.hidden, hidden_grad,
                             Epilogue::kActivateBackward, g.activation, last_hidden)};
}

namespace {

// One block's work, its threads taking each phase in turn where the GPU's meet at a barrier.
void run_block_on_host(const TiledProduct& p, int block_row, int block_col) {
  std::vector<ThreadSums> sums(kTileThreads);
  std::vector<TileLoads> loads(kTileThreads);
  TileMemory memory;
  if (p.k > 0) {
    for (int t = 0; t < kTileThreads; ++t) fetch_tiles(p, block_row, block_col, 0, t, loads[t]);
  }
  for (int k0 = 0; k0 < p.k; k0 += kTileDepth) {
    for (int t = 0; t < kTileThreads; ++t) store_tiles(p, t, loads[t], memory);
    for (int t = 0; t < kTileThreads; ++t) {
      if (k0 + kTileDepth < p.k) fetch_tiles(p, block_row, block_col, k0 + kTileDepth, t, loads[t]);
      accumulate_tiles(memory, t, sums[t]);
    }
  }
  for (int t = 0; t < kTileThreads; ++t) store_outputs(p, block_row, block_col, t, sums[t]);
}

}  // namespace

void run_tiled_product_on_host(const TiledProduct& p) {
  for (int block_row = 0; block_row < p.row_blocks(); ++block_row) {
    for (int block_col = 0; block_col < p.column_blocks(); ++block_col) run_block_on_host(p, block_row, block_col);
  }
}

}  // namespace ganvas::cuda_variants
