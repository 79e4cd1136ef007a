// UI tests of a conditional model in the visualizer, through the real widgets: a row per digit,
// one digit everywhere, and anchors that ask for different digits so the strip morphs between them.
#include <gtest/gtest.h>

#include <imgui_internal.h>

#include "gan/io/checkpoint.h"
#include "gan/model/sampler.h"
#include "gan/viz/insight_worker.h"
#include "tests/test_support.h"
#include "tests/ui_driver.h"

namespace ganvas {
namespace {

using test::UiDriver;

// A conditional model's checkpoint (fresh weights: the widgets' effects are on the latents).
std::string conditional_checkpoint(const std::string& dir) {
  ModelShape shape;
  shape.classes = 10;
  shape.hidden = shape.disc_hidden = 64;
  const std::string path = dir + "/conditional.safetensors";
  save_checkpoint(path, initial_state(shape, 3));
  return path;
}

std::vector<int> grid_digits(GanVisualizer& viz) {
  const ModelShape& shape = viz.session().snapshot().shape;
  const std::vector<float>& latents = viz.session().grid_latents();
  std::vector<int> digits;
  for (size_t at = 0; at < latents.size(); at += static_cast<size_t>(shape.latent())) {
    digits.push_back(latent_digit(shape, latents.data() + at));
  }
  return digits;
}

TEST(UiConditional, TheGridShowsARowPerDigitOrOneDigitAndAnchorsMorphBetweenDigits) {
  const std::string dir = test::scratch("conditional");
  VizConfig config = test::paused_config();
  config.checkpoint = conditional_checkpoint(dir);
  UiDriver ui({1280, 720}, config, dir);
  const std::vector<int> rows = grid_digits(ui.viz());
  ASSERT_EQ(rows.size(), 100u) << "a conditional model's grid has a row for each of its ten digits";
  for (size_t cell = 0; cell < rows.size(); ++cell) EXPECT_EQ(rows[cell], static_cast<int>(cell / 10));
  ui.click("Explore");
  ui.click("grid digits");
  ui.click("3");
  EXPECT_EQ(ui.viz().session().grid_digit(), 3);
  for (int digit : grid_digits(ui.viz())) EXPECT_EQ(digit, 3);
  ui.click("B's digit");
  ui.click("7");
  const ModelShape& shape = ui.viz().session().snapshot().shape;
  EXPECT_EQ(latent_digit(shape, ui.viz().session().explorer().anchor(1).data()), 7);
  // Halfway along the straight path the condition is half one digit, half the other.
  const int a_digit = latent_digit(shape, ui.viz().session().explorer().anchor(0).data());
  ASSERT_NE(a_digit, 7);
  ui.click("slerp");
  ui.drag_slider("t", 0.5f);
  const Latent& point = ui.viz().session().explorer().point();
  EXPECT_NEAR(point[static_cast<size_t>(shape.noise + 7)], 0.5f, 0.02f);
  EXPECT_NEAR(point[static_cast<size_t>(shape.noise + a_digit)], 0.5f, 0.02f);
  ui.click("grid digits");
  ui.click("a row per digit");
  EXPECT_EQ(grid_digits(ui.viz())[95], 9);
}

// Frames until the insight views answer for the weights on screen and `digit`'s landscape.
const InsightViews& landscape_of(UiDriver& ui, int digit) {
  for (int i = 0; i < 200; ++i) {
    ui.viz().wait_for_analysis();
    ui.frames(1);
    const auto& views = ui.viz().insight().views();
    if (views && views->version == ui.viz().session().snapshot().version && views->landscape_digit == digit) return *views;
  }
  ADD_FAILURE() << "no landscape of digit " << digit << " came";
  return *ui.viz().insight().views();
}

TEST(UiConditional, DsLandscapeIsDrawnForTheDigitPickedAndRedrawnForAnother) {
  const std::string dir = test::scratch("conditional-landscape");
  VizConfig config = test::paused_config();
  config.checkpoint = conditional_checkpoint(dir);
  UiDriver ui({1280, 720}, config, dir);
  ui.click("Insight");
  ui.click("Quality over training");  // folded, to bring the landscape into view
  ui.click("Real against fake");
  const std::vector<float> zeros = landscape_of(ui, 0).landscape.scores;
  ASSERT_EQ(zeros.size(), size_t(InsightWorker::kLandscapeSide * InsightWorker::kLandscapeSide));
  ui.click("landscape digit");
  ui.click("8");
  const InsightViews& eights = landscape_of(ui, 8);
  EXPECT_NE(eights.landscape.scores, zeros) << "D judges the plane as 8s now, not as 0s";
  EXPECT_EQ(eights.fake_points.size(), size_t(InsightWorker::kPoints));
  EXPECT_FALSE(eights.real_points.empty()) << "real 8s on the plane";
  ui.aim("D's landscape map");
  const ImGuiWindow* tooltip = ImGui::FindWindowByName("##Tooltip_00");
  EXPECT_TRUE(tooltip && tooltip->Active) << "the map is drawn and answers the mouse";
}

TEST(UiConditional, LoadTakesACheckpointOfAnotherModelAndTrainsIt) {
  const std::string dir = test::scratch("load-other-model");
  UiDriver ui({1280, 720}, test::paused_config(), dir);
  ASSERT_FALSE(ui.viz().session().snapshot().shape.conditional());
  ui.click("file");
  ui.press_key('A', /*ctrl=*/true);  // select all: what is typed replaces it
  ui.type_text(conditional_checkpoint(dir));
  ui.press_key(test::kKeyEnter);
  ui.click("Load");
  test::settle(ui);
  ui.frames(3);
  EXPECT_TRUE(ui.viz().session().snapshot().shape.conditional()) << ui.viz().train_tab().visible_message();
  EXPECT_EQ(ui.viz().session().snapshot().shape.hidden, 64);
  EXPECT_EQ(ui.viz().session().grid_latents().size(), size_t(100 * ui.viz().session().snapshot().shape.latent())) << "a row per digit";
  ui.click("Step");
  test::settle(ui);
  EXPECT_EQ(ui.viz().session().trainer().status().step, 1u) << "the loaded model trains";
  ui.click("file");
  ui.press_key('A', /*ctrl=*/true);
  ui.type_text(test::assets_path("mnist-gan-20k.safetensors"));
  ui.press_key(test::kKeyEnter);
  ui.click("Load");
  test::settle(ui);
  ui.frames(3);
  EXPECT_FALSE(ui.viz().session().snapshot().shape.conditional()) << ui.viz().train_tab().visible_message();
  EXPECT_EQ(ui.viz().session().trainer().status().step, 20000u);
}

TEST(UiConditional, ResetWithAPresetOrALossTrainsAnotherModelFromFreshWeights) {
  const std::string dir = test::scratch("reset-model");
  UiDriver ui({1280, 720}, test::paused_config(), dir);
  ASSERT_FALSE(ui.viz().session().snapshot().shape.conditional());
  ui.click("Reset weights...");
  const ui::WidgetInfo model = ui.widget("model");
  const ui::WidgetInfo loss = ui.widget("loss");
  ui.click("model");
  ui.click("clean-digits");
  ui.frames(2);
  EXPECT_EQ(ui.widget("model").frame_min.y, model.frame_min.y) << "the prompt moved when its lines changed";
  EXPECT_EQ(ui.widget("loss").frame_min.y, loss.frame_min.y) << "another model's lines moved the loss combo";
  ui.click("Reset");
  test::settle(ui);
  ui.frames(3);
  const LiveSnapshot& conditional = ui.viz().session().snapshot();
  EXPECT_TRUE(conditional.shape.conditional());
  EXPECT_EQ(conditional.shape.hidden, 512);
  EXPECT_EQ(conditional.shape.hidden_layers, 2);
  EXPECT_EQ(conditional.step, 0u);
  EXPECT_EQ(ui.viz().session().grid_latents().size(), size_t(100 * conditional.shape.latent())) << "a row per digit";
  for (int i = 0; i < 3; ++i) ui.click("Step");  // the new model trains
  test::settle(ui);
  EXPECT_EQ(ui.viz().session().trainer().status().step, 3u);
  EXPECT_FALSE(ui.viz().session().trainer().status().can_undo_reset) << "no undo across a change of model";
  ui.click("Reset weights...");
  ui.click("model");
  ui.click("tutorial");
  ui.click("loss");
  ui.click("hinge");
  ui.click("Reset");
  test::settle(ui);
  ui.frames(3);
  EXPECT_FALSE(ui.viz().session().snapshot().shape.conditional());
  EXPECT_EQ(ui.viz().session().snapshot().recipe.loss, Loss::kHinge);
  EXPECT_EQ(ui.viz().session().grid_latents().size(), size_t(36 * 100));
  ui.click("Step");
  test::settle(ui);
  EXPECT_EQ(ui.viz().session().trainer().status().step, 1u);
}

}  // namespace
}  // namespace ganvas
