// A linear layer's matrix product with the layer's element-wise work in the same kernel, tiled as a
// GPU block computes it: C [m, n] = epilogue(sum over k of A(i, k) B(j, k)). A kernel variant of the
// CUDA backend's cuBLAS layers, kept out of the backend and measured by ganvas_cuda_variants
// (bench/cuda_variants/cuda_variants.cpp), as llm.c keeps its kernel variants in dev/cuda.
//
// The work of one block is written as phases of one thread each: read a share of the next tiles of
// A and B into registers, put them into the block's memory, add the tiles' products to the thread's
// sums, store the thread's outputs. The device kernel (tiled_kernel.cu) runs them between barriers,
// reading the next tiles while it adds up the current ones; run_tiled_product_on_host runs them in
// the same order, thread after thread. So the CPU tests check the very indexing the GPU runs. Each
// output is one thread's sum over k in order: results do not depend on scheduling.
#pragma once

#include <cmath>
#include <vector>

#include "gan/backends/cuda/hidden_backward.h"
#include "gan/math/gan_math.h"
#include "gan/math/hd.h"
#include "gan/model/model.h"

namespace ganvas::cuda_variants {

using cuda::HiddenBackward;

inline constexpr int kTileRows = 32;     // rows of C per block
inline constexpr int kTileCols = 32;     // columns of C per block
inline constexpr int kTileDepth = 32;    // values of k per loaded tile
inline constexpr int kThreadSide = 16;   // threads per block: kThreadSide x kThreadSide
inline constexpr int kTileThreads = kThreadSide * kThreadSide;
inline constexpr int kThreadOutputs = 2;  // each thread owns 2 x 2 outputs, kThreadSide apart

// Element (i, k) of an operand at data[i * i_stride + k * k_stride].
struct Operand {
  const float* data = nullptr;
  long long i_stride = 0;
  long long k_stride = 0;
  GANVAS_HD float at(int i, int k) const { return data[i * i_stride + k * k_stride]; }
};

// What becomes of each sum before it is stored.
enum class Epilogue {
  kPlain,             // sum (+ bias[j])
  kActivate,          // activate(sum + bias[j])
  kSigmoid,           // sigmoid(sum + bias[j])
  kActivateBackward,  // activate_backward(output(i, j), sum): d loss / d the layer's input
  kSigmoidBackward,   // sigmoid_backward(output(i, j), sum)
};

struct TiledProduct {
  int m = 0, n = 0, k = 0;
  Operand a;                       // [m, k]
  Operand b;                       // [n, k]
  float* c = nullptr;              // C(i, j) at c[i * c_stride + j]
  long long c_stride = 0;
  Epilogue epilogue = Epilogue::kPlain;
  Activation activation = Activation::kRelu;
  const float* bias = nullptr;     // [n]: added to each sum before the activation (null: none)
  const float* output = nullptr;   // the activations a backward epilogue differentiates, at C's layout
  float* row_sums = nullptr;       // [m]: sum over k of A(i, k), when not null (a bias gradient)

