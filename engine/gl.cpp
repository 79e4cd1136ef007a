// GL function loading and error checks.
#include "engine/gl.h"

#include <cstdio>
#include <string>

#include "common/error.h"

namespace ganvas::gl {

void check(const char* what) {
  const GLenum error = glGetError();
  if (error == GL_NO_ERROR) return;
  char code[16];
  std::snprintf(code, sizeof(code), "0x%04x", error);
  GANVAS_THROW(std::string("OpenGL error ") + code + " in " + what);
}

namespace {
#ifndef NDEBUG
void GLAPIENTRY debug_message(GLenum, GLenum type, GLuint, GLenum severity, GLsizei, const GLchar* message,
                              const void*) {
  if (severity == GL_DEBUG_SEVERITY_NOTIFICATION) return;
  std::fprintf(stderr, "GL debug (%s): %s\n", type == GL_DEBUG_TYPE_ERROR ? "error" : "note", message);
}
#endif

// Throws unless `version` (gladLoadGL's answer) is GL 4.5 or later.
void require_gl45(int version) {
  if (version == 0) GANVAS_THROW("could not load OpenGL functions (is a GL context current?)");
  if (GLAD_VERSION_MAJOR(version) < 4 || (GLAD_VERSION_MAJOR(version) == 4 && GLAD_VERSION_MINOR(version) < 5)) {
    GANVAS_THROW("OpenGL 4.5 is needed, this context offers " + std::to_string(GLAD_VERSION_MAJOR(version)) + "." +
                 std::to_string(GLAD_VERSION_MINOR(version)));
  }
}

}  // namespace

void load(GLADloadfunc loader) { require_gl45(gladLoadGL(loader)); }

void load_with(GLADuserptrloadfunc loader, void* user) { require_gl45(gladLoadGLUserPtr(loader, user)); }

void install_debug_output() {
#ifndef NDEBUG
  glEnable(GL_DEBUG_OUTPUT);
  glDebugMessageCallback(debug_message, nullptr);
#endif
}

}  // namespace ganvas::gl
