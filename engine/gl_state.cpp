// Saving and restoring the GL state a render pass touches.
#include "engine/gl_state.h"

namespace ganvas::gl {

StateGuard::StateGuard() {
  glGetIntegerv(GL_DRAW_FRAMEBUFFER_BINDING, &draw_framebuffer_);
  glGetIntegerv(GL_CURRENT_PROGRAM, &program_);
  glGetIntegerv(GL_VERTEX_ARRAY_BINDING, &vertex_array_);
  glGetIntegerv(GL_SHADER_STORAGE_BUFFER_BINDING, &storage_buffer_);
  glGetIntegeri_v(GL_SHADER_STORAGE_BUFFER_BINDING, 0, &storage_buffer_0_);
  glGetIntegerv(GL_VIEWPORT, viewport_);
  glGetIntegerv(GL_SCISSOR_BOX, scissor_box_);
  glGetFloatv(GL_COLOR_CLEAR_VALUE, clear_colour_);
  scissor_test_ = glIsEnabled(GL_SCISSOR_TEST);
  blend_ = glIsEnabled(GL_BLEND);
}

StateGuard::~StateGuard() {
  glBindFramebuffer(GL_DRAW_FRAMEBUFFER, static_cast<GLuint>(draw_framebuffer_));
  glUseProgram(static_cast<GLuint>(program_));
  glBindVertexArray(static_cast<GLuint>(vertex_array_));
  glBindBufferBase(GL_SHADER_STORAGE_BUFFER, 0, static_cast<GLuint>(storage_buffer_0_));
  glBindBuffer(GL_SHADER_STORAGE_BUFFER, static_cast<GLuint>(storage_buffer_));
  glViewport(viewport_[0], viewport_[1], viewport_[2], viewport_[3]);
  glScissor(scissor_box_[0], scissor_box_[1], scissor_box_[2], scissor_box_[3]);
  glClearColor(clear_colour_[0], clear_colour_[1], clear_colour_[2], clear_colour_[3]);
  if (scissor_test_) {
    glEnable(GL_SCISSOR_TEST);
  } else {
    glDisable(GL_SCISSOR_TEST);
  }
  if (blend_) {
    glEnable(GL_BLEND);
  } else {
    glDisable(GL_BLEND);
  }
}

}  // namespace ganvas::gl
