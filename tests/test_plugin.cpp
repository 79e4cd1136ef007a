// Plugin modules: the GAN visualizer loads; a missing file, a module without the entry point and a
// module of another API version are refused with clear messages.
#include <gtest/gtest.h>

#include "error.h"
#include "plugin_loader.h"

namespace ganvas {
namespace {

std::string load_error(const std::string& path) {
  try {
    load_plugin(path, "");
  } catch (const Error& e) {
    return e.what();
  }
  ADD_FAILURE() << path << " loaded";
  return "";
}

TEST(Plugins, TheGanVisualizerModuleLoads) {
  // No data: the visualizer opens on the bundled checkpoint.
  LoadedPlugin plugin = load_plugin(GANVAS_PLUGIN_MODULE, "data_dir=/nonexistent\ntrain=0\n");
  EXPECT_STREQ(plugin.plugin().name(), "ganvas GAN visualizer");
}

TEST(Plugins, BadSettingsAreRefused) {
  try {
    load_plugin(GANVAS_PLUGIN_MODULE, "colour=blue\n");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("unknown visualizer setting 'colour'"), std::string::npos);
  }
}

TEST(Plugins, MissingFile) {
  EXPECT_NE(load_error("/nonexistent/plugin.so").find("no such file"), std::string::npos);
}

TEST(Plugins, ModuleWithoutEntryPoint) {
  EXPECT_NE(load_error(GANVAS_NO_ENTRY_MODULE).find("not a ganvas plugin"), std::string::npos);
}

TEST(Plugins, ModuleOfAnotherVersion) {
  const std::string message = load_error(GANVAS_WRONG_VERSION_MODULE);
  EXPECT_NE(message.find("built for plugin API version 999"), std::string::npos) << message;
}

}  // namespace
}  // namespace ganvas
