// The live trainer's start: data, weights, backend.
#include "gan/session/trainer_setup.h"

#include "common/error.h"
#include "gan/io/checkpoint.h"
#include "gan/model/presets.h"
#include "gan/io/bundled_checkpoint.h"

namespace ganvas {

StartedTrainer start_trainer(const TrainerSetup& setup) {
  ImageSet images;
  std::string data_problem;
  try {
    if (!setup.data_dir.empty()) images = load_training_set(setup.dataset, setup.data_dir, false);
  } catch (const Error& e) {
    if (setup.data_required) throw;
    data_problem = e.what();
  }
  StartedTrainer started;
  const bool bundled = setup.checkpoint.empty() && images.count == 0 && setup.bundled_without_data;
  const Preset& preset = find_preset(setup.preset);
  const bool fresh = !bundled && setup.checkpoint.empty();
  GanState state = bundled ? bundled_checkpoint()
                   : fresh ? initial_state(preset.shape, setup.seed)
                           : load_checkpoint(setup.checkpoint);
  if (fresh) state.recipe = preset.recipe;
  started.model_source = bundled ? kBundledCheckpointName : setup.checkpoint;
  BackendChoice choice = make_backend(setup.device, state.shape, 128);
  started.trainer = std::make_unique<LiveTrainer>(std::move(choice.backend), state, images, setup.on_publish);
  if (fresh) started.trainer->set_learning_rates(preset.lr, preset.lr);
  if (!data_problem.empty()) {
    started.notes.push_back("no training data (" + data_problem + "); exploring " + started.model_source +
                            ". Fetch MNIST with 'bash scripts/run.sh' (or pass --data-dir) to train. " +
                            describe_mnist_search());
  } else if (!choice.note.empty()) {
    started.notes.push_back(choice.note);
  }
  return started;
}

}  // namespace ganvas
