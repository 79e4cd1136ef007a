// Named ways to build and train the GAN: the tutorial's (the default), and a conditional model
// that draws clean digits of the user's choice, chosen by measurement (docs/quality.md).
#pragma once

#include <string>
#include <vector>

#include "gan/model/model.h"

namespace ganvas {

struct Preset {
  std::string name;
  std::string description;  // one line for --help and the panels
  ModelShape shape;
  TrainingRecipe recipe;
  float lr = 2e-4f;  // both networks'
};

const std::vector<Preset>& presets();
// The preset of that name; throws naming the known ones.
const Preset& find_preset(const std::string& name);

}  // namespace ganvas
