// The GAN visualizer as a loadable plugin module: its versioned C entry point.
#include "gan/viz/gan_visualizer.h"

namespace {

ganvas::Plugin* create_visualizer(const char* settings) {
  return new ganvas::GanVisualizer(ganvas::VizConfig::parse(settings ? settings : ""));
}

void destroy_visualizer(ganvas::Plugin* plugin) { delete plugin; }

const GanvasPluginApi kApi = {GANVAS_PLUGIN_API_VERSION, "ganvas GAN visualizer", create_visualizer,
                              destroy_visualizer};

}  // namespace

extern "C" __attribute__((visibility("default"))) const GanvasPluginApi* ganvas_plugin_entry() { return &kApi; }
