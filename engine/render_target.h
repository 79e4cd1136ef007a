// An offscreen framebuffer with an RGBA8 colour texture: the headless canvas and the source of
// screenshots.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/context.h"
#include "engine/gl_objects.h"

namespace ganvas {

class RenderTarget {
 public:
  explicit RenderTarget(Size size);
  void bind() const;  // as the draw framebuffer, with the viewport covering it
  Size size() const { return size_; }
  GLuint framebuffer() const { return framebuffer_.get(); }

 private:
  Size size_;
  gl::Texture color_;
  gl::Framebuffer framebuffer_;
};

// RGBA pixels of the bound read framebuffer, rows top to bottom.
std::vector<uint8_t> read_pixels(GLuint framebuffer, Size size);

// Writes RGBA pixels (rows top to bottom) as a PNG, atomically.
void write_rgba_png(const std::string& path, const std::vector<uint8_t>& rgba, Size size);

}  // namespace ganvas
