// An RGBA8 image shown in a Dear ImGui panel: a GL texture rewritten when its pixels change.
#pragma once

#include <cstdint>
#include <vector>

#include <imgui.h>

#include "engine/gl_objects.h"

namespace ganvas {

class PanelImage {
 public:
  // Replaces the pixels (width * height RGBA8, rows from the top); the texture is made anew only
  // when the size changes. Render thread, GL context current.
  void upload(const std::vector<uint8_t>& rgba, int width, int height);
  bool empty() const { return !texture_; }
  // The image at the cursor, `size` pixels on screen, nearest-neighbour scaled.
  void draw(float width, float height) const;
  // The image into a rectangle of a draw list (inside a custom-drawn widget).
  void add_to(ImDrawList& list, ImVec2 min, ImVec2 max) const;
  void reset() { texture_.reset(); }

 private:
  gl::Texture texture_;
  int width_ = 0, height_ = 0;
};

// Grey images [count, side * side] in [0, 1] side by side as RGBA8 (1 - g with `invert`).
std::vector<uint8_t> grey_row_rgba(const std::vector<float>& images, int count, int side, bool invert);

}  // namespace ganvas
