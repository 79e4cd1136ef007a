// libFuzzer target: IDX image and label files, raw or gzipped, as ganvas reads MNIST.
// Any input must end in a parsed set or a ganvas::Error, within the memory caps of the run.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "gan/io/dataset.h"
#include "common/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::vector<uint8_t> file(data, data + size);
  try {
    const std::vector<uint8_t> bytes = ganvas::maybe_gunzip(file, "fuzz input");
    try {
      const ganvas::ImageSet set = ganvas::parse_idx_images(bytes, "fuzz input");
      // Every image the set claims lies inside its pixels.
      if (set.pixels.size() != static_cast<size_t>(set.count) * set.pixels_per_image()) __builtin_trap();
    } catch (const ganvas::Error&) {
    }
    ganvas::parse_idx_labels(bytes, "fuzz input");
  } catch (const ganvas::Error&) {
  }
  return 0;
}
