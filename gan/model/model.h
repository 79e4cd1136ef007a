// The two MLPs of the GAN: their shapes, the layout of their parameters, initial weights and the
// training state (parameters, Adam moments, counters) that checkpoints save and backends load.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "gan/math/gan_math.h"

namespace ganvas {

// A perceptron in -> hidden (-> hidden) -> out: one or two hidden layers of the same width (ReLU
// or LeakyReLU), stored as PyTorch's nn.Sequential stores its nn.Linear layers 0, 2 (and 4):
// weights [out, in], y = x W^T + b. All tensors sit in one buffer, in that order.
struct MlpShape {
  int in = 0;
  int hidden = 0;
  int out = 0;
  Activation activation = Activation::kRelu;
  int hidden_layers = 1;  // 1 (the tutorial's) or 2

  // The linear layers, 0 to hidden_layers (the output layer).
  int layer_count() const { return hidden_layers + 1; }
  int layer_in(int k) const { return k == 0 ? in : hidden; }
  int layer_out(int k) const { return k == hidden_layers ? out : hidden; }
  size_t weight(int k) const {
    size_t offset = 0;
    for (int i = 0; i < k; ++i) offset += static_cast<size_t>(layer_out(i)) * (layer_in(i) + 1);
    return offset;
  }
  size_t bias(int k) const { return weight(k) + static_cast<size_t>(layer_out(k)) * layer_in(k); }
  size_t w_out() const { return weight(hidden_layers); }
  size_t b_out() const { return bias(hidden_layers); }
  size_t size() const { return b_out() + out; }
  // The hidden activations of `rows` inputs, layer after layer: [hidden_layers, rows, hidden].
  size_t hidden_values(int rows) const { return static_cast<size_t>(hidden_layers) * rows * hidden; }
  bool operator==(const MlpShape& o) const {
    return in == o.in && hidden == o.hidden && out == o.out && activation == o.activation &&
           hidden_layers == o.hidden_layers;
  }
};

// One tensor of an MLP, as PyTorch names and shapes it.
struct TensorSlot {
  std::string name;            // e.g. "generator.0.weight"
  std::vector<int64_t> shape;  // e.g. {256, 100}
  size_t offset = 0;           // into the MLP's parameter buffer
  size_t size = 0;
};

// The tensors of `shape` named under `prefix` ("generator" or "discriminator"), layer by layer.
std::vector<TensorSlot> tensor_slots(const MlpShape& shape, const std::string& prefix);

// The side of the square images the model makes and judges (MNIST's 28 x 28).
inline constexpr int kImageSide = 28;

// The tutorial's model (the default), or a conditional one (Mirza and Osindero): the digit's
// one-hot vector joined to G's noise and to D's image, `classes` = 10.
struct ModelShape {
  int noise = 100;
  int hidden = 256;
  int image = kImageSide * kImageSide;
  int disc_hidden = 256;
  int classes = 0;  // 0: unconditional
  Activation activation = Activation::kRelu;  // of every hidden layer
  int hidden_layers = 1;                       // of each network: 1 (the tutorial's) or 2

  bool conditional() const { return classes > 0; }
  // G's input: noise, then the condition's one-hot vector. Latents in ganvas are whole G inputs.
  int latent() const { return noise + classes; }
  MlpShape generator() const { return {latent(), hidden, image, activation, hidden_layers}; }
  // The side of the square images: image = side * side.
  int image_side() const {
    int side = 1;
    while ((side + 1) * (side + 1) <= image) ++side;
    return side;
  }
  // D's input: the image, then the condition's one-hot vector.
  MlpShape discriminator() const { return {image + classes, disc_hidden, 1, activation, hidden_layers}; }
  bool operator==(const ModelShape& o) const {
    return noise == o.noise && hidden == o.hidden && image == o.image && disc_hidden == o.disc_hidden &&
           classes == o.classes && activation == o.activation && hidden_layers == o.hidden_layers;
  }
};

enum class Optimizer { kAdam, kSgd };

// How the GAN is trained, beyond the learning rates: saved with the model, so training resumes the
// same way.
struct TrainingRecipe {
  Loss loss = Loss::kNonSaturating;
  Optimizer optimizer = Optimizer::kAdam;
  float beta1 = 0.9f;        // Adam's beta1 for both networks (the tutorial's 0.9), or SGD's momentum
  float real_target = 1.0f;  // D's target for real images; below 1: one-sided label smoothing
  // Above 0: samples come from an exponential moving average of G's weights with this decay
  // (ema += (1 - d) (weights - ema) after each G update, d = average_decay(decay, steps so far):
  // less than `decay` early on); training goes on with the weights.
  float generator_ema = 0.0f;
  bool operator==(const TrainingRecipe& o) const {
    return loss == o.loss && optimizer == o.optimizer && beta1 == o.beta1 && real_target == o.real_target &&
           generator_ema == o.generator_ema;
  }
};

// Parameters of one network with its Adam moments and counters.
struct NetState {
  MlpShape shape;
  std::vector<float> params;
  std::vector<float> m;
  std::vector<float> v;
  AdamPowers powers;
};

struct GanState {
  ModelShape shape;
  TrainingRecipe recipe;
  NetState generator;
  NetState discriminator;
  uint64_t seed = 0;
  uint64_t step = 0;  // training steps taken: the Philox counter of the next one
  std::vector<float> generator_ema;  // with recipe.generator_ema: the averaged G weights (else empty)

  // The generator weights samples are drawn from: the average when there is one.
  const std::vector<float>& sampling_generator() const {
    return generator_ema.empty() ? generator.params : generator_ema;
  }
};

// The widths of a network's layers, e.g. "100-256-784" or "110-512-512-784".
std::string layer_widths(const MlpShape& shape);

// Names as the command line, the panels and checkpoints' metadata spell them; parse_* throw a
// clear error on an unknown name.
const char* loss_name(Loss loss);             // nonsaturating, minimax, least-squares, hinge
Loss parse_loss(const std::string& name);
const char* activation_name(Activation a);    // relu, leaky-relu
Activation parse_activation(const std::string& name);
const char* optimizer_name(Optimizer o);      // adam, sgd
Optimizer parse_optimizer(const std::string& name);

// Weights ~ Normal(0, 1/sqrt(in/2)) (the tutorial's xavier_init, not truncated), biases 0.
std::vector<float> initial_params(const MlpShape& shape, uint64_t seed, uint32_t net_index);

// A fresh model: initial weights from `seed`, zero moments, step 0.
GanState initial_state(const ModelShape& shape, uint64_t seed);

// Throws unless every buffer of `state` has the size its shape asks for.
void check_consistent(const GanState& state);

}  // namespace ganvas
