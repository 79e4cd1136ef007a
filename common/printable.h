// Text that came from a file or a user, made fit for a one-line message on a terminal or a panel.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ganvas {

// `text` with everything a terminal could act on written out as \xNN (control characters, DEL, C1
// controls, bytes that are not UTF-8) and a line break as \n: it prints as one line and cannot set
// a terminal's title or clear its screen. Valid UTF-8 otherwise stays as it is.
std::string printable(std::string_view text);

// A string read from a file, for a message: printable, in quotes, and cut after `limit` bytes of
// the original with the length it had ('aaaa…' (10485760 bytes)).
std::string quote(std::string_view text, size_t limit = 200);

// Where `path` is, as a message shows it: absolute, so a user who started ganvas in another folder,
// or reads a log later, finds the file.
std::string shown_path(const std::string& path);

// A whole message, printable, and past `limit` bytes only its start and end, with how much was left
// out between them: what a command prints or a panel shows.
std::string one_line_message(std::string_view message, size_t limit = 2000);

}  // namespace ganvas
