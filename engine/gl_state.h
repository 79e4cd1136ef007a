// Saves the pieces of GL state a plugin's render pass changes or depends on and puts them back when
// it goes out of scope, so a host finds its context as it left it.
#pragma once

#include <glad/gl.h>

namespace ganvas::gl {

// What is kept: the draw framebuffer binding, the current program and vertex array, the
// shader-storage buffer bound at index 0 (with its range) and the generic binding, the viewport, the
// scissor box and whether the scissor test is on, the clear colour, the colour write mask, the
// polygon mode, and whether blending, face culling, depth testing and rasterizer discard are on.
class StateGuard {
 public:
  StateGuard();
  ~StateGuard();
  StateGuard(const StateGuard&) = delete;
  StateGuard& operator=(const StateGuard&) = delete;

  // Sets what a pass that draws flat images needs: no culling, depth test, blending or discard,
  // every colour channel written, filled polygons. (The guard puts the host's back.)
  static void plain_drawing();

 private:
  GLint draw_framebuffer_ = 0, program_ = 0, vertex_array_ = 0, storage_buffer_ = 0, storage_buffer_0_ = 0;
  GLint64 storage_start_ = 0, storage_size_ = 0;
  GLint viewport_[4] = {}, scissor_box_[4] = {}, polygon_mode_[2] = {GL_FILL, GL_FILL};
  GLfloat clear_colour_[4] = {};
  GLboolean colour_mask_[4] = {GL_TRUE, GL_TRUE, GL_TRUE, GL_TRUE};
  GLboolean scissor_test_ = GL_FALSE, blend_ = GL_FALSE, cull_face_ = GL_FALSE, depth_test_ = GL_FALSE,
            rasterizer_discard_ = GL_FALSE;
};

}  // namespace ganvas::gl
