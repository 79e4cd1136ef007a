// Checkpoints: the GAN's training state as a safetensors file with PyTorch's names and layout.
//
// Model tensors are named as a PyTorch nn.Sequential would name them (generator.0.weight [256,100],
// ...), so torch can load them as they are. Adam's moments are further tensors
// (optimizer.<name>.exp_avg, .exp_avg_sq) and the counters are metadata.
#pragma once

#include <string>
#include <vector>

#include "gan/model.h"
#include "gan/safetensors.h"

namespace ganvas {

// With `with_optimizer` false, only the model's tensors and the counters are kept (a file a third
// the size; training resumed from it starts Adam afresh). With `half`, the model's tensors are
// stored as F16 (half that again; loading converts them to float).
// `extra` adds metadata of the caller's own (keys other than the checkpoint's, e.g. "train.batch").
using Metadata = std::map<std::string, std::string>;
SafetensorsFile checkpoint_contents(const GanState& state, bool with_optimizer = true, bool half = false,
                                    const Metadata& extra = {});
// Writes atomically: an existing checkpoint is never left half-written. Refuses (throws) when a
// parameter or moment is not finite, so a diverged run never replaces a good checkpoint.
void save_checkpoint(const std::string& path, const GanState& state, bool with_optimizer = true, bool half = false,
                     const Metadata& extra = {});

// Validates names, dtypes and shapes (every width at least 1 and bounded, every tensor checked before
// memory is sized by it) and that every value is finite; refuses files of another model with a
// clear message. A file
// with model tensors only (e.g. saved from PyTorch) loads with fresh optimizer state.
GanState state_from_checkpoint(const SafetensorsFile& file, const std::string& source);
GanState load_checkpoint(const std::string& path);

// How many values are NaN or Inf.
size_t count_non_finite(const std::vector<float>& values);
// Throws "`where`: N parameters are not finite (NaN or Inf)" when weights or moments hold any.
void check_parameters_finite(const GanState& state, const std::string& where);

}  // namespace ganvas
