// Command-line parsing with clear messages for unknown flags and bad values.
#include "gan/cli/args.h"

#include <cerrno>
#include <cstdio>
#include <cmath>
#include <cstdlib>

namespace ganvas::cli {

void check_choice(const std::string& name, const std::string& value, std::initializer_list<const char*> allowed) {
  std::string options;
  for (const char* choice : allowed) {
    if (value == choice) return;
    options += std::string(options.empty() ? "" : ", ") + choice;
  }
  throw UsageError("--" + name + " must be one of " + options + ", got '" + value + "'");
}

Args::Args(std::string command, std::vector<OptionSpec> specs, int argc, char** argv, int first)
    : command_(std::move(command)), specs_(std::move(specs)) {
  for (int i = first; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      help_ = true;
      continue;
    }
    if (arg.rfind("--", 0) != 0) throw UsageError("unexpected argument '" + arg + "' (see 'ganvas " + command_ + " --help')");
    std::string name = arg.substr(2);
    std::string value;
    bool inline_value = false;
    if (const size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      inline_value = true;
    }
    const OptionSpec* spec = nullptr;
    for (const OptionSpec& s : specs_) {
      if (s.name == name) spec = &s;
    }
    if (!spec) throw UsageError("unknown option '--" + name + "' for 'ganvas " + command_ + "' (see --help)");
    if (spec->value.empty()) {
      if (inline_value) throw UsageError("--" + name + " takes no value");
    } else if (!inline_value) {
      if (i + 1 >= argc) throw UsageError("--" + name + " needs a value (" + spec->value + ")");
      value = argv[++i];
      if (value.size() > 2 && value.rfind("--", 0) == 0) {  // a forgotten value: the next option is no value
        throw UsageError("--" + name + " needs a value (" + spec->value + "), got the option '" + value +
                         "' (--" + name + "=" + value + " if that is the value)");
      }
    }
    values_[name] = value;
  }
}

std::string Args::usage() const {
  std::string text = "usage: ganvas " + command_ + " [options]\n\noptions:\n";
  for (const OptionSpec& s : specs_) {
    std::string left = "  --" + s.name + (s.value.empty() ? "" : " " + s.value);
    if (left.size() < 28) left.append(28 - left.size(), ' ');
    text += left + " " + s.help + "\n";
  }
  return text + "  --help                     show this help\n";
}

std::string Args::text(const std::string& name, const std::string& fallback) const {
  const auto it = values_.find(name);
  return it == values_.end() ? fallback : it->second;
}

std::string Args::required(const std::string& name) const {
  const auto it = values_.find(name);
  if (it == values_.end() || it->second.empty()) {
    throw UsageError("'ganvas " + command_ + "' needs --" + name + " (see --help)");
  }
  return it->second;
}

int64_t Args::integer(const std::string& name, int64_t fallback, int64_t min, int64_t max) const {
  const auto it = values_.find(name);
  if (it == values_.end()) return fallback;
  errno = 0;
  char* end = nullptr;
  const long long value = std::strtoll(it->second.c_str(), &end, 10);
  if (it->second.empty() || *end != '\0') {
    throw UsageError("--" + name + " expects a whole number, got '" + it->second + "'");
  }
  if (errno == ERANGE || value < min || value > max) {
    throw UsageError("--" + name + " must be between " + std::to_string(min) + " and " + std::to_string(max) +
                     ", got " + it->second);
  }
  return value;
}

uint64_t Args::unsigned_integer(const std::string& name, uint64_t fallback) const {
  const auto it = values_.find(name);
  if (it == values_.end()) return fallback;
  errno = 0;
  char* end = nullptr;
  const unsigned long long value = std::strtoull(it->second.c_str(), &end, 10);
  if (it->second.empty() || it->second[0] == '-' || *end != '\0' || errno == ERANGE) {
    throw UsageError("--" + name + " expects a non-negative whole number, got '" + it->second + "'");
  }
  return value;
}

namespace {

// 0, 1, 0.0002, 1e+06: a bound as a user would write it.
std::string short_number(double value) {
  char text[32];
  std::snprintf(text, sizeof(text), "%g", value);
  return text;
}

}  // namespace

double Args::real(const std::string& name, double fallback, double min_exclusive, double max) const {
  const auto it = values_.find(name);
  if (it == values_.end()) return fallback;
  char* end = nullptr;
  const double value = std::strtod(it->second.c_str(), &end);
  if (it->second.empty() || *end != '\0' || !std::isfinite(value)) {
    throw UsageError("--" + name + " expects a number, got '" + it->second + "'");
  }
  if (value <= min_exclusive || value > max) {
    const std::string low = min_exclusive == kFromZero ? "at least 0" : "above " + short_number(min_exclusive);
    throw UsageError("--" + name + " must be " + low + " and at most " + short_number(max) + ", got " + it->second);
  }
  return value;
}

}  // namespace ganvas::cli
