// PNG encoding to memory, then an atomic write.
#include "common/png.h"

#include <stb_image_write.h>

#include "common/atomic_file.h"
#include "common/error.h"

namespace ganvas {

std::vector<uint8_t> encode_png(const uint8_t* pixels, int width, int height, int channels) {
  std::vector<uint8_t> png;
  const auto append = [](void* context, void* data, int size) {
    auto* out = static_cast<std::vector<uint8_t>*>(context);
    const auto* bytes = static_cast<const uint8_t*>(data);
    out->insert(out->end(), bytes, bytes + size);
  };
  if (!stbi_write_png_to_func(append, &png, width, height, channels, pixels, width * channels)) {
    GANVAS_THROW("PNG encoding failed");
  }
  return png;
}

void write_png(const std::string& path, const uint8_t* pixels, int width, int height, int channels) {
  const std::vector<uint8_t> png = encode_png(pixels, width, height, channels);
  write_file_atomically(path, png.data(), png.size());
}

}  // namespace ganvas
