// Shader compilation and linking with readable errors.
#include "shader.h"

#include <regex>
#include <sstream>

#include "embedded_shaders.h"
#include "error.h"

namespace ganvas::gl {

std::string_view shader_source(std::string_view name) {
  for (const EmbeddedShader& shader : kEmbeddedShaders) {
    if (name == shader.name) return shader.source;
  }
  GANVAS_THROW("no shader named '" + std::string(name) + "' is built into ganvas");
}

std::vector<std::string_view> shader_names() {
  std::vector<std::string_view> names;
  for (const EmbeddedShader& shader : kEmbeddedShaders) names.push_back(shader.name);
  return names;
}

std::string readable_log(const std::string& log, const std::string& file) {
  // Mesa: "0:12(5): error: ..."; NVIDIA: "0(12) : error C0000: ...".
  static const std::regex mesa(R"(^\s*\d+:(\d+)\(\d+\):\s*(.*)$)");
  static const std::regex nvidia(R"(^\s*\d+\((\d+)\)\s*:\s*(.*)$)");
  std::istringstream in(log);
  std::string line, out;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::smatch m;
    if (std::regex_match(line, m, mesa) || std::regex_match(line, m, nvidia)) {
      out += file + ":" + m[1].str() + ": " + m[2].str() + "\n";
    } else {
      out += file + ": " + line + "\n";
    }
  }
  return out;
}

Shader compile_shader(GLenum stage, std::string_view source, const std::string& file) {
  Shader shader(glCreateShader(stage));
  const char* text = source.data();
  const GLint length = static_cast<GLint>(source.size());
  glShaderSource(shader.get(), 1, &text, &length);
  glCompileShader(shader.get());
  GLint ok = GL_FALSE;
  glGetShaderiv(shader.get(), GL_COMPILE_STATUS, &ok);
  if (ok != GL_TRUE) {
    GLint size = 0;
    glGetShaderiv(shader.get(), GL_INFO_LOG_LENGTH, &size);
    std::string log(static_cast<size_t>(size > 0 ? size : 1), '\0');
    glGetShaderInfoLog(shader.get(), size, nullptr, log.data());
    GANVAS_THROW("shader compilation failed:\n" + readable_log(log.c_str(), file));
  }
  return shader;
}

Program build_program(std::string_view vertex, std::string_view fragment) {
  const std::string vertex_file = "shaders/" + std::string(vertex);
  const std::string fragment_file = "shaders/" + std::string(fragment);
  const Shader vs = compile_shader(GL_VERTEX_SHADER, shader_source(vertex), vertex_file);
  const Shader fs = compile_shader(GL_FRAGMENT_SHADER, shader_source(fragment), fragment_file);
  Program program(glCreateProgram());
  glAttachShader(program.get(), vs.get());
  glAttachShader(program.get(), fs.get());
  glLinkProgram(program.get());
  GLint ok = GL_FALSE;
  glGetProgramiv(program.get(), GL_LINK_STATUS, &ok);
  if (ok != GL_TRUE) {
    GLint size = 0;
    glGetProgramiv(program.get(), GL_INFO_LOG_LENGTH, &size);
    std::string log(static_cast<size_t>(size > 0 ? size : 1), '\0');
    glGetProgramInfoLog(program.get(), size, nullptr, log.data());
    GANVAS_THROW("linking " + vertex_file + " with " + fragment_file + " failed:\n" + log.c_str());
  }
  glDetachShader(program.get(), vs.get());
  glDetachShader(program.get(), fs.get());
  return program;
}

}  // namespace ganvas::gl
