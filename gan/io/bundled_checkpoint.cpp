// The bundled checkpoint's bytes, included by the assembler (.incbin) from the path CMake gives.
#include "gan/io/bundled_checkpoint.h"

#include <cstdint>
#include <vector>

#include "common/embedded_file.h"
#include "gan/io/checkpoint.h"
#include "gan/io/safetensors.h"

GANVAS_EMBED_FILE(ganvas_bundled_checkpoint, GANVAS_BUNDLED_CHECKPOINT);

namespace ganvas {

GanState bundled_checkpoint() {
  const std::vector<uint8_t> bytes(ganvas_bundled_checkpoint_begin, ganvas_bundled_checkpoint_end);
  return state_from_checkpoint(parse_safetensors(bytes, kBundledCheckpointName), kBundledCheckpointName);
}

}  // namespace ganvas
