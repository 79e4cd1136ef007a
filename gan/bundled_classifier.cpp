// The bundled classifier's bytes, included by the assembler (.incbin) from the path CMake gives.
#include "gan/bundled_classifier.h"

#include <cstdint>
#include <vector>

#include "gan/safetensors.h"

// Read-only data between two hidden symbols: not exported from a shared library that links core.
asm(".pushsection .rodata\n"
    ".balign 16\n"
    ".global ganvas_bundled_classifier_begin\n"
    ".hidden ganvas_bundled_classifier_begin\n"
    "ganvas_bundled_classifier_begin:\n"
    ".incbin \"" GANVAS_BUNDLED_CLASSIFIER "\"\n"
    ".global ganvas_bundled_classifier_end\n"
    ".hidden ganvas_bundled_classifier_end\n"
    "ganvas_bundled_classifier_end:\n"
    ".popsection\n");

extern "C" const uint8_t ganvas_bundled_classifier_begin[];
extern "C" const uint8_t ganvas_bundled_classifier_end[];

namespace ganvas {

Classifier bundled_classifier() {
  const std::vector<uint8_t> bytes(ganvas_bundled_classifier_begin, ganvas_bundled_classifier_end);
  return classifier_from_file(parse_safetensors(bytes, kBundledClassifierName), kBundledClassifierName);
}

}  // namespace ganvas
