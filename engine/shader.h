// GLSL programs from the shaders/ files embedded in the binary, with errors by file and line.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/gl_objects.h"

namespace ganvas::gl {

// The embedded text of shaders/<name> (e.g. "image_grid.vert"); throws if there is none.
std::string_view shader_source(std::string_view name);
std::vector<std::string_view> shader_names();

// Compiles one stage; `file` names the source in error messages ("shaders/x.frag:12: ...").
Shader compile_shader(GLenum stage, std::string_view source, const std::string& file);

// Compiles and links the vertex and fragment shaders of shaders/<vertex> and shaders/<fragment>.
Program build_program(std::string_view vertex, std::string_view fragment);

// Rewrites a GLSL info log so each line starts with "file:line:" (Mesa's and NVIDIA's formats).
std::string readable_log(const std::string& log, const std::string& file);

}  // namespace ganvas::gl
