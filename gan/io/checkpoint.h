// Checkpoints: the GAN's training state as a safetensors file with PyTorch's names and layout.
//
// Model tensors are named as a PyTorch nn.Sequential would name them (generator.0.weight [256,100],
// ...), so torch can load them as they are. Adam's moments are further tensors
// (optimizer.<name>.exp_avg, .exp_avg_sq) and the counters are metadata.
#pragma once

#include <string>
#include <vector>

#include "gan/model/model.h"
#include "gan/io/safetensors.h"

namespace ganvas {

// With `with_optimizer` false, only the model's tensors and the counters are kept (a file a third
// the size; training resumed from it starts Adam afresh). With `half`, the model's tensors are
// stored as F16 (half that again; loading converts them to float).
// `extra` adds metadata of the caller's own (keys other than the checkpoint's, e.g. "train.batch").
using Metadata = std::map<std::string, std::string>;
SafetensorsFile checkpoint_contents(const GanState& state, bool with_optimizer = true, bool half = false,
                                    const Metadata& extra = {});
// Writes atomically: an existing checkpoint is never left half-written. Refuses (throws) what it
// would refuse to load (a parameter or moment that is not finite, Adam state no step can follow, a
// step counter past 2^62), so a diverged run never replaces a good checkpoint; with `half`, also a
// weight past F16's range, which F16 would store as infinity.
void save_checkpoint(const std::string& path, const GanState& state, bool with_optimizer = true, bool half = false,
                     const Metadata& extra = {});

// Validates names, dtypes and shapes (every width at least 1 and bounded, every tensor checked before
// memory is sized by it), that every value is finite, that Adam's state can take a step (powers of
// the betas in [0, 1], second moments not negative, first moments within 1e20) and that the step
// counters are at most 2^62; refuses files of another model with a clear message. A file with
// model tensors only (e.g. saved from PyTorch) loads with fresh optimizer state.
GanState state_from_checkpoint(const SafetensorsFile& file, const std::string& source);
// Reads only what state_from_checkpoint takes, after checking the header as it does: a file of
// another model or shape is refused before any of its data is read.
GanState load_checkpoint(const std::string& path);
// For read_safetensors: the header's checks and the tensors a checkpoint is loaded from.
TensorSelection checkpoint_selection(const std::string& source);

// How many values are NaN or Inf.
size_t count_non_finite(const std::vector<float>& values);
// Throws "`where`: N parameters are not finite (NaN or Inf)" when weights or moments hold any.
void check_parameters_finite(const GanState& state, const std::string& where);

}  // namespace ganvas
