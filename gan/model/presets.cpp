// The presets.
#include "gan/model/presets.h"

#include "common/error.h"

namespace ganvas {
namespace {

Preset tutorial() {
  Preset p;
  p.name = "tutorial";
  p.description = "the TensorFlow tutorial's GAN: 100-256-784 and 784-256-1, ReLU, non-saturating loss, Adam 2e-4";
  return p;
}

Preset clean_digits() {
  Preset p;
  p.name = "clean-digits";
  p.description = "a conditional GAN that draws the digit asked for: two hidden layers of 512 LeakyReLU units in each "
                  "network, Adam beta1 0.5, real labels smoothed to 0.9, samples from a moving average of G (decay 0.999)";
  p.shape.classes = 10;
  p.shape.hidden = 512;
  p.shape.disc_hidden = 512;
  p.shape.hidden_layers = 2;
  p.shape.activation = Activation::kLeakyRelu;
  p.recipe.real_target = 0.9f;
  p.recipe.beta1 = 0.5f;
  p.recipe.generator_ema = 0.999f;
  return p;
}

}  // namespace

const std::vector<Preset>& presets() {
  static const std::vector<Preset> all = {tutorial(), clean_digits()};
  return all;
}

const Preset& find_preset(const std::string& name) {
  std::string known;
  for (const Preset& p : presets()) {
    if (p.name == name) return p;
    known += (known.empty() ? "" : ", ") + p.name;
  }
  GANVAS_THROW("unknown preset '" + name + "' (expected " + known + ")");
}

}  // namespace ganvas
