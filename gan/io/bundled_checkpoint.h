// The checkpoint shipped with ganvas (assets/mnist-gan-20k.safetensors: 20,000 steps on MNIST),
// built into the binary so the visualizer finds it wherever it is installed or hosted.
#pragma once

#include "gan/model/model.h"

namespace ganvas {

// What the visualizer explores when it has no data and no checkpoint of the user's.
GanState bundled_checkpoint();

// How messages name it.
inline constexpr const char* kBundledCheckpointName = "the bundled checkpoint (20,000 steps on MNIST)";

}  // namespace ganvas
