// A small command-line parser: declared options, typed values with range checks, usage errors.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace ganvas::cli {

// A mistake in how the program was called: reported with exit status 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct OptionSpec {
  std::string name;       // without the leading dashes
  std::string value;      // the value's placeholder, empty for a flag
  std::string help;
};

// Throws a UsageError unless `value` of --`name` is one of `allowed`.
void check_choice(const std::string& name, const std::string& value, std::initializer_list<const char*> allowed);

class Args {
 public:
  // Parses argv[first..argc) against `specs`; "--help" sets help().
  Args(std::string command, std::vector<OptionSpec> specs, int argc, char** argv, int first);

  bool help() const { return help_; }
  std::string usage() const;
  bool has(const std::string& name) const { return values_.count(name) > 0; }
  bool flag(const std::string& name) const { return has(name); }
  std::string text(const std::string& name, const std::string& fallback) const;
  int64_t integer(const std::string& name, int64_t fallback, int64_t min, int64_t max) const;
  uint64_t unsigned_integer(const std::string& name, uint64_t fallback) const;
  double real(const std::string& name, double fallback, double min_exclusive, double max) const;
  // As min_exclusive: 0 itself allowed ("at least 0" in messages).
  static constexpr double kFromZero = -1e-30;
  // The value of a required option.
  std::string required(const std::string& name) const;

 private:
  std::string command_;
  std::vector<OptionSpec> specs_;
  std::map<std::string, std::string> values_;
  bool help_ = false;
};

}  // namespace ganvas::cli
