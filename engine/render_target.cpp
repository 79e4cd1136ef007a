// Offscreen framebuffers, pixel readback and PNG screenshots.
#include "engine/render_target.h"

#include <cstring>

#include "common/error.h"
#include "common/png.h"

namespace ganvas {

RenderTarget::RenderTarget(Size size) : size_(size) {
  GANVAS_CHECK(size.width > 0 && size.height > 0, "a render target needs a positive size");
  GLuint texture = 0, framebuffer = 0;
  glCreateTextures(GL_TEXTURE_2D, 1, &texture);
  color_ = gl::Texture(texture);
  glTextureStorage2D(texture, 1, GL_RGBA8, size.width, size.height);
  glTextureParameteri(texture, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
  glTextureParameteri(texture, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
  glCreateFramebuffers(1, &framebuffer);
  framebuffer_ = gl::Framebuffer(framebuffer);
  glNamedFramebufferTexture(framebuffer, GL_COLOR_ATTACHMENT0, texture, 0);
  GANVAS_CHECK(glCheckNamedFramebufferStatus(framebuffer, GL_FRAMEBUFFER) == GL_FRAMEBUFFER_COMPLETE,
               "the offscreen framebuffer is incomplete");
  gl::check("creating a render target");
}

void RenderTarget::bind() const {
  glBindFramebuffer(GL_FRAMEBUFFER, framebuffer_.get());
  glViewport(0, 0, size_.width, size_.height);
}

std::vector<uint8_t> read_pixels(GLuint framebuffer, Size size) {
  std::vector<uint8_t> bottom_up(static_cast<size_t>(size.width) * size.height * 4);
  glBindFramebuffer(GL_READ_FRAMEBUFFER, framebuffer);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(0, 0, size.width, size.height, GL_RGBA, GL_UNSIGNED_BYTE, bottom_up.data());
  gl::check("reading pixels");
  std::vector<uint8_t> top_down(bottom_up.size());
  const size_t row = static_cast<size_t>(size.width) * 4;
  for (int y = 0; y < size.height; ++y) {
    std::memcpy(top_down.data() + y * row, bottom_up.data() + (size.height - 1 - y) * row, row);
  }
  return top_down;
}

void write_rgba_png(const std::string& path, const std::vector<uint8_t>& rgba, Size size) {
  write_png(path, rgba.data(), size.width, size.height, 4);
}

}  // namespace ganvas
