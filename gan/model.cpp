// Parameter layout, initial weights and consistency checks of the GAN's training state.
#include "gan/model.h"

#include <cmath>

#include "common/error.h"
#include "gan/philox.h"

namespace ganvas {

std::vector<TensorSlot> tensor_slots(const MlpShape& s, const std::string& prefix) {
  return {
      {prefix + ".0.weight", {s.hidden, s.in}, s.w1(), static_cast<size_t>(s.hidden) * s.in},
      {prefix + ".0.bias", {s.hidden}, s.b1(), static_cast<size_t>(s.hidden)},
      {prefix + ".2.weight", {s.out, s.hidden}, s.w2(), static_cast<size_t>(s.out) * s.hidden},
      {prefix + ".2.bias", {s.out}, s.b2(), static_cast<size_t>(s.out)},
  };
}

namespace {

// Fills `out` with Normal(0, stddev) numbers by Box-Muller over Philox words of one stream.
void fill_normal(float* out, size_t count, float stddev, uint64_t seed, uint32_t stream_block_base) {
  for (size_t i = 0; i < count; i += 2) {
    const uint32_t block = stream_block_base + static_cast<uint32_t>(i / 2);
    const Philox4x32 r = random_block(seed, 0, RngStream::kInit, block);
    const double u1 = (static_cast<double>(r.v[0]) + 1.0) / 4294967296.0;  // (0, 1]
    const double u2 = static_cast<double>(r.v[1]) / 4294967296.0;
    const double radius = std::sqrt(-2.0 * std::log(u1));
    const double angle = 2.0 * M_PI * u2;
    out[i] = static_cast<float>(stddev * radius * std::cos(angle));
    if (i + 1 < count) out[i + 1] = static_cast<float>(stddev * radius * std::sin(angle));
  }
}

}  // namespace

std::vector<float> initial_params(const MlpShape& s, uint64_t seed, uint32_t net_index) {
  std::vector<float> params(s.size(), 0.0f);
  // Each weight tensor draws from its own range of blocks so the two never overlap.
  const uint32_t base = net_index << 28;
  fill_normal(params.data() + s.w1(), s.b1() - s.w1(), static_cast<float>(std::sqrt(2.0 / s.in)),
              seed, base);
  fill_normal(params.data() + s.w2(), s.b2() - s.w2(), static_cast<float>(std::sqrt(2.0 / s.hidden)),
              seed, base | (1u << 27));
  return params;
}

namespace {

NetState initial_net(const MlpShape& shape, uint64_t seed, uint32_t net_index) {
  NetState net;
  net.shape = shape;
  net.params = initial_params(shape, seed, net_index);
  net.m.assign(shape.size(), 0.0f);
  net.v.assign(shape.size(), 0.0f);
  return net;
}

void check_net(const NetState& net, const char* name) {
  const size_t n = net.shape.size();
  GANVAS_CHECK(net.params.size() == n && net.m.size() == n && net.v.size() == n,
               std::string("the ") + name + "'s parameter buffers do not match its shape");
}

}  // namespace

const char* loss_name(Loss loss) {
  switch (loss) {
    case Loss::kMinimax: return "minimax";
    case Loss::kLeastSquares: return "least-squares";
    case Loss::kHinge: return "hinge";
    case Loss::kNonSaturating: break;
  }
  return "nonsaturating";
}

Loss parse_loss(const std::string& name) {
  for (Loss loss : {Loss::kNonSaturating, Loss::kMinimax, Loss::kLeastSquares, Loss::kHinge}) {
    if (name == loss_name(loss)) return loss;
  }
  GANVAS_THROW("unknown loss '" + name + "' (expected nonsaturating, minimax, least-squares or hinge)");
}

const char* activation_name(Activation a) { return a == Activation::kLeakyRelu ? "leaky-relu" : "relu"; }

Activation parse_activation(const std::string& name) {
  if (name == "relu") return Activation::kRelu;
  if (name == "leaky-relu") return Activation::kLeakyRelu;
  GANVAS_THROW("unknown activation '" + name + "' (expected relu or leaky-relu)");
}

const char* optimizer_name(Optimizer o) { return o == Optimizer::kSgd ? "sgd" : "adam"; }

Optimizer parse_optimizer(const std::string& name) {
  if (name == "adam") return Optimizer::kAdam;
  if (name == "sgd") return Optimizer::kSgd;
  GANVAS_THROW("unknown optimizer '" + name + "' (expected adam or sgd)");
}

GanState initial_state(const ModelShape& shape, uint64_t seed) {
  GanState state;
  state.shape = shape;
  state.seed = seed;
  state.generator = initial_net(shape.generator(), seed, 0);
  state.discriminator = initial_net(shape.discriminator(), seed, 1);
  return state;
}

void check_consistent(const GanState& state) {
  GANVAS_CHECK(state.generator.shape == state.shape.generator(),
               "the generator's shape does not match the model");
  GANVAS_CHECK(state.discriminator.shape == state.shape.discriminator(),
               "the discriminator's shape does not match the model");
  check_net(state.generator, "generator");
  check_net(state.discriminator, "discriminator");
  GANVAS_CHECK(state.generator_ema.empty() || state.generator_ema.size() == state.generator.params.size(),
               "the generator's average does not match its shape");
}

}  // namespace ganvas
