// Loads a plugin module at run time through its versioned C entry point.
#pragma once

#include <memory>
#include <string>

#include "engine/plugin.h"

namespace ganvas {

// A plugin created from a module; destroys the plugin, then unloads the module.
class LoadedPlugin {
 public:
  LoadedPlugin(const LoadedPlugin&) = delete;
  LoadedPlugin& operator=(const LoadedPlugin&) = delete;
  LoadedPlugin(LoadedPlugin&& other) noexcept;
  LoadedPlugin& operator=(LoadedPlugin&&) = delete;
  ~LoadedPlugin();

  Plugin& plugin() const { return *plugin_; }
  const std::string& path() const { return path_; }

 private:
  friend LoadedPlugin load_plugin(const std::string& path, const std::string& settings);
  LoadedPlugin(std::string path, void* module, const GanvasPluginApi* api, Plugin* plugin)
      : path_(std::move(path)), module_(module), api_(api), plugin_(plugin) {}

  std::string path_;
  void* module_ = nullptr;
  const GanvasPluginApi* api_ = nullptr;
  Plugin* plugin_ = nullptr;
};

// Throws ganvas::Error with a clear message for a missing file, a module without the entry
// point, or a module built for another plugin API version.
LoadedPlugin load_plugin(const std::string& path, const std::string& settings);

}  // namespace ganvas
