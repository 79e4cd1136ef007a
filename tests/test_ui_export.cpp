// UI tests of the Explore tab's exports, driven through the real buttons: the PNGs hold exactly the
// images the generator makes for the explorer's point and the strip, the walk is a 3 s MP4 of the
// anchors picked on the grid, no file already there is replaced, and the message names the file.
#include <gtest/gtest.h>

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#define STB_IMAGE_IMPLEMENTATION
#define STBI_ONLY_PNG
#include <stb/stb_image.h>
#pragma GCC diagnostic pop

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "gan/model/sampler.h"
#include "tests/test_support.h"
#include "tests/ui_driver.h"

namespace ganvas {
namespace {

namespace fs = std::filesystem;
using test::paused_config;
using test::scratch;
using test::settle;
using test::UiDriver;

struct Png {
  int width = 0, height = 0;
  std::vector<uint8_t> rgba;
};

Png read_png(const std::string& path) {
  Png png;
  int channels = 0;
  uint8_t* data = stbi_load(path.c_str(), &png.width, &png.height, &channels, 4);
  if (!data) return png;
  png.rgba.assign(data, data + static_cast<size_t>(png.width) * png.height * 4);
  stbi_image_free(data);
  return png;
}

std::string contents(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The pixels of `png` against `images` (the sampler's, [count, side*side] in [0, 1]) drawn in a row,
// black on white as the window starts: how many pixels are off by more than one level.
int mismatches(const Png& png, const std::vector<float>& images, int side) {
  if (png.rgba.empty()) return -1;
  const int scale = png.height / side;
  int off = 0;
  for (int y = 0; y < png.height; ++y) {
    for (int x = 0; x < png.width; ++x) {
      const int image = x / (scale * side), px = (x % (scale * side)) / scale, py = y / scale;
      const float g = images[static_cast<size_t>(image) * side * side + static_cast<size_t>(py) * side + px];
      const int expected = static_cast<int>(std::lround((1.0f - std::clamp(g, 0.0f, 1.0f)) * 255.0f));
      if (std::abs(png.rgba[(static_cast<size_t>(y) * png.width + x) * 4] - expected) > 1) ++off;
    }
  }
  return off;
}

// The mean difference of a decoded video frame's red channel from an image of the sampler's drawn
// black on white over the whole frame (H.264 is lossy: a few levels for the same picture).
double mean_difference(const std::vector<uint8_t>& rgba, int width, const std::vector<float>& image, int side) {
  const int scale = width / side;
  double sum = 0;
  for (int y = 0; y < side * scale; ++y) {
    for (int x = 0; x < side * scale; ++x) {
      const float g = std::clamp(image[static_cast<size_t>(y / scale) * side + x / scale], 0.0f, 1.0f);
      sum += std::fabs(rgba[(static_cast<size_t>(y) * width + x) * 4] - (1.0f - g) * 255.0f);
    }
  }
  return sum / (side * scale * side * scale);
}

// Distinct grey levels in a picture: a blank or flat export has one or two.
int grey_levels(const Png& png) {
  std::vector<bool> seen(256, false);
  for (size_t i = 0; i < png.rgba.size(); i += 4) seen[png.rgba[i]] = true;
  return static_cast<int>(std::count(seen.begin(), seen.end(), true));
}

ImVec2 cell_centre(const PixelRect& grid, int n, int cell) {
  const float side = grid.width / n;
  return ImVec2(grid.x + side * (cell % n + 0.5f), grid.y + side * (cell / n + 0.5f));
}

VizConfig exporting_into(const std::string& out) {
  VizConfig config = paused_config();
  config.output_dir = out;
  return config;
}

TEST(UiExport, TheImageAndStripPngsHoldWhatTheExplorerShows) {
  const std::string out = scratch("export-png");
  std::ofstream(out + "/explorer-1.png") << "an older file";  // taken: the export goes to explorer-2.png
  UiDriver ui({1280, 720}, exporting_into(out), out);
  ui.click("Explore");
  ui.drag_slider("t", 0.3f);
  settle(ui);
  ui.click("Export image");
  ui.frames(1);
  const std::string image_path = out + "/explorer-2.png";
  EXPECT_EQ(contents(out + "/explorer-1.png"), "an older file");
  const LiveSnapshot& snapshot = ui.viz().session().snapshot();
  const int side = snapshot.shape.image_side();
  const Png image = read_png(image_path);
  ASSERT_EQ(image.width, 504) << "no PNG at " << image_path;
  EXPECT_EQ(image.height, 504);
  const std::vector<float> point_image = generate_images(snapshot.shape, snapshot.generator, ui.viz().session().explorer().point(), 1);
  EXPECT_EQ(mismatches(image, point_image, side), 0);
  EXPECT_GT(grey_levels(image), 20);
  EXPECT_NE(ui.viz().explore_tab().export_message().find(fs::absolute(image_path).lexically_normal().string()), std::string::npos)
      << ui.viz().explore_tab().export_message();

  ui.click("Export strip");
  ui.frames(1);
  const Png strip = read_png(out + "/strip-1.png");
  const int count = ui.viz().session().explorer().strip();
  ASSERT_EQ(strip.height, 8 * side) << "no strip PNG: " << ui.viz().explore_tab().export_message();
  EXPECT_EQ(strip.width, count * 8 * side);
  const std::vector<float> strip_images =
      generate_images(snapshot.shape, snapshot.generator, ui.viz().session().explorer().strip_latents(), count);
  EXPECT_EQ(mismatches(strip, strip_images, side), 0);
  EXPECT_NE(ui.viz().explore_tab().export_message().find("strip-1.png"), std::string::npos) << ui.viz().explore_tab().export_message();
}

TEST(UiExport, TheWalkIsAThreeSecondVideoOfTheAnchorsPickedOnTheGrid) {
  const std::string out = scratch("export-walk");
  std::ofstream(out + "/walk-1.mp4") << "an older file";
  UiDriver ui({1280, 720}, exporting_into(out), out);
  ui.click("Explore");
  const PixelRect grid = ui.viz().grid_rect();
  ui.click_at(cell_centre(grid, 6, 7), 0);
  ui.click_at(cell_centre(grid, 6, 20), 1);
  ASSERT_EQ(ui.viz().session().explorer().anchor_cell(0), 7);
  ASSERT_EQ(ui.viz().session().explorer().anchor_cell(1), 20);
  ui.click("Export walk");
  int frames = 0;
  while (ui.viz().explore_tab().exporting_walk() && frames < 2000) {
    ui.frames(1);
    ++frames;
  }
  const std::string video = out + "/walk-2.mp4";
  ASSERT_TRUE(fs::is_regular_file(video)) << ui.viz().explore_tab().export_message();
  EXPECT_EQ(contents(out + "/walk-1.mp4"), "an older file");
  EXPECT_FALSE(fs::exists(video + ".partial"));
  EXPECT_NEAR(test::video_seconds(video), 3.0, 0.05);
  int width = 0, height = 0;
  const std::vector<std::vector<uint8_t>> decoded = test::decode_video(video, width, height);
  ASSERT_EQ(decoded.size(), 90u);
  EXPECT_EQ(width, 504);
  EXPECT_EQ(height, 504);
  // The first frame is anchor A's image and the last B's, for the weights on screen.
  const LiveSnapshot& snapshot = ui.viz().session().snapshot();
  const int side = snapshot.shape.image_side();
  const std::vector<float> a = generate_images(snapshot.shape, snapshot.generator, ui.viz().session().explorer().anchor(0), 1);
  const std::vector<float> b = generate_images(snapshot.shape, snapshot.generator, ui.viz().session().explorer().anchor(1), 1);
  EXPECT_LT(mean_difference(decoded.front(), width, a, side), 4.0);
  EXPECT_LT(mean_difference(decoded.back(), width, b, side), 4.0);
  EXPECT_GT(mean_difference(decoded.front(), width, b, side), 15.0);  // A and B are different digits
  EXPECT_NE(ui.viz().explore_tab().export_message().find(fs::absolute(video).lexically_normal().string()), std::string::npos)
      << ui.viz().explore_tab().export_message();
}

TEST(UiExport, AFolderThatCannotBeWrittenGivesAMessageAndTheWindowGoesOn) {
  const std::string out = scratch("export-blocked");
  const std::string blocked = out + "/a-file";  // a file where the folder should be
  std::ofstream(blocked) << "not a folder";
  UiDriver ui({1280, 720}, exporting_into(blocked), out);
  ui.click("Explore");
  ui.click("Export image");
  ui.frames(1);
  EXPECT_EQ(ui.viz().explore_tab().export_message().rfind("could not write", 0), 0u) << ui.viz().explore_tab().export_message();
  ui.click("Export walk");
  ui.frames(2);
  EXPECT_FALSE(ui.viz().explore_tab().exporting_walk());
  EXPECT_EQ(ui.viz().explore_tab().export_message().rfind("could not write the walk", 0), 0u) << ui.viz().explore_tab().export_message();
  EXPECT_EQ(contents(blocked), "not a folder");
}

}  // namespace
}  // namespace ganvas
