// Parameter layout, initial weights and consistency checks of the GAN's training state.
#include "gan/model/model.h"

#include <cmath>

#include "common/error.h"
#include "gan/math/philox.h"

namespace ganvas {

std::vector<TensorSlot> tensor_slots(const MlpShape& s, const std::string& prefix) {
  std::vector<TensorSlot> slots;
  for (int k = 0; k < s.layer_count(); ++k) {
    const std::string layer = prefix + "." + std::to_string(2 * k);  // activations sit between
    const size_t rows = static_cast<size_t>(s.layer_out(k)), columns = static_cast<size_t>(s.layer_in(k));
    slots.push_back({layer + ".weight", {s.layer_out(k), s.layer_in(k)}, s.weight(k), rows * columns});
    slots.push_back({layer + ".bias", {s.layer_out(k)}, s.bias(k), rows});
  }
  return slots;
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
  // Each weight tensor draws from its own range of blocks so none overlap: the first layer's from
  // the network's base, the output layer's from bit 27 on (as in the tutorial's model), a middle
  // layer's from bit 26 on.
  const uint32_t base = net_index << 28;
  for (int k = 0; k < s.layer_count(); ++k) {
    GANVAS_CHECK(s.hidden_layers <= 2 && (s.bias(k) - s.weight(k)) / 2 < (size_t{1} << 26),
                 "a layer too large for its own range of initial random numbers");
    const uint32_t range = k == 0 ? 0u : k == s.hidden_layers ? 1u << 27 : 1u << 26;
    fill_normal(params.data() + s.weight(k), s.bias(k) - s.weight(k),
                static_cast<float>(std::sqrt(2.0 / s.layer_in(k))), seed, base | range);
  }
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

std::string layer_widths(const MlpShape& s) {
  std::string text = std::to_string(s.in);
  for (int k = 0; k < s.layer_count(); ++k) text += "-" + std::to_string(s.layer_out(k));
  return text;
}

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
