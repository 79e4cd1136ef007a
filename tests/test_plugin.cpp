// Plugin modules: the GAN visualizer loads and runs, showing the bundled checkpoint's digits; a missing
// file, a module without the entry point and a module of another API version are refused with clear
// messages.
#include <gtest/gtest.h>

#include <imgui.h>

#include <algorithm>
#include <memory>
#include <vector>

#include "engine/app.h"
#include "common/error.h"
#include "engine/imgui_layer.h"
#include "engine/plugin_loader.h"
#include "engine/render_target.h"
#include "gan/io/checkpoint.h"
#include "gan/model/sampler.h"
#include "gan/viz/gan_visualizer.h"
#include "tests/grid_check.h"
#include "tests/test_support.h"

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

// The module runs the visualizer: attached through the host's services, its first frames show the
// bundled checkpoint's digits on its canvas, G's images of the grid's latents pixel by pixel.
TEST(Plugins, TheGanVisualizerModuleLoads) {
  std::unique_ptr<GlContext> context = create_headless({640, 400});
  RenderTarget target({640, 400});
  ImGuiLayer imgui(*context);
  // No data: the visualizer opens on the bundled checkpoint.
  LoadedPlugin plugin = load_plugin(GANVAS_PLUGIN_MODULE, "data_dir=/nonexistent\ntrain=0\n");
  EXPECT_STREQ(plugin.plugin().name(), "ganvas GAN visualizer");
  const auto* viz = dynamic_cast<const GanVisualizer*>(&plugin.plugin());
  ASSERT_NE(viz, nullptr) << "the module's plugin is not the GAN visualizer";
  plugin.plugin().attach(
      PluginHost{context.get(), context->gl_loader(), ImGui::GetCurrentContext(), nullptr, &draw_overlay});
  LoopOptions options;
  options.max_frames = 2;
  EXPECT_EQ(run_frames(*context, imgui, plugin.plugin(), options, &target).frames, 2u);
  const GanState bundled = load_checkpoint(test::assets_path("mnist-gan-20k.safetensors"));
  const int n = viz->session().grid_side(), side = bundled.shape.image_side();
  const std::vector<float>& latents = viz->session().grid_latents();
  ASSERT_EQ(latents.size(), size_t(n) * n * bundled.shape.latent());
  test::GridFrame grid;
  grid.side = side;
  grid.marked_cells = test::anchor_cells(*viz);
  grid.shown = test::grid_on_screen(read_pixels(target.framebuffer(), target.size()), target.size(), viz->grid_rect(),
                                    n, side);
  for (float g : generate_images(bundled, latents, n * n)) grid.expected.push_back(pixel_byte(g, viz->inverted()));
  EXPECT_LT(test::mismatched_share(grid), 0.01) << "the module's canvas does not show the checkpoint's digits";
  std::printf("%.2f %% of the grid's pixels off the checkpoint's images\n", 100 * test::mismatched_share(grid));
  const auto ink = std::count_if(grid.shown.begin(), grid.shown.end(), [](uint8_t level) { return level < 128; });
  EXPECT_GT(ink, static_cast<long>(grid.shown.size() / 20)) << "digits are drawn: strokes on a light ground";
  EXPECT_LT(ink, static_cast<long>(grid.shown.size() / 2)) << "digits are drawn: strokes on a light ground";
  plugin.plugin().detach();
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
