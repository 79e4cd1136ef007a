// The bundled classifier's bytes, included by the assembler (.incbin) from the path CMake gives.
#include "gan/eval/bundled_classifier.h"

#include <cstdint>
#include <vector>

#include "common/embedded_file.h"
#include "gan/io/safetensors.h"

GANVAS_EMBED_FILE(ganvas_bundled_classifier, GANVAS_BUNDLED_CLASSIFIER);

namespace ganvas {

Classifier bundled_classifier() {
  const std::vector<uint8_t> bytes(ganvas_bundled_classifier_begin, ganvas_bundled_classifier_end);
  return classifier_from_file(parse_safetensors(bytes, kBundledClassifierName), kBundledClassifierName);
}

}  // namespace ganvas
