// UI tests of what a student trips on: the Shortcuts window, chart points of Step D and Step G,
// Undo load, and step-graph captions that say what the run does.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "gan/viz/shortcuts.h"
#include "gan/viz/step_graph.h"
#include "tests/test_support.h"
#include "tests/ui_driver.h"

namespace ganvas {
namespace {

using test::UiDriver;

constexpr int kKeyF1 = 290;  // GLFW_KEY_F1

// Whether the latest frame drew a widget labelled `label` in the window of the list's Close button.
bool in_list(UiDriver& ui, const std::string& label) {
  const ui::WidgetInfo close = ui.widget("Close");
  for (const ui::WidgetInfo& w : ui::drawn_widgets()) {
    if (w.label == label && w.window == close.window) return true;
  }
  return false;
}

TEST(UiShortcuts, F1OrTheQuestionMarkOpensTheListAndF1EscOrCloseClosesIt) {
  UiDriver ui({1280, 720}, test::paused_config(), test::scratch("shortcuts"));
  EXPECT_FALSE(ui.has_widget("Close"));
  ui.press_key(kKeyF1);
  ASSERT_TRUE(ui.viz().shortcuts_open());
  ASSERT_TRUE(ui.has_widget("Close")) << "F1 drew no Shortcuts list";
  // Every key and mouse action of the window is listed, in the list's window.
  for (const char* keys : {"Space", "F", "R", "F1", "Esc", "Ctrl+Q", "wheel", "left drag", "left click a grid cell",
                           "right click a grid cell", "rest on a grid cell"}) {
    EXPECT_TRUE(in_list(ui, keys)) << keys << " is not in the list";
  }
  ui.press_key(kKeyF1);
  EXPECT_FALSE(ui.viz().shortcuts_open());
  EXPECT_FALSE(ui.has_widget("Close")) << "F1 again left the list open";
  ui.click("?");
  ASSERT_TRUE(ui.has_widget("Close")) << "the ? button drew no Shortcuts list";
  ui.click("Close");
  EXPECT_FALSE(ui.viz().shortcuts_open());
  EXPECT_FALSE(ui.has_widget("Close"));
  ui.press_key(kKeyF1);
  ASSERT_TRUE(ui.has_widget("Close"));
  ui.press_key(test::kKeyEscape);
  EXPECT_FALSE(ui.has_widget("Close")) << "Esc left the list open";
  EXPECT_FALSE(ui.closed()) << "the Esc that closed the list quit the window";
}

// Charts keep one point per `stride` steps once they hold many; a step taken by hand shows all the
// same, as the latest point.
TEST(UiStepCharts, StepDAndStepGEachAddAChartPointAfterLongTraining) {
  UiDriver ui({1280, 720}, test::paused_config(), test::scratch("step-charts"));
  LiveTrainer& trainer = ui.viz().session().trainer();
  // Enough published steps that the charts thin out, up to a step that falls between two of their points.
  for (;;) {
    const MetricsHistory history = trainer.history();
    if (history.stride > 1 && trainer.status().step < history.next_step) break;
    trainer.request_steps(1, Update::kBoth);
    trainer.wait_idle();
  }
  ui.frames(2);
  for (const char* button : {"Step D", "Step G", "Step"}) {
    ui.click(button);
    test::settle(ui);
    const MetricsHistory history = trainer.history();
    ASSERT_FALSE(history.step.empty());
    EXPECT_EQ(history.step.back(), static_cast<float>(trainer.status().step - 1))
        << button << " added no chart point for its step";
  }
}

TEST(UiUndoLoad, LoadThenUndoLoadBringsBackTheStepWeightsAndCharts) {
  const std::string dir = test::scratch("undo-load");
  UiDriver ui({1280, 720}, test::paused_config(), dir);
  ui.click("file");
  ui.press_key('A', /*ctrl=*/true);  // select all: what is typed replaces it
  ui.type_text(test::assets_path("mnist-gan-20k.safetensors"));
  ui.press_key(test::kKeyEnter);
  for (int i = 0; i < 3; ++i) ui.click("Step");
  test::settle(ui);
  const LiveSnapshot before = ui.viz().session().snapshot();
  const MetricsHistory charted = ui.viz().session().trainer().history();
  ASSERT_EQ(before.step, 3u);
  EXPECT_FALSE(ui.has_widget("Undo load"));
  ui.click("Load");
  test::settle(ui);
  ASSERT_EQ(ui.viz().session().trainer().status().step, 20000u) << ui.viz().train_tab().visible_message();
  ASSERT_TRUE(ui.has_widget("Undo load")) << "Load offers no undo";
  ui.click("Undo load");
  test::settle(ui);
  EXPECT_EQ(ui.viz().session().trainer().status().step, 3u);
  EXPECT_EQ(ui.viz().session().snapshot().generator, before.generator);
  EXPECT_EQ(ui.viz().session().snapshot().discriminator, before.discriminator);
  EXPECT_EQ(ui.viz().session().trainer().history().step, charted.step) << "the charts from before the load";
  EXPECT_FALSE(ui.viz().session().trainer().status().can_undo_load) << "one load, one undo";
  ui.click("Step");  // training goes on from the step before the load
  test::settle(ui);
  EXPECT_EQ(ui.viz().session().trainer().status().step, 4u);
}

TEST(UiStepGraph, CaptionsSayWhatTheRunDoes) {
  ModelShape shape;
  shape.hidden = shape.disc_hidden = 64;
  shape.hidden_layers = 2;
  shape.activation = Activation::kLeakyRelu;
  StepRun run;
  run.recipe.loss = Loss::kHinge;
  run.schedule = {true, 8};
  std::string all;
  for (int stage = 0; stage < StepGraph::kStages; ++stage) all += stage_caption(stage, shape, run) + "\n";
  EXPECT_NE(all.find("100-64-64-784"), std::string::npos) << all;
  EXPECT_NE(all.find("784-64-64-1"), std::string::npos) << all;
  EXPECT_NE(all.find("leaky ReLU"), std::string::npos) << all;
  EXPECT_EQ(all.find("(ReLU)"), std::string::npos) << all;
  EXPECT_NE(all.find("Hinge loss"), std::string::npos) << all;
  EXPECT_EQ(all.find("-log D(G(z))"), std::string::npos) << "the tutorial's loss for a hinge run: " << all;
  const std::string updates = stage_caption(StepGraph::kStages - 1, shape, run);
  EXPECT_NE(updates.find("8 D steps"), std::string::npos) << updates;
  EXPECT_NE(updates.find("same weights"), std::string::npos) << updates;
  EXPECT_EQ(updates.find("simultaneous"), std::string::npos) << updates;
  // The tutorial's run says so.
  const std::string tutorial = stage_caption(StepGraph::kStages - 1, ModelShape{}, StepRun{});
  EXPECT_NE(tutorial.find("simultaneous"), std::string::npos) << tutorial;
  EXPECT_NE(stage_caption(1, ModelShape{}, StepRun{}).find("100-256-784, ReLU"), std::string::npos);
}

}  // namespace
}  // namespace ganvas
