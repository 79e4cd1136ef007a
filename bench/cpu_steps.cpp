// Benchmark: CPU training steps per second at batch 128 on real MNIST (median and spread of runs).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "backend.h"
#include "cpu/cpu_ops.h"
#include "error.h"

int main(int argc, char** argv) {
  using namespace ganvas;
  const std::string data_dir = argc > 1 ? argv[1] : "data/mnist";
  const int steps = argc > 2 ? std::atoi(argv[2]) : 500;
  const int runs = argc > 3 ? std::atoi(argv[3]) : 5;
  const int threads = argc > 4 ? std::atoi(argv[4]) : 2;
  try {
    cpu::set_blas_threads(threads);
    const ImageSet images = load_training_set(DatasetKind::kMnist, data_dir, false);
    auto backend = make_cpu_backend(ModelShape{}, 128);
    backend->set_state(initial_state(ModelShape{}, 1));
    backend->set_training_images(images);
    for (int i = 0; i < 50; ++i) backend->train_step(Update::kBoth);  // warm up
    std::vector<double> rates;
    for (int r = 0; r < runs; ++r) {
      const auto start = std::chrono::steady_clock::now();
      for (int i = 0; i < steps; ++i) backend->train_step(Update::kBoth);
      const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      rates.push_back(steps / seconds);
    }
    std::sort(rates.begin(), rates.end());
    std::printf("ganvas-cpu threads=%d core=%s steps/s median=%.1f min=%.1f max=%.1f runs=%d steps=%d\n", threads,
                cpu::blas_core_name(), rates[rates.size() / 2], rates.front(), rates.back(), runs, steps);
  } catch (const Error& e) {
    std::fprintf(stderr, "cpu_steps: %s\n", e.what());
    return 1;
  }
  return 0;
}
