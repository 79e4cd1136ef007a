// libFuzzer target: the safetensors parser. A file it accepts must survive a round trip:
// serialized again, it parses to the same tensors and metadata.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "common/error.h"
#include "gan/io/safetensors.h"

namespace {

bool same(const ganvas::SafetensorsFile& a, const ganvas::SafetensorsFile& b) {
  if (a.metadata != b.metadata || a.tensors.size() != b.tensors.size()) return false;
  for (const auto& [name, tensor] : a.tensors) {
    const auto it = b.tensors.find(name);
    if (it == b.tensors.end() || it->second.dtype != tensor.dtype || it->second.shape != tensor.shape ||
        it->second.data != tensor.data) {
      return false;
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::vector<uint8_t> bytes(data, data + size);
  ganvas::SafetensorsFile file;
  try {
    file = ganvas::parse_safetensors(bytes, "fuzz input");
  } catch (const ganvas::Error&) {
    return 0;
  }
  for (const auto& [name, tensor] : file.tensors) {
    if (tensor.data.size() != tensor.numel() * ganvas::dtype_size(tensor.dtype)) __builtin_trap();
    tensor.to_floats();
  }
  const ganvas::SafetensorsFile again = ganvas::parse_safetensors(ganvas::serialize_safetensors(file), "round trip");
  if (!same(file, again)) __builtin_trap();
  return 0;
}
