// Saving and restoring the GL state a render pass touches.
#include "engine/gl_state.h"

namespace ganvas::gl {
namespace {

void set_enabled(GLenum capability, GLboolean on) {
  if (on) {
    glEnable(capability);
  } else {
    glDisable(capability);
  }
}

}  // namespace

StateGuard::StateGuard() {
  glGetIntegerv(GL_DRAW_FRAMEBUFFER_BINDING, &draw_framebuffer_);
  glGetIntegerv(GL_CURRENT_PROGRAM, &program_);
  glGetIntegerv(GL_VERTEX_ARRAY_BINDING, &vertex_array_);
  glGetIntegerv(GL_SHADER_STORAGE_BUFFER_BINDING, &storage_buffer_);
  glGetIntegeri_v(GL_SHADER_STORAGE_BUFFER_BINDING, 0, &storage_buffer_0_);
  glGetInteger64i_v(GL_SHADER_STORAGE_BUFFER_START, 0, &storage_start_);
  glGetInteger64i_v(GL_SHADER_STORAGE_BUFFER_SIZE, 0, &storage_size_);
  glGetIntegerv(GL_VIEWPORT, viewport_);
  glGetIntegerv(GL_SCISSOR_BOX, scissor_box_);
  glGetIntegerv(GL_POLYGON_MODE, polygon_mode_);
  glGetFloatv(GL_COLOR_CLEAR_VALUE, clear_colour_);
  glGetBooleanv(GL_COLOR_WRITEMASK, colour_mask_);
  scissor_test_ = glIsEnabled(GL_SCISSOR_TEST);
  blend_ = glIsEnabled(GL_BLEND);
  cull_face_ = glIsEnabled(GL_CULL_FACE);
  depth_test_ = glIsEnabled(GL_DEPTH_TEST);
  rasterizer_discard_ = glIsEnabled(GL_RASTERIZER_DISCARD);
}

StateGuard::~StateGuard() {
  glBindFramebuffer(GL_DRAW_FRAMEBUFFER, static_cast<GLuint>(draw_framebuffer_));
  // A program deleted while current lives only until it is replaced: then there is none to restore.
  const auto program = static_cast<GLuint>(program_);
  glUseProgram(program != 0 && glIsProgram(program) == GL_FALSE ? 0 : program);
  glBindVertexArray(static_cast<GLuint>(vertex_array_));
  if (storage_buffer_0_ != 0 && storage_size_ > 0) {  // a range the host bound
    glBindBufferRange(GL_SHADER_STORAGE_BUFFER, 0, static_cast<GLuint>(storage_buffer_0_), storage_start_, storage_size_);
  } else {
    glBindBufferBase(GL_SHADER_STORAGE_BUFFER, 0, static_cast<GLuint>(storage_buffer_0_));
  }
  glBindBuffer(GL_SHADER_STORAGE_BUFFER, static_cast<GLuint>(storage_buffer_));
  glViewport(viewport_[0], viewport_[1], viewport_[2], viewport_[3]);
  glScissor(scissor_box_[0], scissor_box_[1], scissor_box_[2], scissor_box_[3]);
  glPolygonMode(GL_FRONT_AND_BACK, static_cast<GLenum>(polygon_mode_[0]));
  glClearColor(clear_colour_[0], clear_colour_[1], clear_colour_[2], clear_colour_[3]);
  glColorMask(colour_mask_[0], colour_mask_[1], colour_mask_[2], colour_mask_[3]);
  set_enabled(GL_SCISSOR_TEST, scissor_test_);
  set_enabled(GL_BLEND, blend_);
  set_enabled(GL_CULL_FACE, cull_face_);
  set_enabled(GL_DEPTH_TEST, depth_test_);
  set_enabled(GL_RASTERIZER_DISCARD, rasterizer_discard_);
}

void StateGuard::plain_drawing() {
  glDisable(GL_CULL_FACE);
  glDisable(GL_DEPTH_TEST);
  glDisable(GL_BLEND);
  glDisable(GL_RASTERIZER_DISCARD);
  glColorMask(GL_TRUE, GL_TRUE, GL_TRUE, GL_TRUE);
  glPolygonMode(GL_FRONT_AND_BACK, GL_FILL);
}

}  // namespace ganvas::gl
