// The CPU backend's two-core sharing (gan/cpu/shared_pass.h): every part run exactly once whichever
// thread takes it, callers arriving together, and training steps equal bit for bit to one thread's.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <thread>
#include <vector>

#include "gan/backend.h"
#include "gan/cpu/cpu_ops.h"
#include "gan/cpu/shared_pass.h"

namespace ganvas {
namespace {

// Sets ganvas's CPU threads for the test's length (two turns sharing on), then back.
class CpuThreads {
 public:
  explicit CpuThreads(int threads) : before_(cpu::blas_threads()) { cpu::set_blas_threads(threads); }
  ~CpuThreads() { cpu::set_blas_threads(before_); }

 private:
  int before_;
};

// How often each of `count` parts ran in one shared run.
std::vector<int> runs_of_each_part(size_t count) {
  std::vector<int> runs(count, 0);
  cpu::run_shared_parts(count, [&](size_t part) { ++runs[part]; });
  return runs;
}

bool each_ran_once(const std::vector<int>& runs) {
  return std::all_of(runs.begin(), runs.end(), [](int n) { return n == 1; });
}

TEST(SharedPass, TwoThreadsTurnSharingOnAndOneTurnsItOff) {
  {
    CpuThreads two(2);
    EXPECT_TRUE(cpu::work_sharing());
    EXPECT_EQ(cpu::blas_threads(), 2);
  }
  CpuThreads one(1);
  EXPECT_FALSE(cpu::work_sharing());
  EXPECT_EQ(cpu::blas_threads(), 1);
}

TEST(SharedPass, EveryPartRunsOnceWhateverTheCount) {
  CpuThreads two(2);
  for (size_t count : {size_t{0}, size_t{1}, size_t{2}, size_t{7}, size_t{1000}}) {
    EXPECT_TRUE(each_ran_once(runs_of_each_part(count))) << count << " parts";
  }
}

TEST(SharedPass, CallersArrivingTogetherEachRunTheirWholeWork) {
  CpuThreads two(2);
  auto caller = [](int* failures) {
    for (int work = 0; work < 200; ++work) *failures += !each_ran_once(runs_of_each_part(64));
  };
  int failures_a = 0, failures_b = 0;
  std::thread other(caller, &failures_b);
  caller(&failures_a);
  other.join();
  EXPECT_EQ(failures_a, 0);
  EXPECT_EQ(failures_b, 0);
}

// A few steps of the tutorial's model on random images, on `threads` threads: the state after them.
GanState state_after_steps(int threads) {
  CpuThreads setting(threads);
  const ModelShape shape;
  ImageSet images;
  images.count = 512;
  images.rows = images.cols = 28;
  images.pixels.resize(static_cast<size_t>(images.count) * shape.image);
  std::mt19937 random(7);
  for (uint8_t& pixel : images.pixels) pixel = static_cast<uint8_t>(random() % 256);
  std::unique_ptr<Backend> backend = make_cpu_backend(shape, 128);
  backend->set_state(initial_state(shape, 3));
  backend->set_training_images(images);
  for (int step = 0; step < 3; ++step) backend->train_step(Update::kBoth);
  return backend->state();
}

TEST(SharedPass, TrainingStepsOnTwoThreadsEqualOneThreadsBitForBit) {
  const GanState alone = state_after_steps(1), shared = state_after_steps(2);
  EXPECT_NE(alone.generator.params, initial_state(ModelShape{}, 3).generator.params) << "the steps trained";
  EXPECT_EQ(alone.generator.params, shared.generator.params);
  EXPECT_EQ(alone.generator.m, shared.generator.m);
  EXPECT_EQ(alone.generator.v, shared.generator.v);
  EXPECT_EQ(alone.discriminator.params, shared.discriminator.params);
  EXPECT_EQ(alone.discriminator.m, shared.discriminator.m);
  EXPECT_EQ(alone.discriminator.v, shared.discriminator.v);
}

}  // namespace
}  // namespace ganvas
