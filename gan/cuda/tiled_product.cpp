// The linear layers' products as tiled products, and a tiled product run on the CPU.
#include "gan/cuda/tiled_product.h"

#include <algorithm>
#include <vector>

namespace ganvas::cuda {

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

void run_tiled_product_on_host(const TiledProduct& p) {
  std::vector<ThreadSums> sums(kTileThreads);
  TileMemory memory;
  for (int block_row = 0; block_row < p.row_blocks(); ++block_row) {
    for (int block_col = 0; block_col < p.column_blocks(); ++block_col) {
      std::fill(sums.begin(), sums.end(), ThreadSums{});
      for (int k0 = 0; k0 < p.k; k0 += kTileDepth) {
        for (int t = 0; t < kTileThreads; ++t) load_tiles(p, block_row, block_col, k0, t, memory);
        for (int t = 0; t < kTileThreads; ++t) accumulate_tiles(memory, t, sums[t]);
      }
      for (int t = 0; t < kTileThreads; ++t) store_outputs(p, block_row, block_col, t, sums[t]);
    }
  }
}

}  // namespace ganvas::cuda
