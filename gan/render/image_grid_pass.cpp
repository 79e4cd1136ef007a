// The image grid pass: one instanced draw per grid.
#include "gan/render/image_grid_pass.h"

#include "engine/shader.h"

namespace ganvas {

ImageGridPass::ImageGridPass(int image_side)
    : program_(gl::build_program("image_grid.vert", "image_grid.frag")),
      vertex_array_(gl::create_vertex_array()),
      image_side_(image_side) {}

void ImageGridPass::draw(GLuint images, int first, int columns, int rows, const PixelRect& rect,
                         int framebuffer_width, int framebuffer_height, bool invert, GLuint overlay,
                         float overlay_scale) const {
  const float left = 2.0f * rect.x / framebuffer_width - 1.0f;
  const float right = 2.0f * (rect.x + rect.width) / framebuffer_width - 1.0f;
  const float top = 1.0f - 2.0f * rect.y / framebuffer_height;
  const float bottom = 1.0f - 2.0f * (rect.y + rect.height) / framebuffer_height;
  glUseProgram(program_.get());
  glProgramUniform4f(program_.get(), 0, left, bottom, right, top);
  glProgramUniform2i(program_.get(), 1, columns, rows);
  glProgramUniform1i(program_.get(), 2, first);
  glProgramUniform1i(program_.get(), 3, invert ? 1 : 0);
  glProgramUniform1i(program_.get(), 4, image_side_);
  const bool tinted = overlay != 0 && overlay_scale > 0;
  glProgramUniform1f(program_.get(), 5, tinted ? overlay_scale : 0.0f);
  glBindBufferBase(GL_SHADER_STORAGE_BUFFER, 0, images);
  glBindBufferBase(GL_SHADER_STORAGE_BUFFER, 1, tinted ? overlay : images);  // bound either way; read only when tinted
  glBindVertexArray(vertex_array_.get());
  glDrawArraysInstanced(GL_TRIANGLES, 0, 6, columns * rows);
  glBindVertexArray(0);
  gl::check("drawing an image grid");
}

}  // namespace ganvas
