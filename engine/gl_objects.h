// Move-only owners of GL objects (buffers, textures, framebuffers, vertex arrays, programs).
#pragma once

#include <utility>

#include "engine/gl.h"

namespace ganvas::gl {

// Owns one GL name and deletes it with Delete; moves like a unique_ptr.
template <void (*Delete)(GLuint)>
class Object {
 public:
  Object() = default;
  explicit Object(GLuint name) : name_(name) {}
  ~Object() { reset(); }
  Object(Object&& other) noexcept : name_(std::exchange(other.name_, 0)) {}
  Object& operator=(Object&& other) noexcept {
    if (this != &other) {
      reset();
      name_ = std::exchange(other.name_, 0);
    }
    return *this;
  }
  Object(const Object&) = delete;
  Object& operator=(const Object&) = delete;

  GLuint get() const { return name_; }
  explicit operator bool() const { return name_ != 0; }
  void reset() {
    if (name_ != 0) Delete(name_);
    name_ = 0;
  }

 private:
  GLuint name_ = 0;
};

inline void delete_buffer(GLuint name) { glDeleteBuffers(1, &name); }
inline void delete_texture(GLuint name) { glDeleteTextures(1, &name); }
inline void delete_framebuffer(GLuint name) { glDeleteFramebuffers(1, &name); }
inline void delete_vertex_array(GLuint name) { glDeleteVertexArrays(1, &name); }
inline void delete_program(GLuint name) { glDeleteProgram(name); }
inline void delete_shader(GLuint name) { glDeleteShader(name); }

using Buffer = Object<delete_buffer>;
using Texture = Object<delete_texture>;
using Framebuffer = Object<delete_framebuffer>;
using VertexArray = Object<delete_vertex_array>;
using Program = Object<delete_program>;
using Shader = Object<delete_shader>;

inline Buffer create_buffer() {
  GLuint name = 0;
  glCreateBuffers(1, &name);
  return Buffer(name);
}

inline VertexArray create_vertex_array() {
  GLuint name = 0;
  glCreateVertexArrays(1, &name);
  return VertexArray(name);
}

}  // namespace ganvas::gl
