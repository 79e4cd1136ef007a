// The bundled checkpoint's bytes, included by the assembler (.incbin) from the path CMake gives.
#include "gan/viz/bundled_checkpoint.h"

#include <cstdint>
#include <vector>

#include "gan/checkpoint.h"
#include "gan/safetensors.h"

// Read-only data between two hidden symbols: not exported from a plugin module.
asm(".pushsection .rodata\n"
    ".balign 16\n"
    ".global ganvas_bundled_checkpoint_begin\n"
    ".hidden ganvas_bundled_checkpoint_begin\n"
    "ganvas_bundled_checkpoint_begin:\n"
    ".incbin \"" GANVAS_BUNDLED_CHECKPOINT "\"\n"
    ".global ganvas_bundled_checkpoint_end\n"
    ".hidden ganvas_bundled_checkpoint_end\n"
    "ganvas_bundled_checkpoint_end:\n"
    ".popsection\n");

extern "C" const uint8_t ganvas_bundled_checkpoint_begin[];
extern "C" const uint8_t ganvas_bundled_checkpoint_end[];

namespace ganvas {

GanState bundled_checkpoint() {
  const std::vector<uint8_t> bytes(ganvas_bundled_checkpoint_begin, ganvas_bundled_checkpoint_end);
  return state_from_checkpoint(parse_safetensors(bytes, kBundledCheckpointName), kBundledCheckpointName);
}

}  // namespace ganvas
