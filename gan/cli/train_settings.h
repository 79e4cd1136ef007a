// How `ganvas train` trained, kept in its checkpoints' metadata ("train.*" keys) so that --resume
// goes on the same way: the learning rates, the batch, the update schedule, the data set and whether
// images were held out. Options given with --resume override what the checkpoint recorded.
#pragma once

#include <functional>
#include <map>
#include <string>

#include "gan/dataset.h"
#include "gan/trainer.h"

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

}  // namespace ganvas::cli
