// Panel images: a texture per image, drawn through Dear ImGui's OpenGL back end.
#include "gan/viz/panel_image.h"

#include <imgui.h>

#include "gan/model/sampler.h"

namespace ganvas {

void PanelImage::upload(const std::vector<uint8_t>& rgba, int width, int height) {
  if (!texture_ || width != width_ || height != height_) {
    GLuint name = 0;
    glCreateTextures(GL_TEXTURE_2D, 1, &name);
    texture_ = gl::Texture(name);
    glTextureStorage2D(name, 1, GL_RGBA8, width, height);
    glTextureParameteri(name, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTextureParameteri(name, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glTextureParameteri(name, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTextureParameteri(name, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    width_ = width;
    height_ = height;
  }
  glTextureSubImage2D(texture_.get(), 0, 0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, rgba.data());
  gl::check("uploading a panel image");
}

void PanelImage::draw(float width, float height) const {
  ImGui::Image(reinterpret_cast<ImTextureID>(static_cast<intptr_t>(texture_.get())), ImVec2(width, height));
}

void PanelImage::add_to(ImDrawList& list, ImVec2 min, ImVec2 max) const {
  list.AddImage(reinterpret_cast<ImTextureID>(static_cast<intptr_t>(texture_.get())), min, max);
}

std::vector<uint8_t> grey_row_rgba(const std::vector<float>& images, int count, int side, bool invert) {
  const int width = count * side;
  std::vector<uint8_t> rgba(static_cast<size_t>(width) * side * 4);
  for (int i = 0; i < count; ++i) {
    for (int y = 0; y < side; ++y) {
      for (int x = 0; x < side; ++x) {
        const uint8_t g = pixel_byte(images[(static_cast<size_t>(i) * side + y) * side + x], invert);
        uint8_t* out = &rgba[(static_cast<size_t>(y) * width + i * side + x) * 4];
        out[0] = out[1] = out[2] = g;
        out[3] = 255;
      }
    }
  }
  return rgba;
}

}  // namespace ganvas
