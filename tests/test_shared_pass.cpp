// The CPU backend's two-core sharing (gan/cpu/shared_pass.h): every part run exactly once whichever
// thread takes it, callers arriving together, layer products whose element-wise work is done on each
// thread's half, and training steps equal bit for bit to one thread's.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <random>
#include <thread>
#include <vector>

#include "gan/backends/backend.h"
#include "gan/model/cpu_ops.h"
#include "gan/model/shared_pass.h"
#include "tests/test_support.h"

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
  for (int i = 0; i < images.count && shape.conditional(); ++i) {
    images.labels.push_back(static_cast<uint8_t>(i % shape.classes));
  }
  std::unique_ptr<Backend> backend = make_cpu_backend(shape, batch);
  backend->set_state(initial_state(shape, 3));
  backend->set_training_images(images);
  for (int step = 0; step < 3; ++step) backend->train_step(Update::kBoth);
  return backend->state();
}

// A layer's inputs: x [rows, in] (also the outputs of the layer below, whose signs pick LeakyReLU's
// slope going back), W [out, in], b [out] and d loss / d y [rows, out].
struct LayerCase {
  int rows, in, out;
  std::vector<float> x, w, b, dy;
  LayerCase(int rows_, int in_, int out_) : rows(rows_), in(in_), out(out_) {
    x = test::random_floats(static_cast<size_t>(rows) * in, 1);
    w = test::random_floats(static_cast<size_t>(out) * in, 2);
    b = test::random_floats(static_cast<size_t>(out), 3);
    dy = test::random_floats(static_cast<size_t>(rows) * out, 4);
  }
};

struct LayerResults {
  std::vector<float> y, grad_w, grad_b, dx;
};

LayerResults sized_for(const LayerCase& c) {
  const size_t rows = c.rows, in = c.in, out = c.out;
  return {std::vector<float>(rows * out), std::vector<float>(out * in), std::vector<float>(out),
          std::vector<float>(rows * in)};
}

// The layer's products with their element-wise work inside (LeakyReLU).
LayerResults fused_products(const LayerCase& c) {
  LayerResults r = sized_for(c);
  cpu::linear_activate_forward(Activation::kLeakyRelu, c.x.data(), c.rows, c.in, c.w.data(), c.b.data(), c.out,
                               r.y.data());
  cpu::linear_param_grads(c.dy.data(), c.x.data(), c.rows, c.in, c.out, r.grad_w.data(), r.grad_b.data());
  cpu::linear_input_grad_through(Activation::kLeakyRelu, c.x.data(), c.dy.data(), c.w.data(), c.rows, c.in, c.out,
                                 r.dx.data());
  return r;
}

// The same products without element-wise work, then that work value by value, the bias sums row
// after row. (Sums over k are OpenBLAS's: they may round differently for a half product than for
// the whole at some shapes, so each way is compared on the same threads.)
LayerResults plain_products_then_passes(const LayerCase& c) {
  LayerResults r = sized_for(c);
  cpu::linear_forward(c.x.data(), c.rows, c.in, c.w.data(), c.b.data(), c.out, r.y.data());
  for (float& y : r.y) y = activate(Activation::kLeakyRelu, y);
  std::vector<float> unused_bias(c.out);
  cpu::linear_param_grads(c.dy.data(), c.x.data(), c.rows, c.in, c.out, r.grad_w.data(), unused_bias.data());
  for (int i = 0; i < c.rows; ++i) {
    for (int o = 0; o < c.out; ++o) r.grad_b[o] += c.dy[static_cast<size_t>(i) * c.out + o];
  }
  cpu::linear_input_grad(c.dy.data(), c.w.data(), c.rows, c.in, c.out, r.dx.data());
  for (size_t i = 0; i < r.dx.size(); ++i) r.dx[i] = activate_backward(Activation::kLeakyRelu, c.x[i], r.dx[i]);
  return r;
}

