// Saves the pieces of GL state a plugin's render pass changes and puts them back when it goes out
// of scope, so a host finds its context as it left it.
#pragma once

#include <glad/gl.h>

namespace ganvas::gl {

// What is kept: the draw framebuffer binding, the current program and vertex array, the shader-storage buffer bound at index 0
// (and the generic binding), the viewport, the scissor box and whether the scissor test is on, the
// clear colour, and whether blending is on.
class StateGuard {
 public:
  StateGuard();
  ~StateGuard();
  StateGuard(const StateGuard&) = delete;
  StateGuard& operator=(const StateGuard&) = delete;

 private:
  GLint draw_framebuffer_ = 0, program_ = 0, vertex_array_ = 0, storage_buffer_ = 0, storage_buffer_0_ = 0;
  GLint viewport_[4] = {}, scissor_box_[4] = {};
  GLfloat clear_colour_[4] = {};
  GLboolean scissor_test_ = GL_FALSE, blend_ = GL_FALSE;
};

}  // namespace ganvas::gl
