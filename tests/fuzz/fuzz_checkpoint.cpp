// libFuzzer target: the checkpoint loader, from bytes to a GAN's training state. A state it
// accepts is consistent with its shape and finite, so it can be saved again.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "gan/io/checkpoint.h"
#include "common/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::vector<uint8_t> bytes(data, data + size);
  ganvas::GanState state;
  try {
    state = ganvas::state_from_checkpoint(ganvas::parse_safetensors(bytes, "fuzz input"), "fuzz input");
  } catch (const ganvas::Error&) {
    return 0;
  }
  // Accepted means usable: checkpoint_contents checks every buffer against the shape, and throws
  // (escaping to libFuzzer as a crash) where they disagree.
  ganvas::checkpoint_contents(state);
  return 0;
}
