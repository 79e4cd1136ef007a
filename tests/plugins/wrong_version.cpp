// A plugin module built for another plugin API version (plugin loading tests).
#include "engine/plugin.h"

namespace {
const GanvasPluginApi kApi = {999u, "from the future", nullptr, nullptr};
}

extern "C" __attribute__((visibility("default"))) const GanvasPluginApi* ganvas_plugin_entry() { return &kApi; }