// The layer from its definitions, summed in double.
LayerResults defined(const LayerCase& c) {
  LayerResults r = sized_for(c);
  const size_t rows = c.rows, in = c.in, out = c.out;
  auto x = [&](size_t i, size_t k) { return static_cast<double>(c.x[i * in + k]); };
  auto w = [&](size_t o, size_t k) { return static_cast<double>(c.w[o * in + k]); };
  auto dy = [&](size_t i, size_t o) { return static_cast<double>(c.dy[i * out + o]); };
  for (size_t i = 0; i < rows; ++i) {
    for (size_t o = 0; o < out; ++o) {
      double sum = c.b[o];
      for (size_t k = 0; k < in; ++k) sum += x(i, k) * w(o, k);
      r.y[i * out + o] = activate(Activation::kLeakyRelu, static_cast<float>(sum));
    }
    for (size_t k = 0; k < in; ++k) {
      double sum = 0;
      for (size_t o = 0; o < out; ++o) sum += dy(i, o) * w(o, k);
      r.dx[i * in + k] = activate_backward(Activation::kLeakyRelu, c.x[i * in + k], static_cast<float>(sum));
    }
  }
  for (size_t o = 0; o < out; ++o) {
    double bias = 0;
    for (size_t i = 0; i < rows; ++i) bias += dy(i, o);
    r.grad_b[o] = static_cast<float>(bias);
    for (size_t k = 0; k < in; ++k) {
      double sum = 0;
      for (size_t i = 0; i < rows; ++i) sum += dy(i, o) * x(i, k);
      r.grad_w[o * in + k] = static_cast<float>(sum);
    }
  }
  return r;
}

void expect_near_all(const std::vector<float>& actual, const std::vector<float>& expected, const char* what) {
  ASSERT_EQ(actual.size(), expected.size()) << what;
  size_t far = 0;
  for (size_t i = 0; i < actual.size(); ++i) far += !(std::abs(actual[i] - expected[i]) <= 1e-4f);
  EXPECT_EQ(far, 0u) << what << ": values away from their definition";
}

// Halves of columns (not a whole vector wide), halves of rows, and a product too small to share; on
// one thread and on two.
TEST(SharedPass, LayerProductsDoTheirElementWiseWorkOnEveryValueOnce) {
  for (const LayerCase& c : {LayerCase(70, 131, 150), LayerCase(301, 100, 57), LayerCase(9, 13, 7)}) {
    for (int threads : {1, 2}) {
      SCOPED_TRACE(testing::Message() << c.rows << " rows, " << c.in << " in, " << c.out << " out, " << threads
                                      << " threads");
      const CpuThreads set(threads);
      const LayerResults fused = fused_products(c), plain = plain_products_then_passes(c), definition = defined(c);
      EXPECT_EQ(fused.y, plain.y);
      EXPECT_EQ(fused.grad_b, plain.grad_b);
      EXPECT_EQ(fused.dx, plain.dx);
      expect_near_all(fused.y, definition.y, "forward");
      expect_near_all(fused.grad_w, definition.grad_w, "weight gradient");
      expect_near_all(fused.grad_b, definition.grad_b, "bias gradient");
      expect_near_all(fused.dx, definition.dx, "input gradient");
    }
  }
}

// The tutorial's model at its batch and at 64 (other product sizes, other halves), two hidden
// layers, and a conditional model (inputs of 110 and 794 values: halves of products that do not
// fall on whole vectors).
TEST(SharedPass, TrainingStepsOnTwoThreadsEqualOneThreadsBitForBit) {
  ModelShape two_layers;
  two_layers.hidden_layers = 2;
  ModelShape conditional;
  conditional.classes = 10;
  for (auto [shape, batch] : {std::pair{ModelShape{}, 128}, std::pair{ModelShape{}, 64}, std::pair{two_layers, 128},
                              std::pair{conditional, 128}}) {
    SCOPED_TRACE(testing::Message() << shape.hidden_layers << " hidden layers, " << shape.classes << " classes, batch "
                                    << batch);
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
