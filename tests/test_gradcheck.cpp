// Finite-difference checks of every layer's gradient, for both networks' losses, on random inputs:
// for the tutorial's model and for each variant (a conditional model, LeakyReLU, every objective,
// label smoothing, a second hidden layer).
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "gan/backends/backend.h"
#include "gan/model/sampler.h"
#include "tests/test_support.h"

namespace ganvas {
namespace {

constexpr int kBatch = 16;

struct Variant {
  const char* name;
  ModelShape shape;
  TrainingRecipe recipe;
  // The differences' absolute slack: hinge's G gradients are ten times smaller here, so the ReLU
  // kinks a step crosses weigh more against them.
  double absolute_tolerance = 2e-5;
};

ModelShape conditional_leaky() {
  ModelShape shape;
  shape.classes = 10;
  shape.activation = Activation::kLeakyRelu;
  return shape;
}

ModelShape two_hidden_layers(Activation activation) {
  ModelShape shape;
  shape.classes = 10;
  shape.activation = activation;
  shape.hidden_layers = 2;
  shape.hidden = shape.disc_hidden = 64;
  return shape;
}

TrainingRecipe objective(Loss loss, float real_target = 1.0f) {
  TrainingRecipe recipe;
  recipe.loss = loss;
  recipe.real_target = real_target;
  return recipe;
}

class GradientCheck : public ::testing::TestWithParam<Variant> {
 protected:
  void SetUp() override {
    std::mt19937 rng(42);
    std::uniform_int_distribution<int> pixel(0, 255);
    std::uniform_real_distribution<float> noise(-1.0f, 1.0f);
    const ModelShape shape = GetParam().shape;
    x_.resize(size_t{kBatch} * 784);
    for (auto& p : x_) p = static_cast<uint8_t>(pixel(rng));
    z_ = model_latents(shape, 5, kBatch);  // noise and, conditional, one digit per row
    for (int r = 0; r < kBatch; ++r) labels_.push_back(static_cast<uint8_t>((r * 3) % 10));
    state_ = initial_state(shape, 11);
    state_.recipe = GetParam().recipe;
    // Non-zero hidden biases so their gradients are exercised away from the initial point.
    for (auto* net : {&state_.generator, &state_.discriminator}) {
      for (int k = 0; k < net->shape.hidden_layers; ++k) {
        const size_t bias = net->shape.bias(k);
        for (size_t i = bias; i < bias + static_cast<size_t>(net->shape.layer_out(k)); ++i) net->params[i] = noise(rng) * 0.1f;
      }
    }
    backend_ = make_cpu_backend(state_.shape, kBatch);
  }

  // Evaluates both losses at `state` without updating anything.
  StepTrace evaluate(const GanState& state) {
    backend_->set_state(state);
    backend_->train_step_on(x_.data(), state.shape.conditional() ? labels_.data() : nullptr, z_.data(), Update::kNone);
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
    EXPECT_NEAR(analytic, numeric, 3e-2 * std::abs(numeric) + GetParam().absolute_tolerance)
        << slot.name << ": analytic " << analytic << ", numeric " << numeric;
  }

  std::vector<uint8_t> x_;
  std::vector<uint8_t> labels_;
  std::vector<float> z_;
  GanState state_;
  std::unique_ptr<Backend> backend_;
};

TEST_P(GradientCheck, GeneratorLayersAgainstGeneratorLoss) {
  for (const TensorSlot& slot : tensor_slots(state_.shape.generator(), "generator")) check_tensor(true, slot);
}

TEST_P(GradientCheck, DiscriminatorLayersAgainstDiscriminatorLoss) {
  for (const TensorSlot& slot : tensor_slots(state_.shape.discriminator(), "discriminator")) {
    check_tensor(false, slot);
  }
}

TEST_P(GradientCheck, EvaluationChangesNothing) {
  const StepTrace first = evaluate(state_);
  const GanState after = backend_->state();
  EXPECT_EQ(after.step, 0u);
  EXPECT_EQ(after.generator.params, state_.generator.params);
  EXPECT_EQ(after.discriminator.params, state_.discriminator.params);
  EXPECT_EQ(evaluate(state_).metrics.gen_loss, first.metrics.gen_loss);
}

INSTANTIATE_TEST_SUITE_P(
    Models, GradientCheck,
    ::testing::Values(Variant{"tutorial", ModelShape{}, TrainingRecipe{}},
                      Variant{"conditional_leaky", conditional_leaky(), TrainingRecipe{}},
                      Variant{"minimax", ModelShape{}, objective(Loss::kMinimax)},
                      Variant{"least_squares", ModelShape{}, objective(Loss::kLeastSquares)},
                      Variant{"hinge", ModelShape{}, objective(Loss::kHinge), 1e-4},
                      Variant{"label_smoothing", conditional_leaky(), objective(Loss::kNonSaturating, 0.9f)},
                      Variant{"two_layers", two_hidden_layers(Activation::kRelu), TrainingRecipe{}},
                      Variant{"two_layers_leaky_hinge", two_hidden_layers(Activation::kLeakyRelu),
                              objective(Loss::kHinge), 1e-4}),
    [](const ::testing::TestParamInfo<Variant>& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace ganvas
