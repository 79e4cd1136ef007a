// OpenGL 4.5 core through glad's generated loader, and a check for GL errors.
#pragma once

#include <glad/gl.h>

namespace ganvas::gl {

// Throws ganvas::Error naming `what` and the GL error, if one is pending.
void check(const char* what);

// Loads GL functions through `loader` for the current context; throws if GL 4.5 is missing.
// Installs nothing: a plugin calls it in a host's context.
void load(GLADloadfunc loader);
// The same through a loader that takes the caller's pointer (a host's get_proc_address).
void load_with(GLADuserptrloadfunc loader, void* user);

// Debug builds: GL's debug messages (errors and notes) to stderr. Only the owner of a context (the
// engine's own windows) installs this; a plugin never replaces its host's callback.
void install_debug_output();

}  // namespace ganvas::gl
