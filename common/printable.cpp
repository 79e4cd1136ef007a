// Escaping and cutting text for messages.
#include "common/printable.h"

#include <cstdint>
#include <cstdio>
#include <filesystem>

namespace ganvas {
namespace {

// The length of the valid UTF-8 sequence at `text[i]` (2 to 4 bytes) that is not a C1 control or
// an overlong or surrogate form, or 0.
size_t utf8_length(std::string_view text, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<uint8_t>(text[i + k]); };
  const uint8_t lead = byte(0);
  const size_t length = lead >= 0xf0 && lead <= 0xf4 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc2 ? 2 : 0;
  if (length == 0 || lead > 0xf4 || i + length > text.size()) return 0;
  for (size_t k = 1; k < length; ++k) {
    if ((byte(k) & 0xc0) != 0x80) return 0;
  }
  if (length == 2 && lead == 0xc2 && byte(1) < 0xa0) return 0;    // U+0080-U+009F: C1 controls
  if (length == 3 && lead == 0xe0 && byte(1) < 0xa0) return 0;    // overlong
  if (length == 3 && lead == 0xed && byte(1) >= 0xa0) return 0;   // surrogates
  if (length == 4 && lead == 0xf0 && byte(1) < 0x90) return 0;    // overlong
  if (length == 4 && lead == 0xf4 && byte(1) >= 0x90) return 0;   // past U+10FFFF
  return length;
}

void append_escaped(std::string& out, uint8_t byte) {
  char code[5];
  std::snprintf(code, sizeof(code), "\\x%02x", byte);
  out += code;
}

}  // namespace

std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const auto byte = static_cast<uint8_t>(text[i]);
    if (byte >= 0x20 && byte < 0x7f) {
      out += text[i++];
    } else if (byte == '\n') {
      out += "\\n";
      ++i;
    } else if (const size_t length = byte >= 0x80 ? utf8_length(text, i) : 0; length > 0) {
      out.append(text.substr(i, length));
      i += length;
    } else {
      append_escaped(out, byte);
      ++i;
    }
  }
  return out;
}

std::string quote(std::string_view text, size_t limit) {
  if (text.size() <= limit) return "'" + printable(text) + "'";
  return "'" + printable(text.substr(0, limit)) + "...' (" + std::to_string(text.size()) + " bytes)";
}

std::string shown_path(const std::string& path) {
  std::error_code error;
  const std::filesystem::path absolute = std::filesystem::absolute(path, error);
  return error ? path : absolute.lexically_normal().string();
}

std::string one_line_message(std::string_view message, size_t limit) {
  if (message.size() <= limit) return printable(message);
  const size_t half = limit / 2;  // the start and the end, where a message says what failed and why
  return printable(message.substr(0, half)) + " ... (" + std::to_string(message.size() - 2 * half) +
         " bytes left out) ... " + printable(message.substr(message.size() - half));
}

}  // namespace ganvas
