// Shader compilation and linking with readable errors.
#include "engine/shader.h"

#include <cctype>
#include <sstream>

#include "embedded_shaders.h"
#include "common/error.h"

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

namespace {

// Splits a GLSL log line of Mesa ("0:12(5): error: ...") or NVIDIA ("0(12) : error C0000: ...")
// into its line number and message; false for any other shape.
bool split_log_line(const std::string& line, std::string& number, std::string& message) {
  size_t i = 0;
  const auto digits = [&] {
    const size_t start = i;
    while (i < line.size() && std::isdigit(static_cast<unsigned char>(line[i]))) ++i;
    return line.substr(start, i - start);
  };
  while (i < line.size() && line[i] == ' ') ++i;
  if (digits().empty() || i >= line.size()) return false;
  if (line[i] == ':') {  // Mesa
    ++i;
    number = digits();
    const size_t end = line.find("):", i);
    if (number.empty() || i >= line.size() || line[i] != '(' || end == std::string::npos) return false;
    i = end + 2;
  } else if (line[i] == '(') {  // NVIDIA
    ++i;
    number = digits();
    if (number.empty() || i >= line.size() || line[i] != ')') return false;
    ++i;
    while (i < line.size() && (line[i] == ' ' || line[i] == ':')) ++i;
  } else {
    return false;
  }
  while (i < line.size() && line[i] == ' ') ++i;
  message = line.substr(i);
  return true;
}

}  // namespace

std::string readable_log(const std::string& log, const std::string& file) {
  std::istringstream in(log);
  std::string line, out, number, message;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    out += split_log_line(line, number, message) ? file + ":" + number + ": " + message + "\n" : file + ": " + line + "\n";
  }
  return out;
}

namespace {

// The info log of a shader or program, read with glGetShaderiv/InfoLog or their program twins.
std::string info_log(GLuint name, void (*get_parameter)(GLuint, GLenum, GLint*),
                     void (*get_log)(GLuint, GLsizei, GLsizei*, GLchar*)) {
  GLint size = 0;
  get_parameter(name, GL_INFO_LOG_LENGTH, &size);
  std::string log(static_cast<size_t>(size > 0 ? size : 1), '\0');
  get_log(name, size, nullptr, log.data());
  return log.c_str();
}

}  // namespace

Shader compile_shader(GLenum stage, std::string_view source, const std::string& file) {
  Shader shader(glCreateShader(stage));
  const char* text = source.data();
  const GLint length = static_cast<GLint>(source.size());
  glShaderSource(shader.get(), 1, &text, &length);
  glCompileShader(shader.get());
  GLint ok = GL_FALSE;
  glGetShaderiv(shader.get(), GL_COMPILE_STATUS, &ok);
  if (ok != GL_TRUE) {
    const std::string log = info_log(shader.get(), glGetShaderiv, glGetShaderInfoLog);
    GANVAS_THROW("shader compilation failed:\n" + readable_log(log, file));
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
    const std::string log = info_log(program.get(), glGetProgramiv, glGetProgramInfoLog);
    GANVAS_THROW("linking " + vertex_file + " with " + fragment_file + " failed:\n" + log);
  }
  glDetachShader(program.get(), vs.get());
  glDetachShader(program.get(), fs.get());
  return program;
}

}  // namespace ganvas::gl
