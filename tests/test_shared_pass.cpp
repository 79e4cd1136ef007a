// The CPU backend's two-core sharing (gan/cpu/shared_pass.h): every part run exactly once whichever
// thread takes it, callers arriving together, and training steps equal bit for bit to one thread's.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
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

// The helper does take parts: over many runs of parts long enough for it to wake, some ran on it.
TEST(SharedPass, TheHelperThreadTakesParts) {
  CpuThreads two(2);
  const std::thread::id caller = std::this_thread::get_id();
  int on_helper = 0;
  for (int work = 0; work < 50 && on_helper == 0; ++work) {
    std::vector<std::thread::id> ran_on(16);
    cpu::run_shared_parts(ran_on.size(), [&](size_t part) {
      const auto until = std::chrono::steady_clock::now() + std::chrono::microseconds(200);
      while (std::chrono::steady_clock::now() < until) {
      }
      ran_on[part] = std::this_thread::get_id();
    });
    on_helper += static_cast<int>(std::count_if(ran_on.begin(), ran_on.end(), [&](std::thread::id id) { return id != caller; }));
  }
  EXPECT_GT(on_helper, 0) << "every part of 50 runs ran on the calling thread";
}

// A few steps of a model on random images, on `threads` threads: the state after them.
GanState state_after_steps(int threads, ModelShape shape = {}, int batch = 128) {
  CpuThreads setting(threads);
  ImageSet images;
  images.count = 512;
  images.rows = images.cols = 28;
  images.pixels.resize(static_cast<size_t>(images.count) * shape.image);
  std::mt19937 random(7);
  for (uint8_t& pixel : images.pixels) pixel = static_cast<uint8_t>(random() % 256);
  std::unique_ptr<Backend> backend = make_cpu_backend(shape, batch);
  backend->set_state(initial_state(shape, 3));
  backend->set_training_images(images);
  for (int step = 0; step < 3; ++step) backend->train_step(Update::kBoth);
  return backend->state();
}

// The tutorial's model at its batch and at 64 (other product sizes, other halves), and two hidden layers.
TEST(SharedPass, TrainingStepsOnTwoThreadsEqualOneThreadsBitForBit) {
  ModelShape two_layers;
  two_layers.hidden_layers = 2;
  for (auto [shape, batch] : {std::pair{ModelShape{}, 128}, std::pair{ModelShape{}, 64}, std::pair{two_layers, 128}}) {
    SCOPED_TRACE(testing::Message() << shape.hidden_layers << " hidden layers, batch " << batch);
    const GanState alone = state_after_steps(1, shape, batch), shared = state_after_steps(2, shape, batch);
    EXPECT_NE(alone.generator.params, initial_state(shape, 3).generator.params) << "the steps trained";
    EXPECT_EQ(alone.generator.params, shared.generator.params);
    EXPECT_EQ(alone.generator.m, shared.generator.m);
    EXPECT_EQ(alone.generator.v, shared.generator.v);
    EXPECT_EQ(alone.discriminator.params, shared.discriminator.params);
    EXPECT_EQ(alone.discriminator.m, shared.discriminator.m);
    EXPECT_EQ(alone.discriminator.v, shared.discriminator.v);
  }
}

}  // namespace
}  // namespace ganvas
