// UI tests that drive the real widgets headless: the mouse and keys go in through Dear ImGui's
// input, widgets are found by label, and each test checks the effect on the trainer, the explorer,
// the recorder and the screen.
#include <gtest/gtest.h>

#include <imgui_internal.h>

#include <cmath>
#include <filesystem>
#include <set>

#include "tests/test_support.h"
#include "tests/ui_driver.h"

namespace ganvas {
namespace {

namespace fs = std::filesystem;
using test::UiDriver;

using test::differs;

using test::paused_config;
using test::scratch;
using test::settle;

ImVec2 cell_centre(const PixelRect& grid, int n, int cell) {
  const float side = grid.width / n;
  return ImVec2(grid.x + side * (cell % n + 0.5f), grid.y + side * (cell / n + 0.5f));
}

// The fraction of its track a slider's value takes, read back from the mouse: within a pixel or two.
float pixel_fraction(UiDriver& ui, const std::string& name) {
  const ui::WidgetInfo info = ui.widget(name);
  return 2.0f / (info.frame_max.x - info.frame_min.x - 4 - ImGui::GetStyle().GrabMinSize);
}

TEST(UiSliders, LearningRateSlidersAreLogarithmicWithTheGeometricMiddle) {
  UiDriver ui({1280, 720}, paused_config(), scratch("lr"));
  for (const char* name : {"lr G", "lr D"}) {
    for (const float fraction : {0.5f, 0.25f, 0.9f}) {
      ui.drag_slider(name, fraction);
      const LiveControls controls = ui.viz().session().trainer().controls();
      const float lr = std::string(name) == "lr G" ? controls.lr_g : controls.lr_d;
      const float expected_exponent = -5.0f + 3.0f * fraction;  // the range is 1e-5 .. 1e-2
      EXPECT_NEAR(std::log10(lr), expected_exponent, 3.0f * pixel_fraction(ui, name))
          << name << " dragged to " << fraction << " gave " << lr;
    }
  }
  // A plain click (no drag) in the middle gives the same geometric middle, not the top of the range.
  ui.click("lr G");
  EXPECT_NEAR(std::log10(ui.viz().session().trainer().controls().lr_g), -3.5f, 0.05f);
}

TEST(UiSliders, EverySliderDraggedToAPointGivesTheValueThatPointMeans) {
  UiDriver ui({1280, 720}, paused_config(), scratch("sliders"));
  ui.drag_slider("steps/frame", 0.5f);
  EXPECT_NEAR(ui.viz().session().trainer().controls().steps_per_frame, 32, 1);
  ui.click("k D steps per G step");
  EXPECT_TRUE(ui.viz().session().trainer().controls().schedule.alternate);
  ui.drag_slider("k", 1.0f);
  EXPECT_EQ(ui.viz().session().trainer().controls().schedule.d_steps, 10);
  ui.click("Explore");
  ui.drag_slider("t", 0.25f);
  EXPECT_NEAR(ui.viz().session().explorer().t(), 0.25f, pixel_fraction(ui, "t"));
  ui.drag_slider("t", 1.0f);
  EXPECT_FLOAT_EQ(ui.viz().session().explorer().t(), 1.0f);
  ui.drag_slider("strip", 1.0f);
  EXPECT_EQ(ui.viz().session().explorer().strip(), 32);
  ui.drag_slider("strip", 0.0f);
  EXPECT_EQ(ui.viz().session().explorer().strip(), 2);
  ui.drag_slider("speed", 1.0f);
  EXPECT_FLOAT_EQ(ui.viz().session().explorer().walk_speed(), 3.0f);
  ui.viz().wait_for_analysis();  // the directions, computed off the render thread
  ui.frames(1);
  ui.drag_slider("PC1", 0.75f);  // -3 .. 3: 0.75 of the way is +1.5
  EXPECT_NEAR(ui.viz().session().explorer().amount(0), 1.5f, 6.0f * pixel_fraction(ui, "PC1"));
  ui.drag_slider("PC2", 0.0f);
  EXPECT_FLOAT_EQ(ui.viz().session().explorer().amount(1), -3.0f);
  // The Recording panel's sliders.
  const ui::WidgetInfo title = ui.widget("Recording");
  ui.click_at(ImVec2(title.min.x + ImGui::GetStyle().FramePadding.x + ImGui::GetFontSize() * 0.5f,
                     (title.min.y + title.max.y) * 0.5f));
  ui.drag_slider("fps", 0.0f);
  EXPECT_EQ(ui.recording().settings().fps, 10);
  ui.drag_slider("quality (CRF)", 1.0f);
  EXPECT_EQ(ui.recording().settings().quality, 35);
  ui.click("canvas only");
  EXPECT_TRUE(ui.recording().settings().canvas_only);
  ui.click("size");
  ui.click("1920x1080");
  EXPECT_EQ(ui.recording().settings().canvas_size.width, 1920);
  ui.click("window");
  EXPECT_FALSE(ui.recording().settings().canvas_only);
}

TEST(UiCheckboxes, SlerpAnimateRandomWalkAndInvert) {
  UiDriver ui({1280, 720}, paused_config(), scratch("checkboxes"));
  ui.click("Explore");
  const PixelRect explorer = ui.viz().canvas().explorer;
  const Latent on_sphere = ui.viz().session().explorer().point();
  ui.click("slerp");  // off: the straight line between A and B, a different point at t = 0.5
  EXPECT_NE(ui.viz().session().explorer().point(), on_sphere);
  ui.click("animate");
  const float t = ui.viz().session().explorer().t();
  ui.frames(10);
  EXPECT_NE(ui.viz().session().explorer().t(), t) << "animate left t where it was";
  ui.click("animate");
  ui.click("random walk");
  const Latent before_walk = ui.viz().session().explorer().point();
  ui.frames(5);
  EXPECT_NE(ui.viz().session().explorer().point(), before_walk) << "the random walk stood still";
  ui.click("random walk");
  ui.click("View");
  const std::vector<uint8_t> inverted = ui.pixels(explorer);
  ui.click("invert colours");
  EXPECT_FALSE(ui.viz().inverted());
  EXPECT_TRUE(differs(inverted, ui.pixels(explorer)));
}

TEST(UiSliders, LatentDimensionSlidersSpanThePointInsteadOfPinningIt) {
  UiDriver ui({1280, 720}, paused_config(), scratch("dims"));
  ui.click("Explore");
  ui.viz().wait_for_analysis();  // the directions, computed off the render thread
  ui.frames(1);
  ui.drag_slider("PC1", 1.0f);  // +3 along the strongest direction: some coordinates leave [-1, 1]
  const Latent point = ui.viz().session().explorer().point();
  size_t outside = 0;
  for (size_t j = 0; j < point.size(); ++j) {
    if (std::abs(point[j]) > std::abs(point[outside])) outside = j;
  }
  ASSERT_GT(std::abs(point[outside]), 1.0f) << "the direction moved no coordinate outside [-1, 1]";
  ui.click("All latent dimensions");
  const std::string name = "z" + std::to_string(outside);
  // The child list scrolls; bring the slider into view with the wheel over the list.
  for (int tries = 0; tries < 40 && !(ui.has_widget(name) && ui.widget(name).visible_max.y - ui.widget(name).visible_min.y >
                                                                   ImGui::GetFrameHeight() - 1);
       ++tries) {
    const ui::WidgetInfo z0 = ui.widget("z0");
    ui.move_to(ImVec2(z0.frame_min.x + 10, z0.visible_min.y + 2));
    ImGui::GetIO().MouseWheel = -1.0f;
    ui.frames(1);
  }
  const float value = point[outside];
  ui.drag_slider(name, value > 0 ? 1.0f : 0.0f);  // the slider's end lies beyond the point, not at 1
  EXPECT_GE(std::abs(ui.viz().session().explorer().point()[outside]), std::abs(value) - 1e-3f);
}

TEST(UiButtons, PlayPauseStepsAndTheSpaceBar) {
  UiDriver ui({1280, 720}, paused_config(), scratch("buttons"));
  EXPECT_FALSE(ui.viz().session().trainer().controls().running);
  ui.click("Play (space)");
  EXPECT_TRUE(ui.viz().session().trainer().controls().running);
  ui.click("Pause (space)");
  EXPECT_FALSE(ui.viz().session().trainer().controls().running);
  ui.press_key(test::kKeySpace);
  EXPECT_TRUE(ui.viz().session().trainer().controls().running);
  ui.press_key(test::kKeySpace);
  EXPECT_FALSE(ui.viz().session().trainer().controls().running);
  settle(ui);
  const uint64_t before = ui.viz().session().trainer().status().step;
  ui.click("Step");
  settle(ui);
  EXPECT_EQ(ui.viz().session().trainer().status().step, before + 1);
  const LiveSnapshot at_step = ui.viz().session().snapshot();
  ui.click("Step D");
  settle(ui);
  EXPECT_EQ(ui.viz().session().snapshot().generator, at_step.generator) << "Step D changed the generator";
  EXPECT_NE(ui.viz().session().snapshot().discriminator, at_step.discriminator);
  const LiveSnapshot after_d = ui.viz().session().snapshot();
  ui.click("Step G");
  settle(ui);
  EXPECT_NE(ui.viz().session().snapshot().generator, after_d.generator);
  EXPECT_EQ(ui.viz().session().snapshot().discriminator, after_d.discriminator) << "Step G changed the discriminator";
}

TEST(UiButtons, ResetAsksFirstAndCanBeUndone) {
  UiDriver ui({1280, 720}, paused_config(), scratch("reset"));
  for (int i = 0; i < 3; ++i) ui.click("Step");
  settle(ui);
  const LiveSnapshot trained = ui.viz().session().snapshot();
  ASSERT_EQ(trained.step, 3u);
  ui.click("Reset weights...");
  ASSERT_TRUE(ui.has_widget("Cancel")) << "Reset weights did not ask first";
  ui.click("Cancel");
  settle(ui);
  EXPECT_EQ(ui.viz().session().snapshot().generator, trained.generator) << "Cancel reset the weights";
  ui.click("Reset weights...");
  ui.click("Reset");
  settle(ui);
  EXPECT_EQ(ui.viz().session().trainer().status().step, 0u);
  EXPECT_NE(ui.viz().session().snapshot().generator, trained.generator);
  ui.click("Undo reset");
  settle(ui);
  EXPECT_EQ(ui.viz().session().trainer().status().step, 3u);
  EXPECT_EQ(ui.viz().session().snapshot().generator, trained.generator);
  EXPECT_FALSE(ui.viz().session().trainer().status().can_undo_reset) << "one reset, one undo";
}

// A recorded walk explores a model on purpose: its panels say so, not that MNIST is missing (record
// --panels told a user with MNIST to run scripts/run.sh).
TEST(UiButtons, AWalkSaysItTrainsNothingAndAskedForNoData) {
  VizConfig config = paused_config();
  config.data_dir = "";
  config.scripted.walk = true;
  {
    UiDriver walk({1280, 720}, config, scratch("walk-note"));
    walk.frames(2);
    EXPECT_TRUE(walk.has_widget("walk note"));
    EXPECT_FALSE(walk.has_widget("no data note"));
  }
  config.scripted.walk = false;
  UiDriver exploring({1280, 720}, config, scratch("no-data-note"));
  exploring.frames(2);
  EXPECT_TRUE(exploring.has_widget("no data note"));
}

TEST(UiButtons, ExploringACheckpointCannotResetItAndShowsItsPath) {
  VizConfig config = paused_config();
  config.data_dir = "";  // explore-only
  config.checkpoint = test::assets_path("mnist-gan-20k.safetensors");
  UiDriver ui({1280, 720}, config, scratch("explore-only"));
  const LiveSnapshot before = ui.viz().session().snapshot();
  ui.click("Reset weights...");
  EXPECT_FALSE(ui.has_widget("Cancel")) << "Reset is enabled without data";
  settle(ui);
  EXPECT_EQ(ui.viz().session().snapshot().generator, before.generator);
  // The file field holds the checkpoint being explored, so Load brings it back.
  ui.click("file");
  ImGuiInputTextState* state = ImGui::GetInputTextState(ImGui::GetActiveID());
  ASSERT_NE(state, nullptr);
  std::string text(state->TextA.Data);
  EXPECT_EQ(text, config.checkpoint);
  ui.press_key(test::kKeyEscape);
}

TEST(UiButtons, SaveThenLoadThroughTheFileField) {
  const std::string dir = scratch("save");
  UiDriver ui({1280, 720}, paused_config(), dir);
  ui.click("Step");
  settle(ui);
  const LiveSnapshot saved = ui.viz().session().snapshot();
  ui.click("file");
  ui.press_key('A', /*ctrl=*/true);  // select all: what is typed replaces it
  ui.type_text(dir + "/mine.safetensors");
  ui.press_key(test::kKeyEnter);
  ui.click("Save");
  settle(ui);
  ASSERT_TRUE(fs::is_regular_file(dir + "/mine.safetensors")) << ui.viz().train_tab().visible_message();
  EXPECT_EQ(load_checkpoint(dir + "/mine.safetensors").generator.params, saved.generator);
  ui.click("Step");
  settle(ui);
  ui.click("Load");
  settle(ui);
  EXPECT_EQ(ui.viz().session().trainer().status().step, saved.step);
  EXPECT_EQ(ui.viz().session().snapshot().generator, saved.generator);
}

TEST(UiButtons, AnOldErrorGoesWhenTheUserActsOnIt) {
  UiDriver ui({1280, 720}, paused_config(), scratch("message"));
  ui.click("file");
  ui.press_key('A', /*ctrl=*/true);  // select all: what is typed replaces it
  ui.type_text("/nonexistent/x.safetensors");
  ui.press_key(test::kKeyEnter);
  ui.click("Load");
  settle(ui);
  EXPECT_NE(ui.viz().train_tab().visible_message().find("/nonexistent/x.safetensors: cannot open"), std::string::npos)
      << ui.viz().train_tab().visible_message();
  ui.click("Play (space)");
  EXPECT_EQ(ui.viz().train_tab().visible_message(), "");
  ui.click("Pause (space)");
  ui.click("Load");  // the same mistake again: a new message shows
  settle(ui);
  EXPECT_NE(ui.viz().train_tab().visible_message(), "") << ui.viz().session().trainer().status().message << " " << ui.viz().session().trainer().status().message_serial;
  ui.click("dismiss");
  EXPECT_EQ(ui.viz().train_tab().visible_message(), "");
}

// The cell of a 6 x 6 grid shown in `grid` (on screen) under a point, from the rectangle alone.
int cell_on_screen(const PixelRect& grid, ImVec2 point) {
  const float side = grid.width / 6;
  return static_cast<int>((point.y - grid.y) / side) * 6 + static_cast<int>((point.x - grid.x) / side);
}

TEST(UiCanvas, TheWheelZoomsAroundThePointerAndFitShowsTheWholeCanvas) {
  UiDriver ui({1280, 720}, paused_config(), scratch("zoom"));
  const PixelRect fitted = ui.viz().canvas().grid;
  const ImVec2 pointer = cell_centre(fitted, 6, 14);
  const std::vector<uint8_t> before = ui.pixels(fitted);
  ui.scroll(pointer, 3.0f);
  EXPECT_NEAR(ui.viz().view().zoom(), std::pow(1.15f, 3.0f), 1e-4f);
  const PixelRect zoomed = ui.viz().canvas().grid;
  EXPECT_NEAR(zoomed.width, fitted.width * ui.viz().view().zoom(), 0.01f);
  EXPECT_EQ(cell_on_screen(zoomed, pointer), 14) << "the digit under the pointer stays under it";
  EXPECT_TRUE(differs(before, ui.pixels(fitted))) << "the grid on screen is drawn larger";
  ui.scroll(pointer, -1.0f);
  EXPECT_NEAR(ui.viz().view().zoom(), std::pow(1.15f, 2.0f), 1e-4f);
  ui.press_key('F');
  EXPECT_TRUE(ui.viz().view().fitted());
  ui.move_to(ImVec2(2, 2));  // off the grid: no tooltip over it
  EXPECT_EQ(ui.pixels(fitted), before) << "fitted again, the canvas looks as before";
  ui.scroll(pointer, 2.0f);
  ui.click("View");
  ui.click("Fit canvas (F)");
  EXPECT_TRUE(ui.viz().view().fitted());
}

// Pixels of anchor A's orange on the canvas: its cell's border and its two tags.
int anchor_a_pixels(UiDriver& ui) {
  const std::vector<uint8_t> canvas = ui.pixels({0, 0, 1280 - 420, 720});
  int count = 0;
  for (size_t i = 0; i < canvas.size(); i += 4) count += canvas[i] > 230 && canvas[i + 1] > 150 && canvas[i + 1] < 190 && canvas[i + 2] < 70;
  return count;
}

TEST(UiCanvas, TheMarksKeepTheirSizeWhenTheViewZoomsOutOrPans) {
  UiDriver ui({1280, 720}, paused_config(), scratch("marks"));
  ui.move_to(ImVec2(2, 2));  // no tooltip over the grid
  const int fitted = anchor_a_pixels(ui);
  ASSERT_GT(fitted, 100) << "anchor A is marked on the grid and the strip";
  ui.scroll(cell_centre(ui.viz().canvas().grid, 6, 14), -3.0f);
  ASSERT_LT(ui.viz().view().zoom(), 0.7f);
  ui.move_to(ImVec2(2, 2));
  EXPECT_LT(anchor_a_pixels(ui), fitted * 1.2) << "zoomed out, the tags grew";
  ui.press_key('F');
  const ImVec2 start = cell_centre(ui.viz().canvas().grid, 6, 20);
  ui.drag(start, ImVec2(start.x + 150, start.y + 60));
  ui.move_to(ImVec2(2, 2));
  EXPECT_LT(anchor_a_pixels(ui), fitted * 1.2) << "panned right, the tags grew";
}

TEST(UiCanvas, ADragPansAndClicksOnAZoomedGridPickTheCellUnderThePointer) {
  UiDriver ui({1280, 720}, paused_config(), scratch("pan"));
  const PixelRect fitted = ui.viz().canvas().grid;
  ui.drag(cell_centre(fitted, 6, 0), ImVec2(cell_centre(fitted, 6, 0).x + 90, cell_centre(fitted, 6, 0).y + 40));
  EXPECT_FLOAT_EQ(ui.viz().canvas().grid.x, fitted.x + 90);
  EXPECT_FLOAT_EQ(ui.viz().canvas().grid.y, fitted.y + 40);
  EXPECT_EQ(ui.viz().session().explorer().anchor_cell(0), 0) << "a drag picks no anchor";
  ui.scroll(cell_centre(ui.viz().canvas().grid, 6, 21), 4.0f);
  const PixelRect zoomed = ui.viz().canvas().grid;
  const ImVec2 point(zoomed.x + zoomed.width * 0.62f, zoomed.y + zoomed.height * 0.55f);
  ASSERT_LT(point.x, 1280 - 420) << "the point is on the canvas, left of the panels";
  ui.click_at(point, 0);
  EXPECT_EQ(ui.viz().session().explorer().anchor_cell(0), cell_on_screen(zoomed, point));
  EXPECT_NE(ui.viz().session().explorer().anchor_cell(0), 0);
}

TEST(UiCanvas, ClicksOnGridCellsSetTheAnchorsAndTheExplorerFollows) {
  UiDriver ui({1280, 720}, paused_config(), scratch("anchors"));
  const PixelRect grid = ui.viz().canvas().grid;
  const std::vector<uint8_t> before = ui.pixels(ui.viz().canvas().explorer);
  ui.click_at(cell_centre(grid, 6, 7), 0);
  EXPECT_EQ(ui.viz().session().explorer().anchor_cell(0), 7);
  ui.click_at(cell_centre(grid, 6, 30), 1);
  EXPECT_EQ(ui.viz().session().explorer().anchor_cell(1), 30);
  ui.frames(1);
  EXPECT_TRUE(differs(before, ui.pixels(ui.viz().canvas().explorer)));
  // The anchors are marked on the grid: the cell's border takes the anchor's colour.
  const float side = grid.width / 6;
  const std::vector<uint8_t> border = ui.pixels({grid.x + side * 1 + side * 0.5f, grid.y + side * 1, 1, 1});
  EXPECT_GT(border[0], 200);  // A's orange
  EXPECT_LT(border[2], 100);
}

TEST(UiCanvas, TAndDirectionSlidersChangeTheExplorerImage) {
  UiDriver ui({1280, 720}, paused_config(), scratch("explorer"));
  ui.click("Explore");
  const PixelRect explorer = ui.viz().canvas().explorer;
  const std::vector<uint8_t> start = ui.pixels(explorer);
  ui.drag_slider("t", 0.0f);
  const std::vector<uint8_t> at_a = ui.pixels(explorer);
  EXPECT_TRUE(differs(start, at_a));
  ui.viz().wait_for_analysis();
  ui.frames(1);
  ui.drag_slider("PC1", 1.0f);
  EXPECT_TRUE(differs(at_a, ui.pixels(explorer)));
}

TEST(UiHotkeys, EscapeQuitsAndAsksFirstWhileRecording) {
  {
    UiDriver ui({640, 400}, paused_config(), scratch("esc"));
    ui.press_key(test::kKeyEscape);
    EXPECT_TRUE(ui.closed());
  }
  const std::string out = scratch("quit-recording");
  UiDriver ui({640, 400}, paused_config(), out);
  ui.press_key('R');
  ASSERT_TRUE(ui.recording().recording());
  ui.press_key('Q', /*ctrl=*/true);
  EXPECT_FALSE(ui.closed());
  ui.click("Keep recording");
  EXPECT_FALSE(ui.closed());
  EXPECT_TRUE(ui.recording().recording());
  ui.press_key(test::kKeyEscape);
  ui.click("Stop recording and quit");
  EXPECT_TRUE(ui.closed());
}

// Every control of every tab inside the window with no scrolling, at both sizes the issue names.
void expect_every_widget_visible(UiDriver& ui, const std::string& where) {
  const Size size = ui.size();
  for (const ui::WidgetInfo& w : ui::drawn_widgets()) {
    if (w.window.rfind("ganvas/dimensions", 0) == 0) continue;  // the 100 z sliders scroll in their own list
    EXPECT_TRUE(w.min.x >= 0 && w.min.y >= 0 && w.max.x <= size.width && w.max.y <= size.height)
        << where << ": '" << w.label << "' lies outside the window";
    EXPECT_TRUE(w.visible_min.x == w.min.x && w.visible_min.y == w.min.y && w.visible_max.x == w.max.x &&
                w.visible_max.y == w.max.y)
        << where << ": '" << w.label << "' needs scrolling";
  }
}

TEST(UiLayout, EveryControlIsInsideTheWindowAtBothSizes) {
  for (const Size size : {Size{1280, 720}, Size{1000, 600}}) {
    UiDriver ui(size, paused_config(), scratch("layout"));
    const std::string where = std::to_string(size.width) + "x" + std::to_string(size.height);
    ui.click("k D steps per G step");  // shows the k slider too
    expect_every_widget_visible(ui, where + " Train");
    ui.click("Explore");
    ui.click("All latent dimensions");
    expect_every_widget_visible(ui, where + " Explore");
    ui.click("View");
    const ui::WidgetInfo title = ui.widget("Recording");
    ui.click_at(ImVec2(title.min.x + ImGui::GetStyle().FramePadding.x + ImGui::GetFontSize() * 0.5f,
                       (title.min.y + title.max.y) * 0.5f));
    ui.click("canvas only");
    ui.frames(2);
    expect_every_widget_visible(ui, where + " View and Recording");
    ASSERT_TRUE(ui.has_widget("Record (R)")) << where << ": the Recording panel did not unfold";
  }
}

TEST(UiLayout, TheLayoutIsRememberedBetweenRuns) {
  const std::string dir = scratch("settings");
  const std::string file = dir + "/layout.ini";
  {
    UiDriver ui({1280, 720}, paused_config(), dir, file);
    ui.click("View");
    ui.click("invert colours");
    EXPECT_FALSE(ui.viz().inverted());
  }
  ASSERT_TRUE(fs::is_regular_file(file));
  UiDriver ui({1280, 720}, paused_config(), dir, file);
  EXPECT_EQ(ui.viz().tab(), PanelTab::kView);
  EXPECT_FALSE(ui.viz().inverted());
  EXPECT_TRUE(ui.has_widget("invert colours"));
}

TEST(UiHotkeys, EscapeClosesAnOpenListBeforeItQuits) {
  UiDriver ui({1280, 720}, paused_config(), scratch("esc-combo"));
  ui.click("View");
  ui.click("frame cap");
  ASSERT_TRUE(ui.has_widget("10 fps (training first)")) << "the list did not open";
  ui.press_key(test::kKeyEscape);
  EXPECT_FALSE(ui.closed()) << "Esc quit while a list was open";
}

TEST(UiView, TheFrameCapTradesFramesForTraining) {
  UiDriver ui({1280, 720}, paused_config(), scratch("cap"));
  ui.click("View");
  ui.click("frame cap");
  ui.click("10 fps (training first)");
  EXPECT_DOUBLE_EQ(ui.loop_controls().max_fps, 10.0);
  ui.click("frame cap");
  ui.click("display rate (smoothest)");
  EXPECT_DOUBLE_EQ(ui.loop_controls().max_fps, 0.0);
}

TEST(UiCharts, HoverShowsTheStepAndExploreOnlyShowsNoNumbers) {
  {
    UiDriver ui({1280, 720}, paused_config(), scratch("charts"));
    for (int i = 0; i < 20; ++i) ui.click("Step");
    settle(ui);
    const MetricsHistory history = ui.viz().session().trainer().history();
    ASSERT_GE(history.step.size(), 2u);
    const ui::WidgetInfo chart = ui.widget("G loss");
    ui.move_to(ImVec2(chart.max.x - 2, (chart.min.y + chart.max.y) * 0.5f));
    ASSERT_TRUE(ui.viz().train_tab().chart_hover().active);
    EXPECT_EQ(ui.viz().train_tab().chart_hover().step, history.step.back()) << "the right end is the latest step";
    EXPECT_EQ(ui.viz().train_tab().chart_hover().value, history.gen_loss.back());
    ui.move_to(ImVec2(chart.min.x + ImGui::CalcTextSize("-0.00").x + 7, (chart.min.y + chart.max.y) * 0.5f));
    EXPECT_EQ(ui.viz().train_tab().chart_hover().step, history.step.front()) << "the left end is the first step";
  }
  VizConfig config = paused_config();
  config.data_dir = "";  // exploring a checkpoint: nothing measured, nothing to hover
  UiDriver ui({1280, 720}, config, scratch("charts-explore"));
  const ui::WidgetInfo chart = ui.widget("G loss");
  ui.move_to(ImVec2((chart.min.x + chart.max.x) * 0.5f, (chart.min.y + chart.max.y) * 0.5f));
  EXPECT_FALSE(ui.viz().train_tab().chart_hover().active);
  EXPECT_TRUE(ui.viz().session().trainer().history().step.empty());
}

TEST(UiTooltips, EveryPanelControlExplainsItself) {
  UiDriver ui({1280, 720}, paused_config(), scratch("tooltips"));
  int checked = 0;
  // Charts explain themselves by their title and show a tooltip over their points only once measured.
  const std::set<std::string> charts = {"G loss", "D loss", "D(x)", "D(G(z))", "FID (lower is better)",
                                        "Digit coverage (bits; 3.32 = all ten equally)"};
  // Every widget the panel shows now, without scrolling.
  const auto check_shown = [&](const std::string& where) {
    for (const ui::WidgetInfo& w : ui::drawn_widgets()) {
      if (w.window != "ganvas" || charts.count(w.label) || w.visible_max.y <= w.visible_min.y) continue;
      ui.move_to(ImVec2((w.visible_min.x + w.visible_max.x) * 0.5f, (w.visible_min.y + w.visible_max.y) * 0.5f));
      const ImGuiWindow* tooltip = ImGui::FindWindowByName("##Tooltip_00");
      EXPECT_TRUE(tooltip && tooltip->Active) << where << ": '" << w.label << "' has no tooltip";
      ++checked;
    }
  };
  for (const char* tab : {"Train", "Explore", "View", "Insight"}) {
    ui.click(tab);
    ui.viz().wait_for_analysis();
    ui.frames(2);
    check_shown(tab);
  }
  // The Insight tab's lower sections, once the upper ones are folded.
  for (const char* section : {"Quality over training", "Real against fake", "D's landscape"}) ui.click(section);
  for (const char* section : {"One step, explained", "History"}) ui.click(section);
  ui.viz().wait_for_analysis();
  ui.frames(2);
  check_shown("Insight, lower sections");
  EXPECT_GT(checked, 45);
}

}  // namespace
}  // namespace ganvas
