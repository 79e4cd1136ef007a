// Finite-difference checks of every layer's gradient, for both losses, on random inputs.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "gan/backend.h"
#include "tests/test_support.h"

namespace ganvas {
namespace {

constexpr int kBatch = 16;

class GradientCheck : public ::testing::Test {
 protected:
  void SetUp() override {
    std::mt19937 rng(42);
    std::uniform_int_distribution<int> pixel(0, 255);
    std::uniform_real_distribution<float> noise(-1.0f, 1.0f);
    x_.resize(size_t{kBatch} * 784);
    z_.resize(size_t{kBatch} * 100);
    for (auto& p : x_) p = static_cast<uint8_t>(pixel(rng));
    for (auto& v : z_) v = noise(rng);
    state_ = initial_state(ModelShape{}, 11);
    // Non-zero biases so their gradients are exercised away from the initial point.
    for (auto* net : {&state_.generator, &state_.discriminator}) {
      for (size_t i = net->shape.b1(); i < net->shape.w2(); ++i) net->params[i] = noise(rng) * 0.1f;
    }
    backend_ = make_cpu_backend(state_.shape, kBatch);
  }

  // Evaluates both losses at `state` without updating anything.
  StepTrace evaluate(const GanState& state) {
    backend_->set_state(state);
    backend_->train_step_on(x_.data(), nullptr, z_.data(), Update::kNone);
    return backend_->trace();
  }

  // Compares the analytic directional derivative of a loss along a random direction within one
  // tensor with a central difference of the loss along that direction.
  void check_tensor(bool generator, const TensorSlot& slot) {
    const StepTrace base = evaluate(state_);
    const std::vector<float>& grad = generator ? base.gen_grad : base.disc_grad;
    std::mt19937 rng(static_cast<unsigned>(slot.offset + slot.size));
    std::normal_distribution<float> normal(0.0f, 1.0f);
    std::vector<float> direction(slot.size);
    double norm = 0;
    for (auto& d : direction) {
      d = normal(rng);
      norm += double(d) * d;
    }
    double analytic = 0;
    for (size_t i = 0; i < slot.size; ++i) {
      direction[i] = static_cast<float>(direction[i] / std::sqrt(norm));
      analytic += double(direction[i]) * grad[slot.offset + i];
    }
    // Small enough that few ReLUs switch, large enough for float32 losses.
    const double h = 3e-3;
    const auto loss_at = [&](double t) {
      GanState moved = state_;
      NetState& net = generator ? moved.generator : moved.discriminator;
      for (size_t i = 0; i < slot.size; ++i) net.params[slot.offset + i] += static_cast<float>(t * direction[i]);
      const StepMetrics m = evaluate(moved).metrics;
      return generator ? double(m.gen_loss) : double(m.disc_loss);
    };
    const double numeric = (loss_at(h) - loss_at(-h)) / (2 * h);
    EXPECT_NEAR(analytic, numeric, 3e-2 * std::abs(numeric) + 2e-5)
        << slot.name << ": analytic " << analytic << ", numeric " << numeric;
  }

  std::vector<uint8_t> x_;
  std::vector<float> z_;
  GanState state_;
  std::unique_ptr<Backend> backend_;
};

TEST_F(GradientCheck, GeneratorLayersAgainstGeneratorLoss) {
  for (const TensorSlot& slot : tensor_slots(state_.shape.generator(), "generator")) check_tensor(true, slot);
}

TEST_F(GradientCheck, DiscriminatorLayersAgainstDiscriminatorLoss) {
  for (const TensorSlot& slot : tensor_slots(state_.shape.discriminator(), "discriminator")) {
    check_tensor(false, slot);
  }
}

TEST_F(GradientCheck, EvaluationChangesNothing) {
  const StepTrace first = evaluate(state_);
  const GanState after = backend_->state();
  EXPECT_EQ(after.step, 0u);
  EXPECT_EQ(after.generator.params, state_.generator.params);
  EXPECT_EQ(after.discriminator.params, state_.discriminator.params);
  EXPECT_EQ(evaluate(state_).metrics.gen_loss, first.metrics.gen_loss);
}

}  // namespace
}  // namespace ganvas
