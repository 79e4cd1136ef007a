// A linear layer's matrix product with the layer's element-wise work in the same kernel, tiled as a
// GPU block computes it: C [m, n] = epilogue(sum over k of A(i, k) B(j, k)).
//
// The work of one block is written as three phases of one thread each: load a tile of A and of B
// into the block's memory, add the tiles' products to the thread's sums, store the thread's outputs.
// The device kernel (tiled_layers.cu) runs them between barriers; run_tiled_product_on_host runs them
// thread after thread. So the CPU tests check the very indexing the GPU runs. Each output is one
// thread's sum over k in order: results do not depend on scheduling.
#pragma once

#include <cmath>
#include <vector>

#include "gan/cuda/hidden_backward.h"
#include "gan/gan_math.h"
#include "gan/hd.h"
#include "gan/model.h"

namespace ganvas::cuda {

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

// Phase 1: thread t copies its share of the tiles of A and B at depth k0 into the block's memory;
// zeros past the matrices' ends, and ones in B's extra column of ones.
GANVAS_HD void load_tiles(const TiledProduct& p, int block_row, int block_col, int k0, int t, TileMemory& memory) {
  for (int e = t; e < kTileRows * kTileDepth; e += kTileThreads) {
    int i = 0, depth = 0;
    tile_position(p.a, e, kTileRows, i, depth);
    const int row = block_row * kTileRows + i, k = k0 + depth;
    memory.a[depth][i] = row < p.m && k < p.k ? p.a.at(row, k) : 0.0f;
  }
  for (int e = t; e < kTileCols * kTileDepth; e += kTileThreads) {
    int j = 0, depth = 0;
    tile_position(p.b, e, kTileCols, j, depth);
    const int column = block_col * kTileCols + j, k = k0 + depth;
    float value = 0.0f;
    if (k < p.k && column < p.n) value = p.b.at(column, k);
    if (k < p.k && column == p.n && p.row_sums != nullptr) value = 1.0f;
    memory.b[depth][j] = value;
  }
}

// Phase 2: thread t adds the products of the loaded tiles to its sums, k in order.
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

// Phase 3: thread t stores its outputs inside C, and the row sums of B's column of ones.
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

}  // namespace ganvas::cuda
