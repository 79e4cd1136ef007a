// OpenBLAS-backed layer operations shared by the CPU training step and the CPU sampler.
#include "gan/model/cpu_ops.h"
#include "gan/model/shared_pass.h"

#include <cblas.h>

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <string>

// Hot element-wise loops are compiled for AVX-512, AVX2 and the baseline; the loader picks one.
// Not under the sanitizers: their instrumented resolvers would run before the sanitizer's runtime.
#if defined(__x86_64__) && !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
#define GANVAS_MULTIVERSION __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define GANVAS_MULTIVERSION
#endif

// glibc's vector math library (libmvec) has SIMD versions of expf; declared so, the sigmoid loops
// vectorize (glibc's own header declares them only under -ffast-math, which ganvas does not use).
#ifdef GANVAS_HAVE_LIBMVEC
extern "C" {
#pragma omp declare simd notinbranch
float expf(float) noexcept;
}
#endif

namespace ganvas::cpu {

namespace {

// Values per part of a shared element-wise pass: 64 KB of each array.
constexpr size_t kValuesPerPart = 16384;

// Runs body(begin, end) over [0, n) in parts of kValuesPerPart, shared between two threads.
template <class Body>
void run_shared_pass(size_t n, const Body& body) {
  run_shared_range(n, kValuesPerPart, body);
}

// The part of a product's C that one thread computes: rows [row, row + rows), columns [column,
// column + columns).
struct Block {
  int row, rows, column, columns;
};

// Does nothing to a block: for a product with no work before or after it.
constexpr auto kNoBlockWork = [](const Block&) {};

// C [m, n] = alpha op(A) op(B) + beta C, row-major, as cblas_sgemm; with work sharing on, the two
// halves of C's longer side go to the two threads (each element sums over k exactly as unsplit).
// before(block) and after(block) run on the thread that computes the block, just before and just
// after its product: element-wise work on C done while the block is in that core's cache, with no
// pass (and no hand-over between the threads) of its own.
template <class Before, class After>
void sgemm(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, int m, int n, int k, float alpha, const float* a, int lda,
           const float* b, int ldb, float beta, float* c, int ldc, const Before& before, const After& after) {
  const auto product = [&](const Block& block) {
    before(block);
    const float* a_rows = ta == CblasNoTrans ? a + static_cast<size_t>(block.row) * lda : a + block.row;
    const float* b_columns = tb == CblasNoTrans ? b + block.column : b + static_cast<size_t>(block.column) * ldb;
    cblas_sgemm(CblasRowMajor, ta, tb, block.rows, block.columns, k, alpha, a_rows, lda, b_columns, ldb, beta,
                c + static_cast<size_t>(block.row) * ldc + block.column, ldc);
    after(block);
  };
  constexpr int kAlign = 16;                // halves of n start on whole vectors of C's rows
  constexpr double kMinSharedProduct = 1e6;  // m n k below this: the hand-off costs more than it saves
  const bool split_rows = m >= n;
  const int longer = split_rows ? m : n;
  const int half = split_rows ? m / 2 : (n / 2 + kAlign - 1) / kAlign * kAlign;
  if (!work_sharing() || static_cast<double>(m) * n * k < kMinSharedProduct || half <= 0 || half >= longer) {
    product({0, m, 0, n});
    return;
  }
  run_shared_parts(2, [&](size_t part) {
    const int first = part == 0 ? 0 : half;
    const int size = part == 0 ? half : longer - half;
    product(split_rows ? Block{first, size, 0, n} : Block{0, m, first, size});
  });
}

// Runs row_fn(row, values, count) on each row of a block of C (ld: C's row stride), where values
// points at the block's first column in that row.
template <class RowFn>
void for_block_rows(const Block& block, float* c, int ld, const RowFn& row_fn) {
  for (int r = block.row; r < block.row + block.rows; ++r) {
    row_fn(r, c + static_cast<size_t>(r) * ld + block.column, static_cast<size_t>(block.columns));
  }
}

// The element-wise passes over values [0, n) of arrays already offset to one part.
GANVAS_MULTIVERSION void activate_part(Activation a, float* values, size_t n) {
  if (a == Activation::kRelu) {  // the tutorial's: a loop the compiler vectorizes on its own
    for (size_t i = 0; i < n; ++i) values[i] = relu(values[i]);
    return;
  }
  for (size_t i = 0; i < n; ++i) values[i] = activate(a, values[i]);
}

GANVAS_MULTIVERSION void sigmoid_part(float* values, size_t n) {
  for (size_t i = 0; i < n; ++i) values[i] = sigmoid(values[i]);
}

GANVAS_MULTIVERSION void activate_backward_part(Activation a, const float* activation, float* grad, size_t n) {
  if (a == Activation::kRelu) {
    for (size_t i = 0; i < n; ++i) grad[i] = relu_backward(activation[i], grad[i]);
    return;
  }
  for (size_t i = 0; i < n; ++i) grad[i] = activate_backward(a, activation[i], grad[i]);
}

GANVAS_MULTIVERSION void sigmoid_backward_part(const float* output, float* grad, size_t n) {
  for (size_t i = 0; i < n; ++i) grad[i] = sigmoid_backward(output[i], grad[i]);
}

// The optimizer passes over values [0, n) of arrays already offset to one part. The arrays never
// overlap; saying so (__restrict) lets an update keep a new moment in a register instead of reading
// back the vector it just stored, which runs Adam's loop three times as fast with AVX-512.
GANVAS_MULTIVERSION void moving_average_part(float* __restrict average, const float* __restrict values, size_t n,
                                             float decay) {
  for (size_t i = 0; i < n; ++i) average_update(average[i], values[i], decay);
}

GANVAS_MULTIVERSION void sgd_part(float* __restrict params, float* __restrict velocity, const float* __restrict grads,
                                  size_t n, float lr, float momentum) {
  for (size_t i = 0; i < n; ++i) sgd_update(params[i], velocity[i], grads[i], lr, momentum);
}

GANVAS_MULTIVERSION void adam_part(float* __restrict params, float* __restrict m, float* __restrict v,
                                   const float* __restrict grads, size_t n, float step_size, const AdamConfig& config) {
  for (size_t i = 0; i < n; ++i) adam_update(params[i], m[i], v[i], grads[i], step_size, config);
}

}  // namespace

void sigmoid_backward_inplace(const float* output, float* grad, size_t n) {
  run_shared_pass(n, [&](size_t begin, size_t end) {
    sigmoid_backward_part(output + begin, grad + begin, end - begin);
  });
}

void moving_average(float* average, const float* values, size_t count, float decay) {
  run_shared_pass(count, [&](size_t begin, size_t end) {
    moving_average_part(average + begin, values + begin, end - begin, decay);
  });
}

void sgd_apply(float* params, float* velocity, const float* grads, size_t count, float lr, float momentum) {
  run_shared_pass(count, [&](size_t begin, size_t end) {
    sgd_part(params + begin, velocity + begin, grads + begin, end - begin, lr, momentum);
  });
}

void adam_apply(float* params, float* m, float* v, const float* grads, size_t count, const AdamConfig& config,
                const AdamPowers& powers) {
  const float step_size = adam_step_size(config, powers);
  run_shared_pass(count, [&](size_t begin, size_t end) {
    adam_part(params + begin, m + begin, v + begin, grads + begin, end - begin, step_size, config);
  });
}

namespace {

// y [rows, out] = x [rows, in] W^T + b, then after(block) on each block of y: the bias is written
// into the block before its product adds to it.
template <class After>
void linear_forward_then(const float* x, int rows, int in, const float* w, const float* b, int out, float* y,
                         const After& after) {
  const auto write_bias = [&](const Block& block) {
    for_block_rows(block, y, out,
                   [&](int, float* values, size_t count) { std::copy_n(b + block.column, count, values); });
  };
  sgemm(CblasNoTrans, CblasTrans, rows, out, in, 1.0f, x, in, w, in, 1.0f, y, out, write_bias, after);
}

}  // namespace

void linear_forward(const float* x, int rows, int in, const float* w, const float* b, int out, float* y) {
  linear_forward_then(x, rows, in, w, b, out, y, kNoBlockWork);
}

void linear_activate_forward(Activation a, const float* x, int rows, int in, const float* w, const float* b, int out,
                             float* y) {
  linear_forward_then(x, rows, in, w, b, out, y, [&](const Block& block) {
    for_block_rows(block, y, out, [&](int, float* values, size_t count) { activate_part(a, values, count); });
  });
}

void linear_sigmoid_forward(const float* x, int rows, int in, const float* w, const float* b, int out, float* y) {
  linear_forward_then(x, rows, in, w, b, out, y, [&](const Block& block) {
    for_block_rows(block, y, out, [&](int, float* values, size_t count) { sigmoid_part(values, count); });
  });
}

void hidden_forward(const MlpShape& s, const float* params, const float* x, int n, float* hidden) {
  const size_t layer_values = static_cast<size_t>(n) * s.hidden;
  for (int k = 0; k < s.hidden_layers; ++k) {
    const float* input = k == 0 ? x : hidden + (k - 1) * layer_values;
    float* output = hidden + k * layer_values;
    linear_activate_forward(s.activation, input, n, s.layer_in(k), params + s.weight(k), params + s.bias(k), s.hidden,
                            output);
  }
}

namespace {

const float* last_hidden_layer(const MlpShape& s, const float* hidden, int n) {
  return hidden + static_cast<size_t>(s.hidden_layers - 1) * n * s.hidden;
}

}  // namespace

void generator_forward(const MlpShape& s, const float* params, const float* z, int n, float* hidden,
                       float* images) {
  hidden_forward(s, params, z, n, hidden);
  linear_sigmoid_forward(last_hidden_layer(s, hidden, n), n, s.hidden, params + s.w_out(), params + s.b_out(), s.out,
                         images);
}

namespace {

// Rows per part of a shared pass over a layer's rows.
constexpr size_t kRowsPerPart = 64;

// The one-unit output layer's logits of rows [first, end) of `hidden` [rows, width]: each row's dot
// product summed in order, a few rows at a time so that their sums do not wait on one another.
void output_unit_logits(const float* hidden, int width, const float* w, float bias, size_t first, size_t end,
                        float* logits) {
  constexpr size_t kChains = 8;
  for (size_t r = first; r < end; r += kChains) {
    const size_t chains = std::min(kChains, end - r);
    float sums[kChains];
    std::fill_n(sums, chains, bias);
    for (int j = 0; j < width; ++j) {
      for (size_t q = 0; q < chains; ++q) sums[q] += hidden[(r + q) * width + j] * w[j];
    }
    std::copy_n(sums, chains, logits + r);
  }
}

}  // namespace

void discriminator_logits(const MlpShape& s, const float* params, const float* x, int n, float* hidden,
                          float* logits) {
  hidden_forward(s, params, x, n, hidden);
  const float* last = last_hidden_layer(s, hidden, n);
  run_shared_range(static_cast<size_t>(n), kRowsPerPart, [&](size_t first, size_t end) {
    output_unit_logits(last, s.hidden, params + s.w_out(), params[s.b_out()], first, end, logits);
  });
}

void output_unit_param_grads(const float* logit_grad, const float* hidden, int rows, int width, float* grad_w,
                             float* grad_b) {
  constexpr size_t kColumnsPerPart = 64;  // each part sums its columns over all rows, in order
  run_shared_range(static_cast<size_t>(width), kColumnsPerPart, [&](size_t first, size_t end) {
    std::fill(grad_w + first, grad_w + end, 0.0f);
    for (int r = 0; r < rows; ++r) {
      const float* h = hidden + static_cast<size_t>(r) * width;
      for (size_t j = first; j < end; ++j) grad_w[j] += logit_grad[r] * h[j];
    }
  });
  float bias_grad = 0.0f;
  for (int r = 0; r < rows; ++r) bias_grad += logit_grad[r];
  *grad_b = bias_grad;
}

void discriminator_hidden_grad(const MlpShape& d, const float* params, const float* logit_grad, const float* last_hidden,
                               int rows, float* hidden_grad) {
  const float* w_out = params + d.w_out();
  run_shared_range(static_cast<size_t>(rows), kRowsPerPart, [&](size_t first, size_t end) {
    for (size_t row = first * d.hidden; row < end * d.hidden; row += d.hidden) {
      const float grad = logit_grad[row / d.hidden];
      for (int j = 0; j < d.hidden; ++j) {
        hidden_grad[row + j] = activate_backward(d.activation, last_hidden[row + j], grad * w_out[j]);
      }
    }
  });
}

void hidden_backward(const MlpShape& s, const float* params, const float* x, HiddenRows hidden, int rows,
                     float* top_grad, float* scratch, float* grads, float* input_grad) {
  float* grad = top_grad;  // d loss / d layer k's output before the activation
  float* below = scratch;
  for (int k = s.hidden_layers - 1; k >= 0; --k) {
    const float* input = k == 0 ? x : hidden.layer(k - 1);
    if (grads) linear_param_grads(grad, input, rows, s.layer_in(k), s.hidden, grads + s.weight(k), grads + s.bias(k));
    if (k > 0) {
      linear_input_grad_through(s.activation, hidden.layer(k - 1), grad, params + s.weight(k), rows, s.hidden, s.hidden,
                                below);
      std::swap(grad, below);
    } else if (input_grad) {
      linear_input_grad(grad, params + s.weight(0), rows, s.in, s.hidden, input_grad);
    }
  }
}

void discriminator_input_grad(const MlpShape& d, const float* params, HiddenRows hidden, int rows,
                              const float* logit_grad, float* grad_a, float* grad_b, float* input_grad) {
  discriminator_hidden_grad(d, params, logit_grad, hidden.layer(d.hidden_layers - 1), rows, grad_a);
  hidden_backward(d, params, nullptr, hidden, rows, grad_a, grad_b, nullptr, input_grad);
}

void linear_param_grads(const float* dy, const float* x, int rows, int in, int out, float* grad_w, float* grad_b) {
  // Each block of grad_w's rows also sums its units' column of dy into grad_b (one block takes them
  // all when the halves are of columns).
  const auto bias_sums = [&](const Block& block) {
    if (block.column != 0) return;
    float* sums = grad_b + block.row;
    std::fill_n(sums, block.rows, 0.0f);
    for (int r = 0; r < rows; ++r) {
      const float* dy_row = dy + static_cast<size_t>(r) * out + block.row;
      for (int j = 0; j < block.rows; ++j) sums[j] += dy_row[j];
    }
  };
  sgemm(CblasTrans, CblasNoTrans, out, in, rows, 1.0f, dy, out, x, in, 0.0f, grad_w, in, kNoBlockWork, bias_sums);
}

void linear_input_grad(const float* dy, const float* w, int rows, int in, int out, float* dx) {
  sgemm(CblasNoTrans, CblasNoTrans, rows, in, out, 1.0f, dy, out, w, in, 0.0f, dx, in, kNoBlockWork, kNoBlockWork);
}

void linear_input_grad_through(Activation a, const float* below_outputs, const float* dy, const float* w, int rows,
                               int in, int out, float* dx) {
  const auto activation_backward = [&](const Block& block) {
    for_block_rows(block, dx, in, [&](int r, float* values, size_t count) {
      activate_backward_part(a, below_outputs + static_cast<size_t>(r) * in + block.column, values, count);
    });
  };
  sgemm(CblasNoTrans, CblasNoTrans, rows, in, out, 1.0f, dy, out, w, in, 0.0f, dx, in, kNoBlockWork,
        activation_backward);
}

int set_blas_threads(int threads) {
  // Two: OpenBLAS on one thread, and ganvas shares products and passes with its helper (shared_pass.h).
  const bool share = threads == 2;
  openblas_set_num_threads(share ? 1 : threads);
  set_work_sharing(share);
  return blas_threads();
}

int blas_threads() { return work_sharing() ? 2 : openblas_get_num_threads(); }

const char* blas_description() { return openblas_get_config(); }

const char* blas_core_name() { return openblas_get_corename(); }

void prefer_fast_blas_kernels(char** argv) {
#if defined(__x86_64__)
  if (std::getenv("OPENBLAS_CORETYPE") || std::string(blas_core_name()) != "Prescott") return;
  const char* core = nullptr;
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
      __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq")) {
    core = "SkylakeX";
  } else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
    core = "Haswell";
  }
  if (!core) return;
  setenv("OPENBLAS_CORETYPE", core, 1);
  execv("/proc/self/exe", argv);  // returns only on failure: then carry on with the slow kernels
#else
  (void)argv;
#endif
}

}  // namespace ganvas::cpu
