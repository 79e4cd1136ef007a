// The error type of the ganvas library: a message a user can act on, and where it was raised.
#pragma once

#include <stdexcept>
#include <string>

namespace ganvas {

class Error : public std::runtime_error {
 public:
  Error(std::string message, const char* file, int line)
      : std::runtime_error(std::move(message)), file_(file), line_(line) {}
  const char* file() const { return file_; }
  int line() const { return line_; }

 private:
  const char* file_;
  int line_;
};

}  // namespace ganvas

// Throws ganvas::Error with the caller's file and line.
#define GANVAS_THROW(message) throw ::ganvas::Error((message), __FILE__, __LINE__)

// Throws unless the condition holds.
#define GANVAS_CHECK(condition, message) \
  do {                                   \
    if (!(condition)) GANVAS_THROW(message); \
  } while (0)
