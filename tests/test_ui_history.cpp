// UI tests of one run's history: what the Insight tab charts and exports belongs to the weights on
// screen. After a Load, the quality scores of the model before are neither charted with the loaded
// model's nor written to the same CSV; Undo load brings them back.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <string>
#include <vector>

#include "tests/test_support.h"
#include "tests/ui_driver.h"

namespace ganvas {
namespace {

using test::UiDriver;

// Frames (training on) until the run's history holds `count` quality points, or two minutes pass.
void frames_until_judged(UiDriver& ui, size_t count) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (ui.viz().session().history().quality().size() < count && std::chrono::steady_clock::now() < deadline) {
    ui.frames(1);
  }
  ASSERT_GE(ui.viz().session().history().quality().size(), count) << "quality judged every 100 steps";
}

void type_into(UiDriver& ui, const std::string& field, const std::string& text) {
  ui.click(field);
  ui.press_key('A', /*ctrl=*/true);  // select all: what is typed replaces it
  ui.type_text(text);
  ui.press_key(test::kKeyEnter);
}

// The step column of the CSV that Export CSV wrote to `path`.
std::vector<uint64_t> exported_steps(UiDriver& ui, const std::string& path) {
  ui.click("Export CSV");
  std::ifstream in(path);
  EXPECT_TRUE(in) << ui.viz().insight().export_note();
  std::vector<uint64_t> steps;
  std::string line;
  std::getline(in, line);  // the header
  while (std::getline(in, line)) steps.push_back(std::stoull(line.substr(0, line.find(','))));
  return steps;
}

TEST(UiHistory, AfterLoadTheChartsAndTheCsvHoldTheLoadedWeightsHistoryAlone) {
  const std::string dir = test::scratch("history-load");
  VizConfig config = test::paused_config();
  config.train = true;
  config.steps_per_frame = 50;
  UiDriver ui({1280, 720}, config, dir);
  ui.click("Insight");
  ui.drag_slider("Every N steps", 0.0f);  // 100
  ASSERT_NO_FATAL_FAILURE(frames_until_judged(ui, 2));
  const std::vector<QualityPoint> before = ui.viz().session().history().quality();
  const uint64_t trained_to = ui.viz().session().snapshot().step;
  ASSERT_LT(trained_to, 20000u);

  ui.click("Train");
  ui.click("Pause (space)");
  type_into(ui, "file", test::assets_path("mnist-gan-20k.safetensors"));
  ui.click("Load");
  test::settle(ui);
  ui.frames(2);
  ASSERT_EQ(ui.viz().session().snapshot().step, 20000u) << ui.viz().train_tab().visible_message();
  EXPECT_TRUE(ui.viz().session().history().quality().empty()) << "the model before's scores are not the loaded one's";
  EXPECT_TRUE(ui.viz().session().trainer().history().step.empty()) << "nor are its losses";

  ui.click("Play (space)");
  ASSERT_NO_FATAL_FAILURE(frames_until_judged(ui, 1));
  for (const QualityPoint& p : ui.viz().session().history().quality()) {
    EXPECT_GE(p.step, 20000u) << "a score charted after the load belongs to the loaded weights";
  }
  ui.click("Pause (space)");
  test::settle(ui);
  ui.frames(2);
  ui.click("Insight");
  for (const char* section : {"Quality over training", "Real against fake", "D's landscape"}) ui.click(section);  // fold
  ui.click("History");
  const std::string csv = dir + "/history.csv";
  type_into(ui, "CSV file", csv);
  const std::vector<uint64_t> steps = exported_steps(ui, csv);
  ASSERT_FALSE(steps.empty());
  for (uint64_t step : steps) EXPECT_GE(step, 20000u) << "no row of the model trained before the load";

  ui.click("Train");
  ui.click("Undo load");
  test::settle(ui);
  ui.frames(2);
  const std::vector<QualityPoint>& back = ui.viz().session().history().quality();
  ASSERT_EQ(back.size(), before.size()) << "Undo load brings the history before back with the weights";
  for (size_t i = 0; i < back.size(); ++i) EXPECT_EQ(back[i].step, before[i].step);
  EXPECT_GE(ui.viz().session().snapshot().step, trained_to);
}

}  // namespace
}  // namespace ganvas
