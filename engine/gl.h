// OpenGL 4.5 core through glad's generated loader, and a check for GL errors.
#pragma once

#include <glad/gl.h>

namespace ganvas::gl {

// Throws ganvas::Error naming `what` and the GL error, if one is pending.
void check(const char* what);

// Loads GL functions through `loader` for the current context; throws if GL 4.5 is missing.
void load(GLADloadfunc loader);

}  // namespace ganvas::gl
