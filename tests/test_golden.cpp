// Each backend against PyTorch's reference numbers for the tutorial GAN (tests/data/gan_golden).
#include <gtest/gtest.h>

#include "gan/backends/backend.h"
#include "gan/backends/backend_factory.h"
#include "gan/backends/device_info.h"
#include "tests/test_support.h"

namespace ganvas {
namespace {

using test::golden;
using test::relative_error;
using test::slice;

constexpr int kBatch = 128;

class GoldenTest : public ::testing::TestWithParam<Device> {
 protected:
  void SetUp() override {
    if (GetParam() == Device::kCuda && !cuda_availability().usable) {
      GTEST_SKIP() << "CUDA backend " << cuda_availability().detail;
    }
    state_ = test::golden_initial_state();
    backend_ = make_backend(GetParam(), state_.shape, kBatch).backend;
    backend_->set_state(state_);
  }

  // Batch and noise of golden step `s`.
  void step_on_golden(int s, Update update) {
    const Tensor& x = golden().at("x_u8", "golden");
    const std::vector<float> z = golden().at("z", "golden").to_floats();
    const size_t x_stride = size_t{kBatch} * 784, z_stride = size_t{kBatch} * 100;
    backend_->train_step_on(x.data.data() + s * x_stride, nullptr, z.data() + s * z_stride, update);
  }

  std::vector<float> golden_floats(const std::string& name) { return golden().at(name, "golden").to_floats(); }

  GanState state_;
  std::unique_ptr<Backend> backend_;
};

constexpr double kStepTolerance = 1e-5;

TEST_P(GoldenTest, ActivationsAndLossesOfStepZero) {
  step_on_golden(0, Update::kNone);
  const StepTrace t = backend_->trace();
  EXPECT_LT(relative_error(t.g_hidden, golden_floats("step0.g_hidden")), kStepTolerance);
  EXPECT_LT(relative_error(t.g_out, golden_floats("step0.g_out")), kStepTolerance);
  const size_t half = size_t{kBatch} * 256;
  EXPECT_LT(relative_error(slice(t.d_hidden, 0, half), golden_floats("step0.d_real_hidden")), kStepTolerance);
  EXPECT_LT(relative_error(slice(t.d_hidden, half, half), golden_floats("step0.d_fake_hidden")), kStepTolerance);
  EXPECT_LT(relative_error(slice(t.d_logit, 0, kBatch), golden_floats("step0.d_real_logit")), kStepTolerance);
  EXPECT_LT(relative_error(slice(t.d_logit, kBatch, kBatch), golden_floats("step0.d_fake_logit")), kStepTolerance);
  EXPECT_NEAR(t.metrics.gen_loss, golden_floats("step0.gen_loss")[0], 1e-5 * golden_floats("step0.gen_loss")[0]);
  EXPECT_NEAR(t.metrics.disc_loss, golden_floats("step0.disc_loss")[0], 1e-5 * golden_floats("step0.disc_loss")[0]);
  double d_real = 0, d_fake = 0;
  for (float v : golden_floats("step0.d_real")) d_real += v / kBatch;
  for (float v : golden_floats("step0.d_fake")) d_fake += v / kBatch;
  EXPECT_NEAR(t.metrics.d_real, d_real, 1e-6);
  EXPECT_NEAR(t.metrics.d_fake, d_fake, 1e-6);
}

TEST_P(GoldenTest, AllEightGradientsOfStepZero) {
  step_on_golden(0, Update::kNone);
  const StepTrace t = backend_->trace();
  for (const auto& [net, grads] : {std::pair{state_.shape.generator(), &t.gen_grad},
                                   std::pair{state_.shape.discriminator(), &t.disc_grad}}) {
    const std::string prefix = net == state_.shape.generator() ? "generator" : "discriminator";
    for (const TensorSlot& slot : tensor_slots(net, prefix)) {
      EXPECT_LT(relative_error(slice(*grads, slot.offset, slot.size), golden_floats("step0.grad." + slot.name)),
                kStepTolerance)
          << slot.name;
    }
  }
}

TEST_P(GoldenTest, ParametersAfterOneSimultaneousAdamStep) {
  step_on_golden(0, Update::kBoth);
  const GanState after = backend_->state();
  EXPECT_EQ(after.step, 1u);
  for (const NetState* net : {&after.generator, &after.discriminator}) {
    const std::string prefix = net == &after.generator ? "generator" : "discriminator";
    for (const TensorSlot& slot : tensor_slots(net->shape, prefix)) {
      EXPECT_LT(relative_error(slice(net->params, slot.offset, slot.size), golden_floats("after1." + slot.name)),
                kStepTolerance)
          << slot.name;
    }
  }
}

TEST_P(GoldenTest, TenStepLossTrajectory) {
  const std::vector<double> gen = golden().at("trajectory.gen_loss", "golden").to_doubles();
  const std::vector<double> disc = golden().at("trajectory.disc_loss", "golden").to_doubles();
  ASSERT_EQ(gen.size(), 10u);
  for (int s = 0; s < 10; ++s) {
    step_on_golden(s, Update::kBoth);
    const StepMetrics m = backend_->latest_metrics();
    EXPECT_LT(std::abs(m.gen_loss - gen[s]) / gen[s], 1e-4) << "step " << s;
    EXPECT_LT(std::abs(m.disc_loss - disc[s]) / disc[s], 1e-4) << "step " << s;
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, GoldenTest, ::testing::Values(Device::kCpu, Device::kCuda),
                         [](const auto& info) { return info.param == Device::kCpu ? "cpu" : "cuda"; });

}  // namespace
}  // namespace ganvas
