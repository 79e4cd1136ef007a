// Draws generator images from a GL buffer as a grid of cells (the digit grid, the explorer strip).
#pragma once

#include "gan/render/pixel_rect.h"
#include "engine/gl_objects.h"

namespace ganvas {

class ImageGridPass {
 public:
  // For square images `image_side` pixels wide (the model's).
  explicit ImageGridPass(int image_side);
  // Draws `columns` x `rows` images starting at image `first` of `images` (floats, image_side^2 per
  // image) into `rect` of a framebuffer of the given size.
  // With `overlay_scale` > 0, `overlay` holds a signed gradient per pixel of each drawn image, shown
  // as a red (negative gradient) or blue (positive) tint.
  void draw(GLuint images, int first, int columns, int rows, const PixelRect& rect, int framebuffer_width,
            int framebuffer_height, bool invert, GLuint overlay = 0, float overlay_scale = 0) const;

 private:
  gl::Program program_;
  gl::VertexArray vertex_array_;
  int image_side_;
};

}  // namespace ganvas
