// Plugin modules: the GAN visualizer loads; a missing file, a module without the entry point and a
// module of another API version are refused with clear messages.
#include <gtest/gtest.h>

#include <imgui.h>

#include "engine/app.h"
#include "common/error.h"
#include "engine/imgui_layer.h"
#include "engine/plugin_loader.h"
#include "engine/render_target.h"

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

// The module has its own copies of glad and Dear ImGui: attached through the host's services, it
// must draw frames (panels included) like the built-in visualizer.
TEST(Plugins, TheLoadedModuleRendersFrames) {
  std::unique_ptr<GlContext> context = create_headless({640, 400});
  RenderTarget target({640, 400});
  ImGuiLayer imgui(*context);
  LoadedPlugin plugin = load_plugin(GANVAS_PLUGIN_MODULE, "data_dir=/nonexistent\ntrain=0\n");
  plugin.plugin().attach(
      PluginHost{context.get(), context->gl_loader(), ImGui::GetCurrentContext(), nullptr, &draw_overlay});
  LoopOptions options;
  options.max_frames = 5;
  EXPECT_EQ(run_frames(*context, imgui, plugin.plugin(), options, &target).frames, 5u);
  const std::vector<uint8_t> rgba = read_pixels(target.framebuffer(), target.size());
  size_t white = 0;  // the inverted digit grid is mostly white
  for (size_t i = 0; i < rgba.size(); i += 4) white += rgba[i] == 255 && rgba[i + 1] == 255 && rgba[i + 2] == 255;
  EXPECT_GT(white, 10000u);
  plugin.plugin().detach();
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