  // B has one more column, of ones, when the row sums are wanted: its outputs are the row sums.
  GANVAS_HD int columns() const { return n + (row_sums != nullptr ? 1 : 0); }
  GANVAS_HD int row_blocks() const { return (m + kTileRows - 1) / kTileRows; }
  GANVAS_HD int column_blocks() const { return (columns() + kTileCols - 1) / kTileCols; }
};

// y [rows, out] = epilogue(x W^T + b): x [rows, in] with rows x_stride apart, W [out, in] as PyTorch
// stores it.
TiledProduct forward_product(const float* x, int rows, int in, long long x_stride, const float* w, const float* b,
                             int out, float* y, Epilogue epilogue, Activation activation);
// dx [rows, columns] = epilogue(dy W) over W's first `columns` columns: dy [rows, out], W [out, *]
// with rows w_stride apart; `output` [rows, columns] is what a backward epilogue differentiates.
TiledProduct input_grad_product(const float* dy, int rows, int out, const float* w, int columns, long long w_stride,
                                float* dx, Epilogue epilogue, Activation activation, const float* output);
// grad_w [out, in] = dy^T x: dy [rows, out], x [rows, in] with rows x_stride apart; bias_grad [out]
// = dy's column sums when not null.
TiledProduct weight_grad_product(const float* dy, const float* x, int rows, int in, long long x_stride, int out,
                                 float* grad_w, float* bias_grad);

// Back through a network's hidden layers as `pass` says, as products to run in order: each input
// gradient goes back through the activation below it in its own product, and each weight gradient
// writes its layer's bias gradient (its row sums), the top layer's too when `top_bias` (else the
// caller has it). With `input_sigmoid` (the sigmoid outputs that x holds, [rows, input_columns]),
// the input gradient goes back through that sigmoid too (G's images).
std::vector<TiledProduct> tiled_hidden_backward_products(const MlpShape& shape, const HiddenBackward& pass,
                                                         bool top_bias, const float* input_sigmoid);

// G's output layer backward from d loss / d its pre-sigmoid output image_grad [rows, out]: w_out's
// and b_out's gradients into grads, and d loss / d the last hidden layer's pre-activation into
// hidden_grad [rows, hidden]. Either may run first.
struct OutputBackwardProducts {
  TiledProduct weights;
  TiledProduct input;
};
OutputBackwardProducts tiled_output_backward_products(const MlpShape& g, const float* params, const float* last_hidden,
                                                      int rows, const float* image_grad, float* hidden_grad,
                                                      float* grads);

// One block's tiles in its shared memory, k-major; a padding column keeps the stores free of bank
// conflicts.
struct TileMemory {
  float a[kTileDepth][kTileRows + 1];
  float b[kTileDepth][kTileCols + 1];
};

// A thread's running sums of its 2 x 2 outputs.
struct ThreadSums {
  float v[kThreadOutputs][kThreadOutputs] = {};
};

// Where element e of a tile (side x kTileDepth) sits: consecutive threads walk the operand's
// contiguous axis, so their loads are coalesced.
GANVAS_HD void tile_position(const Operand& operand, int e, int side, int& i, int& depth) {
  if (operand.k_stride == 1) {
    depth = e % kTileDepth;
    i = e / kTileDepth;
  } else {
    i = e % side;
    depth = e / side;
  }
}

// A thread's share of the next tiles of A and B, held in registers while the block works on the
// tiles in its memory.
inline constexpr int kLoadsPerThread = kTileRows * kTileDepth / kTileThreads;
static_assert(kTileRows == kTileCols && kLoadsPerThread * kTileThreads == kTileRows * kTileDepth);
struct TileLoads {
  float a[kLoadsPerThread];
  float b[kLoadsPerThread];
};

// Phase 1: thread t reads its share of the tiles of A and B at depth k0 from the matrices: zeros
// past their ends, and ones in B's column of ones.
GANVAS_HD void fetch_tiles(const TiledProduct& p, int block_row, int block_col, int k0, int t, TileLoads& loads) {
  for (int l = 0; l < kLoadsPerThread; ++l) {
    const int e = t + l * kTileThreads;
    int i = 0, depth = 0;
    tile_position(p.a, e, kTileRows, i, depth);
    const int row = block_row * kTileRows + i, k = k0 + depth;
    loads.a[l] = row < p.m && k < p.k ? p.a.at(row, k) : 0.0f;
    tile_position(p.b, e, kTileCols, i, depth);
    const int column = block_col * kTileCols + i;
    float value = 0.0f;
    if (k0 + depth < p.k && column < p.n) value = p.b.at(column, k0 + depth);
    if (k0 + depth < p.k && column == p.n && p.row_sums != nullptr) value = 1.0f;
    loads.b[l] = value;
  }
}

// Phase 2: thread t puts what it read into the block's memory.
GANVAS_HD void store_tiles(const TiledProduct& p, int t, const TileLoads& loads, TileMemory& memory) {
  for (int l = 0; l < kLoadsPerThread; ++l) {
    const int e = t + l * kTileThreads;
    int i = 0, depth = 0;
    tile_position(p.a, e, kTileRows, i, depth);
    memory.a[depth][i] = loads.a[l];
    tile_position(p.b, e, kTileCols, i, depth);
    memory.b[depth][i] = loads.b[l];
  }
}

// Phase 3: thread t adds the products of the tiles in memory to its sums, k in order.
GANVAS_HD void accumulate_tiles(const TileMemory& memory, int t, ThreadSums& sums) {
  const int ty = t / kThreadSide, tx = t % kThreadSide;
  for (int depth = 0; depth < kTileDepth; ++depth) {
    for (int r = 0; r < kThreadOutputs; ++r) {
      const float a = memory.a[depth][ty + r * kThreadSide];
      for (int c = 0; c < kThreadOutputs; ++c) sums.v[r][c] = fmaf(a, memory.b[depth][tx + c * kThreadSide], sums.v[r][c]);
    }
  }
}

// An output's final value from its sum.
GANVAS_HD float finish_output(const TiledProduct& p, int i, int j, float sum) {
  const float biased = p.bias != nullptr ? sum + p.bias[j] : sum;
  switch (p.epilogue) {
    case Epilogue::kPlain: return biased;
    case Epilogue::kActivate: return activate(p.activation, biased);
    case Epilogue::kSigmoid: return sigmoid(biased);
    case Epilogue::kActivateBackward: return activate_backward(p.activation, p.output[i * p.c_stride + j], sum);
    case Epilogue::kSigmoidBackward: return sigmoid_backward(p.output[i * p.c_stride + j], sum);
  }
  return biased;
}

// Phase 4: thread t stores its outputs inside C, and the row sums of B's column of ones.
GANVAS_HD void store_outputs(const TiledProduct& p, int block_row, int block_col, int t, const ThreadSums& sums) {
  const int ty = t / kThreadSide, tx = t % kThreadSide;
  for (int r = 0; r < kThreadOutputs; ++r) {
    const int i = block_row * kTileRows + ty + r * kThreadSide;
    if (i >= p.m) continue;
    for (int c = 0; c < kThreadOutputs; ++c) {
      const int j = block_col * kTileCols + tx + c * kThreadSide;
      if (j < p.n) p.c[i * p.c_stride + j] = finish_output(p, i, j, sums.v[r][c]);
      if (j == p.n && p.row_sums != nullptr) p.row_sums[i] = sums.v[r][c];
    }
  }
}

// The product on the CPU, block after block and thread after thread through the phases above.
void run_tiled_product_on_host(const TiledProduct& p);

}  // namespace ganvas::cuda_variants
