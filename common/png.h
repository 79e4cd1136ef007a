// PNG encoding (stb_image_write) and atomic PNG files.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ganvas {

// Encodes `channels`-channel 8-bit pixels, rows top to bottom.
std::vector<uint8_t> encode_png(const uint8_t* pixels, int width, int height, int channels);

// Writes them as a PNG file, atomically.
void write_png(const std::string& path, const uint8_t* pixels, int width, int height, int channels);

}  // namespace ganvas
