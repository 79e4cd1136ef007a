// Starting a live trainer the way the visualizer and the C API both do: the data set if there is
// one, a checkpoint or fresh weights (the bundled model when there is neither data nor a
// checkpoint), a backend, and notes for the user on what was chosen and why.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "gan/backends/backend_factory.h"
#include "gan/io/dataset.h"
#include "gan/train/live_trainer.h"

namespace ganvas {

struct TrainerSetup {
  std::string data_dir;  // empty: no data, the model is explored only
  bool data_required = false;  // data that cannot be read is an error, not a note
  DatasetKind dataset = DatasetKind::kMnist;
  std::string checkpoint;
  std::string preset = "tutorial";  // the model and objective of fresh weights
  Device device = Device::kAuto;
  uint64_t seed = 0;
  bool bundled_without_data = true;  // no data and no checkpoint: the bundled model (else fresh weights)
  std::function<void()> on_publish;  // see LiveTrainer
};

struct StartedTrainer {
  std::unique_ptr<LiveTrainer> trainer;
  std::string model_source;        // the checkpoint's path, the bundled model's name, or ""
  std::vector<std::string> notes;  // what a user should be told (no data, the backend chosen)
};

// Throws ganvas::Error when the checkpoint cannot be loaded or the device cannot be used; missing
// data is a note, unless `data_required`.
StartedTrainer start_trainer(const TrainerSetup& setup);

}  // namespace ganvas
