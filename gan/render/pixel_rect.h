// A rectangle of a framebuffer in pixels, y down from the top-left: where a pass draws images.
#pragma once

namespace ganvas {

struct PixelRect {
  float x = 0, y = 0, width = 0, height = 0;  // pixels, y down from the top-left
  bool contains(float px, float py) const { return px >= x && py >= y && px < x + width && py < y + height; }
};

}  // namespace ganvas
