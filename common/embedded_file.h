// Embeds a file's bytes in the binary at build time: the assembler's .incbin between two hidden
// symbols, so the data is read-only and never exported from a shared library or plugin.
#pragma once

#define GANVAS_STRINGIFY_(x) #x
#define GANVAS_STRINGIFY(x) GANVAS_STRINGIFY_(x)

// Defines `extern "C" const uint8_t name_begin[], name_end[]` around the bytes of `path` (a string
// literal). Use once per name, at namespace scope.
#define GANVAS_EMBED_FILE(name, path)                                   \
  asm(".pushsection .rodata\n"                                          \
      ".balign 16\n"                                                    \
      ".global " GANVAS_STRINGIFY(name) "_begin\n"                      \
      ".hidden " GANVAS_STRINGIFY(name) "_begin\n" GANVAS_STRINGIFY(name) "_begin:\n" \
      ".incbin \"" path "\"\n"                                          \
      ".global " GANVAS_STRINGIFY(name) "_end\n"                        \
      ".hidden " GANVAS_STRINGIFY(name) "_end\n" GANVAS_STRINGIFY(name) "_end:\n"     \
      ".popsection\n");                                                 \
  extern "C" const uint8_t name##_begin[];                              \
  extern "C" const uint8_t name##_end[]
