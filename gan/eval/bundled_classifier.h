// The digit classifier shipped with ganvas (assets/mnist-classifier.safetensors, trained by
// `ganvas train-classifier`), built into the binary so evaluation needs no file at run time.
#pragma once

#include "gan/eval/classifier.h"

namespace ganvas {

Classifier bundled_classifier();

// How messages name it.
inline constexpr const char* kBundledClassifierName = "the bundled MNIST classifier";

}  // namespace ganvas
