// Benchmark: the eight matrix products of a simultaneous step at batch 128, as the CPU backend runs
// them — through its layer functions (the bias rows written before the forward products, the bias
// gradients summed with the weight gradients), each product on buffers of its own as in a step — on
// two threads shared by ganvas itself and on OpenBLAS's own two threads, interleaved. Beside the
// GEMM ceiling (bench/gemm_ceiling.cpp) it says how much of a step's gap to the ceiling is in the
// products and how much in everything else.
//
// usage: ganvas_layer_products REPS ROUNDS
#include <cblas.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "gan/model/cpu_ops.h"
#include "gan/model/shared_pass.h"
#include "gan/model/model.h"

namespace {

// Every array the step's products read or write, each its own.
struct StepArrays {
  explicit StepArrays(const ganvas::ModelShape& s, int batch) : b(batch), z(s.noise), h(s.hidden), x(s.image) {
    const size_t rows = batch;
    for (std::vector<float>* v : {&g_hidden, &g_hidden_grad}) v->assign(rows * h, 0.01f);
    for (std::vector<float>* v : {&d_hidden, &d_hidden_grad}) v->assign(2 * rows * h, 0.01f);
    noise.assign(rows * z, 0.01f);
    d_in.assign(2 * rows * x, 0.01f);
    image_grad.assign(rows * x, 0.01f);
    for (std::vector<float>* v : {&g_w1, &g_w1_grad}) v->assign(static_cast<size_t>(h) * z, 0.01f);
    for (std::vector<float>* v : {&g_w2, &g_w2_grad, &d_w1, &d_w1_grad}) v->assign(static_cast<size_t>(x) * h, 0.01f);
    for (std::vector<float>* v : {&g_b1, &g_b1_grad, &d_b1, &d_b1_grad}) v->assign(h, 0.01f);
    for (std::vector<float>* v : {&g_b2, &g_b2_grad}) v->assign(x, 0.01f);
  }
  int b, z, h, x;
  std::vector<float> noise, g_hidden, g_hidden_grad, d_in, d_hidden, d_hidden_grad, image_grad;
  std::vector<float> g_w1, g_b1, g_w2, g_b2, d_w1, d_b1;
  std::vector<float> g_w1_grad, g_b1_grad, g_w2_grad, g_b2_grad, d_w1_grad, d_b1_grad;
};

// G forward (2), D forward on both halves, D's weight gradient, G's path back through D, G's two
// weight gradients and its hidden gradient: the CPU backend's calls, without the element-wise work.
void step_products(StepArrays& a) {
  using namespace ganvas::cpu;
  float* fakes = a.d_in.data() + static_cast<size_t>(a.b) * a.x;
  linear_forward(a.noise.data(), a.b, a.z, a.g_w1.data(), a.g_b1.data(), a.h, a.g_hidden.data());
  linear_forward(a.g_hidden.data(), a.b, a.h, a.g_w2.data(), a.g_b2.data(), a.x, fakes);
  linear_forward(a.d_in.data(), 2 * a.b, a.x, a.d_w1.data(), a.d_b1.data(), a.h, a.d_hidden.data());
  linear_param_grads(a.d_hidden_grad.data(), a.d_in.data(), 2 * a.b, a.x, a.h, a.d_w1_grad.data(), a.d_b1_grad.data());
  const float* fake_grad = a.d_hidden_grad.data() + static_cast<size_t>(a.b) * a.h;
  linear_input_grad(fake_grad, a.d_w1.data(), a.b, a.x, a.h, a.image_grad.data());
  linear_param_grads(a.image_grad.data(), a.g_hidden.data(), a.b, a.h, a.x, a.g_w2_grad.data(), a.g_b2_grad.data());
  linear_input_grad(a.image_grad.data(), a.g_w2.data(), a.b, a.h, a.x, a.g_hidden_grad.data());
  linear_param_grads(a.g_hidden_grad.data(), a.noise.data(), a.b, a.z, a.h, a.g_w1_grad.data(), a.g_b1_grad.data());
}

// Steps/s of `reps` steps' products after a warm-up.
double products_per_second(StepArrays& arrays, int reps) {
  for (int i = 0; i < reps / 10 + 1; ++i) step_products(arrays);
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < reps; ++i) step_products(arrays);
  return reps / std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s REPS ROUNDS\n", argv[0]);
    return 2;
  }
  ganvas::cpu::prefer_fast_blas_kernels(argv);  // as the ganvas command does
  const int reps = std::atoi(argv[1]), rounds = std::atoi(argv[2]);
  if (reps < 1 || rounds < 1) return 2;
  StepArrays arrays(ganvas::ModelShape{}, 128);
  std::vector<double> shared, openblas;
  for (int r = 0; r < rounds; ++r) {
    ganvas::cpu::set_blas_threads(2);  // OpenBLAS on one thread, the products split by ganvas
    shared.push_back(products_per_second(arrays, reps));
    ganvas::cpu::set_work_sharing(false);
    openblas_set_num_threads(2);  // the same calls on OpenBLAS's own two threads
    openblas.push_back(products_per_second(arrays, reps));
    std::printf("round %d: ganvas's two threads %.1f, OpenBLAS's two threads %.1f steps/s\n", r + 1, shared.back(),
                openblas.back());
  }
  std::printf("layer-products blas=%s steps/s ganvas-threads median=%.1f openblas-threads median=%.1f rounds=%d reps=%d\n",
              ganvas::cpu::blas_core_name(), median(shared), median(openblas), rounds, reps);
  return 0;
}
