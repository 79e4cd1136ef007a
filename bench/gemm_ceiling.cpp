// Benchmark: the ceiling the matrix products put on a training step. Times the eight sgemm calls
// of one simultaneous step at batch 128 (the CPU backend's shapes and transposes), with OpenBLAS
// on the given threads (its own threading) and kernels as ganvas picks them, and prints the steps/s
// that GEMMs alone would allow.
//
// usage: ganvas_gemm_ceiling REPS RUNS [BLAS_THREADS]
#include <cblas.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "gan/model/cpu_ops.h"
#include "gan/model/model.h"

namespace {

struct Gemm {
  CBLAS_TRANSPOSE a, b;
  int m, n, k;
};

// The step's products: G forward (2), D forward on 2B rows (1), D's weight gradient, G's path back
// through D, G's two weight gradients and its hidden gradient.
std::vector<Gemm> step_gemms(const ganvas::ModelShape& s, int batch) {
  return {{CblasNoTrans, CblasTrans, batch, s.hidden, s.noise},
          {CblasNoTrans, CblasTrans, batch, s.image, s.hidden},
          {CblasNoTrans, CblasTrans, 2 * batch, s.disc_hidden, s.image},
          {CblasTrans, CblasNoTrans, s.disc_hidden, s.image, 2 * batch},
          {CblasNoTrans, CblasNoTrans, batch, s.image, s.disc_hidden},
          {CblasTrans, CblasNoTrans, s.image, s.hidden, batch},
          {CblasNoTrans, CblasNoTrans, batch, s.hidden, s.image},
          {CblasTrans, CblasNoTrans, s.hidden, s.noise, batch}};
}

void run(const Gemm& g, const std::vector<float>& a, const std::vector<float>& b, std::vector<float>& c) {
  const int lda = g.a == CblasNoTrans ? g.k : g.m, ldb = g.b == CblasNoTrans ? g.n : g.k;
  cblas_sgemm(CblasRowMajor, g.a, g.b, g.m, g.n, g.k, 1.0f, a.data(), lda, b.data(), ldb, 0.0f, c.data(), g.n);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s REPS RUNS [BLAS_THREADS]\n", argv[0]);
    return 2;
  }
  ganvas::cpu::prefer_fast_blas_kernels(argv);  // as the ganvas command does
  const int reps = std::atoi(argv[1]), runs = std::atoi(argv[2]);
  const int threads = argc > 3 ? std::atoi(argv[3]) : 2;
  if (reps < 1 || runs < 1) return 2;
  // OpenBLAS's own threads: the products as fast as OpenBLAS runs them (ganvas, on two threads,
  // runs OpenBLAS on one and splits the products itself: gan/cpu/shared_pass.h).
  openblas_set_num_threads(threads);
  const std::vector<Gemm> gemms = step_gemms(ganvas::ModelShape{}, 128);
  std::vector<float> a(1 << 20, 0.01f), b(1 << 20, 0.02f), c(1 << 20);
  for (const Gemm& g : gemms) run(g, a, b, c);  // warm up
  std::vector<double> rates;
  for (int r = 0; r < runs; ++r) {
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < reps; ++i) {
      for (const Gemm& g : gemms) run(g, a, b, c);
    }
    rates.push_back(reps / std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(rates.begin(), rates.end());
  std::printf("gemm-ceiling threads=%d blas=%s steps/s median=%.1f min=%.1f max=%.1f runs=%d reps=%d\n", threads,
              ganvas::cpu::blas_core_name(), rates[rates.size() / 2], rates.front(), rates.back(), runs, reps);
  return 0;
}
