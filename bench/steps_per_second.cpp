// Benchmark: training steps per second on real MNIST, on the CPU or CUDA backend, at batch 128
// (the tutorial's) or another.
//
// usage: ganvas_bench DEVICE DATA_DIR STEPS RUNS [BLAS_THREADS] [tf32|fp32] [BATCH]
// Prints one line: the median, min and max steps/s over RUNS timed runs of STEPS steps each, after
// a warm-up. CUDA steps are queued asynchronously; each run ends by waiting for the last one. (The
// CUDA kernels' variants are measured by bench/cuda_variants.)
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "gan/backends/backend_factory.h"
#include "gan/model/cpu_ops.h"
#include "gan/train/trainer.h"
#include "common/error.h"

int main(int argc, char** argv) {
  using namespace ganvas;
  if (argc < 5) {
    std::fprintf(stderr, "usage: %s cpu|cuda DATA_DIR STEPS RUNS [BLAS_THREADS] [tf32|fp32] [BATCH]\n", argv[0]);
    return 2;
  }
  cpu::prefer_fast_blas_kernels(argv);  // as the ganvas command does
  const std::string device = argv[1];
  const std::string data_dir = argv[2];
  const int steps = std::atoi(argv[3]);
  const int runs = std::atoi(argv[4]);
  if (steps < 1 || runs < 1) {
    std::fprintf(stderr, "ganvas_bench: STEPS and RUNS must be positive\n");
    return 2;
  }
  const int threads = argc > 5 ? std::atoi(argv[5]) : 2;
  const bool tf32 = argc > 6 && std::string(argv[6]) == "tf32";
  const int batch = argc > 7 ? std::atoi(argv[7]) : 128;
  if (batch < 1) {
    std::fprintf(stderr, "ganvas_bench: BATCH must be positive\n");
    return 2;
  }
  try {
    cpu::set_blas_threads(threads);
    const ImageSet images = load_training_set(DatasetKind::kMnist, data_dir, false);
    auto backend = make_backend(parse_device(device), ModelShape{}, batch, tf32).backend;
    backend->set_state(initial_state(ModelShape{}, 1));
    backend->set_training_images(images);
    TrainingLoop loop(*backend, 0);
    const Schedule simultaneous;
    for (int i = 0; i < 50; ++i) loop.step(simultaneous);  // warm up (and capture graphs)
    loop.checked_metrics();
    std::vector<double> rates;
    for (int r = 0; r < runs; ++r) {
      loop.rate().restart();
      for (int i = 0; i < steps; ++i) loop.step(simultaneous);
      loop.checked_metrics();  // waits for the queued steps
      rates.push_back(loop.rate().read());
    }
    std::sort(rates.begin(), rates.end());
    std::printf("ganvas-%s%s threads=%d batch=%d blas=%s steps/s median=%.1f min=%.1f max=%.1f runs=%d steps=%d\n",
                backend->name().c_str(), tf32 ? "-tf32" : "", threads, batch, cpu::blas_core_name(),
                rates[rates.size() / 2], rates.front(), rates.back(), runs, steps);
  } catch (const Error& e) {
    std::fprintf(stderr, "ganvas_bench: %s\n", e.what());
    return 1;
  }
  return 0;
}
