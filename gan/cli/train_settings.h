// How `ganvas train` trained, kept in its checkpoints' metadata ("train.*" keys) so that --resume
// goes on the same way: the learning rates, the batch, the update schedule, the data set and whether
// images were held out. Options given with --resume override what the checkpoint recorded. And the
// warnings of rates that wreck training, before it and while it saturates.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "gan/io/dataset.h"
#include "gan/model/model.h"
#include "gan/train/trainer.h"

namespace ganvas::cli {

struct TrainSettings {
  float lr_g = 2e-4f, lr_d = 2e-4f;
  int batch = 128;
  Schedule schedule;
  DatasetKind kind = DatasetKind::kMnist;
  bool all_train = false;
};

// The settings as checkpoint metadata.
std::map<std::string, std::string> settings_metadata(const TrainSettings& settings);

// `settings` with each one the metadata recorded in place of its value, except where the command
// line gave that option (`given` says which option names it has). Files that recorded none (from
// before, from PyTorch, from the window) leave `settings` as they are; a value that does not parse
// is refused. Returns whether anything was taken from the metadata.
bool take_recorded_settings(const std::map<std::string, std::string>& metadata, const std::string& source,
                            const std::function<bool(const char*)>& given, TrainSettings& settings);

// "lr G 0.0002, lr D 0.0002, batch 128, simultaneous updates, mnist (5,000 held out)".
std::string describe_settings(const TrainSettings& settings);

// Warnings of learning rates that wreck training. This GAN's discriminator saturates within a few
// steps (D(G(z)) 0.000, G loss in the hundreds of thousands) past a rate that depends on the
// optimizer: Adam, whose default is 2e-4, above 0.01; SGD with momentum, which trains at 0.01,
// above 0.1.
float largest_sensible_rate(Optimizer optimizer);
// "learning rate 1 (G and D) is far above what adam trains this GAN with (at most 0.01; default
// 0.0002)", or empty when both rates are sensible.
std::string learning_rate_warning(Optimizer optimizer, float lr_g, float lr_d);

// Watches the progress lines for a discriminator that stays saturated (D(G(z)) or D(x) below 0.001,
// or D(G(z)) above 0.999, on two lines in a row), which stops the generator learning, and says so
// once per cause per run.
class SaturationWatch {
 public:
  // `high_rate_warning`: learning_rate_warning's text, named as the likely cause when not empty.
  explicit SaturationWatch(std::string high_rate_warning) : high_rate_(std::move(high_rate_warning)) {}
  // The warnings the metrics of this progress line give, each cause's once.
  std::vector<std::string> observe(const StepMetrics& metrics);

 private:
  static constexpr int kCauses = 3;
  std::string high_rate_;
  bool saturated_before_[kCauses] = {};
  bool warned_[kCauses] = {};
  uint64_t previous_step_ = 0;
};

}  // namespace ganvas::cli
