// The model variants against PyTorch: one training step of each (the conditional model, LeakyReLU,
// every objective, label smoothing, SGD, a second hidden layer) computed by the CPU backend, compared with autograd's
// numbers from tests/variants_golden.py (tests/data/variants_golden.safetensors).
#include <gtest/gtest.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "gan/backends/backend.h"
#include "gan/io/checkpoint.h"
#include "gan/model/sampler.h"
#include "tests/test_support.h"

namespace ganvas {
namespace {

const SafetensorsFile& variants_golden() {
  static const SafetensorsFile file = read_safetensors(test::data_path("variants_golden.safetensors"));
  return file;
}

std::vector<float> tensor(const std::string& name) { return variants_golden().at(name, "variants golden").to_floats(); }

// The variant's model with its initial weights, and how it trains.
GanState variant_state(const std::string& name) {
  const SafetensorsFile& file = variants_golden();
  const nlohmann::json v = nlohmann::json::parse(file.metadata.at(name));
  ModelShape shape;
  shape.hidden = shape.disc_hidden = std::stoi(file.metadata.at("hidden"));
  shape.classes = v["conditional"].get<bool>() ? 10 : 0;
  shape.activation = parse_activation(v["activation"].get<std::string>());
  shape.hidden_layers = v.value("hidden_layers", 1);
  GanState state = initial_state(shape, 0);
  state.recipe.loss = parse_loss(v["loss"].get<std::string>());
  state.recipe.real_target = v["real_target"].get<float>();
  state.recipe.optimizer = parse_optimizer(v["optimizer"].get<std::string>());
  state.recipe.beta1 = std::stof(file.metadata.at("beta1"));
  for (auto [net, prefix] : {std::pair{&state.generator, "generator"}, std::pair{&state.discriminator, "discriminator"}}) {
    for (const TensorSlot& slot : tensor_slots(net->shape, prefix)) {
      const std::vector<float> values = tensor(name + ".init." + slot.name);
      std::copy(values.begin(), values.end(), net->params.begin() + static_cast<std::ptrdiff_t>(slot.offset));
    }
  }
  return state;
}

class Variants : public ::testing::TestWithParam<const char*> {};

TEST_P(Variants, OneStepMatchesPyTorch) {
  const std::string name = GetParam();
  const GanState start = variant_state(name);
  const int batch = std::stoi(variants_golden().metadata.at("batch"));
  std::unique_ptr<Backend> backend = make_cpu_backend(start.shape, batch);
  backend->set_state(start);
  AdamConfig adam;
  adam.lr = std::stof(variants_golden().metadata.at("lr"));
  adam.beta1 = std::stof(variants_golden().metadata.at("beta1"));
  backend->set_adam(adam, adam);
  const Tensor& x = variants_golden().at(name + ".x_u8", "variants golden");
  const Tensor& labels = variants_golden().at(name + ".labels", "variants golden");
  const std::vector<float> z = tensor(name + ".z");
  backend->train_step_on(x.data.data(), start.shape.conditional() ? labels.data.data() : nullptr, z.data(), Update::kBoth);
  const StepTrace trace = backend->trace();
  const double gen_loss = variants_golden().at(name + ".gen_loss", "variants golden").to_doubles()[0];
  const double disc_loss = variants_golden().at(name + ".disc_loss", "variants golden").to_doubles()[0];
  EXPECT_NEAR(trace.metrics.gen_loss, gen_loss, 1e-5 * std::max(1.0, std::abs(gen_loss)));
  EXPECT_NEAR(trace.metrics.disc_loss, disc_loss, 1e-5 * std::max(1.0, std::abs(disc_loss)));
  const GanState after = backend->state();
  for (auto [grads, net, prefix] : {std::tuple{&trace.gen_grad, &after.generator, "generator"},
                                    std::tuple{&trace.disc_grad, &after.discriminator, "discriminator"}}) {
    for (const TensorSlot& slot : tensor_slots(net->shape, prefix)) {
      EXPECT_LT(test::relative_error(test::slice(*grads, slot.offset, slot.size), tensor(name + ".grad." + slot.name)), 1e-4)
          << name << ": gradient of " << slot.name;
      // Adam's first step divides by |g|: a gradient that is 0 in float64 and 1e-9 in float32 (hinge's
      // counted biases) moves its weight by a few percent of a step, hence 5e-5 rather than 1e-5.
      EXPECT_LT(test::relative_error(test::slice(net->params, slot.offset, slot.size), tensor(name + ".after1." + slot.name)),
                5e-5)
          << name << ": " << slot.name << " after one step";
    }
  }
}

INSTANTIATE_TEST_SUITE_P(PyTorch, Variants,
                         ::testing::Values("conditional", "conditional_leaky_smoothed", "minimax", "least_squares",
                                           "hinge", "sgd", "two_layers"));

}  // namespace
}  // namespace ganvas

