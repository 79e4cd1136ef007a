# Writes OUTPUT, a C++ header holding every file of SHADER_DIR as a string, so installed binaries
# need no shader files. Run as: cmake -DSHADER_DIR=... -DOUTPUT=... -P embed_shaders.cmake
file(GLOB shaders RELATIVE "${SHADER_DIR}" "${SHADER_DIR}/*.vert" "${SHADER_DIR}/*.frag" "${SHADER_DIR}/*.comp")
list(SORT shaders)
set(text "// Generated from shaders/ by engine/embed_shaders.cmake; do not edit.\n#pragma once\n\n")
string(APPEND text "namespace ganvas::gl {\n\nstruct EmbeddedShader {\n  const char* name;\n  const char* source;\n};\n\n")
string(APPEND text "inline constexpr EmbeddedShader kEmbeddedShaders[] = {\n")
foreach(shader ${shaders})
  file(READ "${SHADER_DIR}/${shader}" source)
  string(APPEND text "    {\"${shader}\", R\"glsl(${source})glsl\"},\n")
endforeach()
string(APPEND text "};\n\n}  // namespace ganvas::gl\n")
file(WRITE "${OUTPUT}.tmp" "${text}")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
