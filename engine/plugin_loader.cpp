// dlopen-based plugin loading with version checks.
#include "engine/plugin_loader.h"

#include <dlfcn.h>

#include <filesystem>
#include <utility>

#include "common/atomic_file.h"
#include "common/error.h"

namespace ganvas {

LoadedPlugin::LoadedPlugin(LoadedPlugin&& other) noexcept
    : path_(std::move(other.path_)),
      module_(std::exchange(other.module_, nullptr)),
      api_(std::exchange(other.api_, nullptr)),
      plugin_(std::exchange(other.plugin_, nullptr)) {}

LoadedPlugin::~LoadedPlugin() {
  if (plugin_ && api_) api_->destroy(plugin_);
  if (module_) dlclose(module_);
}

LoadedPlugin load_plugin(const std::string& path, const std::string& settings) {
  if (!std::filesystem::exists(path)) GANVAS_THROW("plugin " + path + ": no such file");
  require_regular_file(path);  // dlopen would wait forever on a FIFO
  // A name without a slash would send dlopen searching the library path instead of this folder.
  const std::string file = std::filesystem::absolute(path).string();
  void* module = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!module) GANVAS_THROW("plugin " + path + ": cannot be loaded (" + dlerror() + ")");
  const auto entry = reinterpret_cast<GanvasPluginEntry>(dlsym(module, GANVAS_PLUGIN_ENTRY));
  if (!entry) {
    dlclose(module);
    GANVAS_THROW("plugin " + path + ": not a ganvas plugin (it has no " GANVAS_PLUGIN_ENTRY " function)");
  }
  const GanvasPluginApi* api = entry();
  if (!api || api->api_version != GANVAS_PLUGIN_API_VERSION) {
    const std::string found = api ? std::to_string(api->api_version) : "none";
    dlclose(module);
    GANVAS_THROW("plugin " + path + ": built for plugin API version " + found + ", this ganvas speaks version " +
                 std::to_string(GANVAS_PLUGIN_API_VERSION) + "; rebuild the plugin");
  }
  Plugin* plugin = nullptr;
  std::string failure;
  try {
    plugin = api->create(settings.c_str());
  } catch (const std::exception& e) {
    failure = e.what();  // copied: the exception's code lives in the module about to be closed
  } catch (...) {
    failure = "an unknown exception";
  }
  if (!failure.empty()) {
    dlclose(module);
    GANVAS_THROW("plugin " + path + ": " + failure);
  }
  if (!plugin) {
    dlclose(module);
    GANVAS_THROW("plugin " + path + ": its create() returned nothing");
  }
  return LoadedPlugin(path, module, api, plugin);
}

}  // namespace ganvas