namespace ganvas {
namespace {

TEST(GeneratorAverage, DecaysLessWhileFewUpdatesAreInThenAsTheRecipeSays) {
  EXPECT_FLOAT_EQ(average_decay(0.999f, 0), 0.1f);
  EXPECT_FLOAT_EQ(average_decay(0.999f, 90), 0.91f);
  EXPECT_FLOAT_EQ(average_decay(0.999f, 8990), 0.999f) << "(1 + t) / (10 + t) reaches 0.999 at t = 8,990";
  EXPECT_FLOAT_EQ(average_decay(0.999f, 100000), 0.999f);
  EXPECT_FLOAT_EQ(average_decay(0.5f, 100), 0.5f);
}

TEST(GeneratorAverage, AWeightsOnlyCheckpointTrainsOnWithItsAverageNearlyWhereItWas) {
  ModelShape shape;
  shape.hidden = shape.disc_hidden = 16;
  GanState state = initial_state(shape, 3);
  state.recipe.generator_ema = 0.999f;
  state.step = 40000;
  state.generator_ema.assign(state.generator.params.size(), 0.25f);  // far from the weights
  const std::string path = ::testing::TempDir() + "/average-weights-only.safetensors";
  save_checkpoint(path, state, /*with_optimizer=*/false);
  const GanState loaded = load_checkpoint(path);
  ASSERT_EQ(loaded.generator.powers.t, 0) << "a weights-only file keeps no optimizer counters";
  std::unique_ptr<Backend> backend = make_cpu_backend(shape, 8);
  backend->set_state(loaded);
  std::vector<uint8_t> x(static_cast<size_t>(8) * shape.image, 100);
  backend->train_step_on(x.data(), nullptr, model_latents(shape, 1, 8).data(), Update::kBoth);
  const GanState after = backend->state();
  for (size_t i = 0; i < after.generator_ema.size(); ++i) {
    ASSERT_NEAR(after.generator_ema[i], 0.25f + 0.001f * (after.generator.params[i] - 0.25f), 1e-6f)
        << "the average moves by a thousandth at step 40,001, not by the first steps' tenth";
  }
}

TEST(GeneratorAverage, FollowsEveryGeneratorUpdateAndIsWhatSamplesComeFrom) {
  ModelShape shape;
  shape.hidden = shape.disc_hidden = 16;
  GanState state = initial_state(shape, 2);
  state.recipe.generator_ema = 0.9f;
  const int batch = 8;
  std::unique_ptr<Backend> backend = make_cpu_backend(shape, batch);
  backend->set_state(state);
  std::vector<uint8_t> x(static_cast<size_t>(batch) * shape.image, 100);
  const std::vector<float> z = model_latents(shape, 1, batch);
  std::vector<float> expected = state.generator.params;  // the average starts at the weights
  for (Update update : {Update::kBoth, Update::kDiscriminator, Update::kGenerator}) {
    backend->train_step_on(x.data(), nullptr, z.data(), update);
    const GanState now = backend->state();
    if (update != Update::kDiscriminator) {
      // TensorFlow's rule: the decay is (1 + t) / (10 + t) after t steps while that is below 0.9.
      const float t = static_cast<float>(now.step);
      const float rate = 1.0f - std::min(0.9f, (1.0f + t) / (10.0f + t));
      for (size_t i = 0; i < expected.size(); ++i) expected[i] += rate * (now.generator.params[i] - expected[i]);
    }
    ASSERT_EQ(now.generator_ema.size(), expected.size());
    EXPECT_LT(test::relative_error(now.generator_ema, expected), 1e-6) << "after a step of kind " << int(update);
  }
  std::vector<float> sampled, discriminator;
  backend->copy_params(sampled, discriminator);
  EXPECT_EQ(sampled, backend->state().generator_ema) << "snapshots and samples use the average";
  // The average goes into checkpoints and comes back.
  const std::string path = ::testing::TempDir() + "/ema.safetensors";
  save_checkpoint(path, backend->state());
  const GanState loaded = load_checkpoint(path);
  EXPECT_EQ(loaded.generator_ema, backend->state().generator_ema);
  EXPECT_EQ(loaded.recipe.generator_ema, 0.9f);
  EXPECT_EQ(loaded.sampling_generator(), loaded.generator_ema);
}

}  // namespace
}  // namespace ganvas
