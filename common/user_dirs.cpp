// The user's config and data folders.
#include "common/user_dirs.h"

#include <cstdlib>

namespace ganvas {
namespace {

// $VARIABLE/ganvas/NAME, else $HOME/FALLBACK/ganvas/NAME, else "".
std::string user_file(const char* variable, const char* fallback, const std::string& name) {
  const char* base = std::getenv(variable);
  if (base && *base) return std::string(base) + "/ganvas/" + name;
  const char* home = std::getenv("HOME");
  if (home && *home) return std::string(home) + "/" + fallback + "/ganvas/" + name;
  return "";
}

}  // namespace

std::string user_config_file(const std::string& name) { return user_file("XDG_CONFIG_HOME", ".config", name); }

std::string user_data_file(const std::string& name) { return user_file("XDG_DATA_HOME", ".local/share", name); }

}  // namespace ganvas
