// UI tests of the Insight tab, driven through the real widgets: the views follow the weights on
// screen, the overlay tints the grid, quality is judged in the background while frames go on, and
// the history exports as CSV.
#include <gtest/gtest.h>

#include <imgui_internal.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "gan/insight.h"
#include "gan/sampler.h"
#include "gan/viz/chart.h"
#include "gan/viz/insight_panel.h"
#include "tests/test_support.h"
#include "tests/ui_driver.h"

namespace ganvas {
namespace {

using test::UiDriver;

// Frames until the insight worker has answered for the weights on screen.
void views_current(UiDriver& ui) {
  for (int i = 0; i < 200; ++i) {
    ui.viz().wait_for_analysis();
    ui.frames(1);
    const auto& views = ui.viz().insight().views();
    if (views && views->version == ui.viz().snapshot().version) return;
  }
  ADD_FAILURE() << "the insight views never caught up with the weights on screen";
}

TEST(UiInsight, TheTabShowsRealAgainstFakeAndDsLandscapeForTheWeightsOnScreen) {
  UiDriver ui({1280, 720}, test::paused_config(), test::scratch("insight"));
  ui.click("Insight");
  views_current(ui);
  ASSERT_TRUE(ui.has_widget("Real training images"));
  ASSERT_TRUE(ui.has_widget("Fakes (the grid's first row)"));
  const InsightViews& views = *ui.viz().insight().views();
  const LiveSnapshot& s = ui.viz().snapshot();
  // The fakes are the grid's first row, scored by the D on screen.
  const std::vector<float>& latents = ui.viz().grid_latents();
  const std::vector<float> first_row(latents.begin(), latents.begin() + 8 * s.shape.noise);
  const std::vector<float> grid = generate_images(s.shape, s.generator, first_row, 8);
  const std::vector<float> scores = discriminator_scores(s.shape, s.discriminator, grid, 8);
  for (int i = 0; i < 8; ++i) EXPECT_NEAR(views.fake_scores[i], scores[i], 1e-5);
  EXPECT_EQ(views.landscape.scores.size(), size_t(InsightWorker::kLandscapeSide * InsightWorker::kLandscapeSide));
  EXPECT_EQ(views.real_points.size(), size_t(InsightWorker::kPoints));
  // A step moves the views on with the weights.
  const uint64_t before = views.step;
  ui.click("Train");
  ui.click("Step");
  test::settle(ui);
  ui.click("Insight");
  views_current(ui);
  EXPECT_EQ(ui.viz().insight().views()->step, before + 1);
  // Hovering the map tells D's score there.
  ui.click("Quality over training");  // folded, to bring the map into view
  ui.aim("D's landscape map");
  const ImGuiWindow* tooltip = ImGui::FindWindowByName("##Tooltip_00");
  EXPECT_TRUE(tooltip && tooltip->Active);
}

TEST(UiInsight, TheOverlayCheckboxTintsTheGridAndUntintsIt) {
  UiDriver ui({1280, 720}, test::paused_config(), test::scratch("overlay"));
  ui.click("Insight");
  for (const char* section : {"Quality over training", "Real against fake", "D's landscape"}) ui.click(section);
  views_current(ui);
  const PixelRect grid = ui.viz().grid_rect();
  const auto colour_pixels = [&] {
    int coloured = 0;
    const std::vector<uint8_t> p = ui.pixels(grid);
    for (size_t i = 0; i < p.size(); i += 4) coloured += std::abs(int(p[i]) - int(p[i + 2])) > 40;
    return coloured;
  };
  const std::vector<uint8_t> plain = ui.pixels(grid);
  const int marks = colour_pixels();  // the anchors' coloured frames
  EXPECT_LT(marks, static_cast<int>(grid.width * grid.height / 50)) << "the grid is grey without the overlay";
  ui.click("Gradient overlay on the grid");
  views_current(ui);
  ui.frames(2);
  EXPECT_TRUE(ui.viz().insight().overlay_on());
  EXPECT_GT(colour_pixels(), marks + static_cast<int>(grid.width * grid.height / 10)) << "the overlay tints the grid";
  ui.click("Gradient overlay on the grid");
  ui.frames(2);
  EXPECT_EQ(ui.pixels(grid), plain) << "off again, the grid is as it was";
}

TEST(UiInsight, QualityIsJudgedEveryNStepsWhileFramesGoOn) {
  VizConfig config = test::paused_config();
  config.train = true;
  config.steps_per_frame = 50;
  UiDriver ui({1280, 720}, config, test::scratch("quality"));
  ui.click("Insight");
  ui.drag_slider("Every N steps", 0.0f);
  EXPECT_EQ(ui.viz().insight().quality_every(), 100);
  // Frames go on while an evaluation runs: it is never computed on the render thread.
  int frames_while_judging = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(150);
  while (ui.viz().insight().quality_history().size() < 3 && std::chrono::steady_clock::now() < deadline) {
    ui.frames(1);
    frames_while_judging += ui.viz().insight().quality_pending();
  }
  const std::vector<QualityPoint>& points = ui.viz().insight().quality_history();
  ASSERT_GE(points.size(), 3u);
  EXPECT_GT(frames_while_judging, 3);
  // After the first, one evaluation per stretch of 100 steps.
  for (size_t i = 2; i < points.size(); ++i) EXPECT_GT(points[i].step / 100, points[i - 1].step / 100);
  for (const QualityPoint& p : points) {
    int total = 0;
    for (int count : p.scores.coverage.counts) total += count;
    EXPECT_EQ(total, InsightWorker::kQualitySamples);
    EXPECT_GT(p.scores.fid, 0);
  }
  ASSERT_TRUE(ui.has_widget("FID (lower is better)"));
  ASSERT_TRUE(ui.has_widget("Digit shares")) << "the histogram charted over training";
  ui.aim("Digit shares");
  const ImGuiWindow* shares_tip = ImGui::FindWindowByName("##Tooltip_00");
  EXPECT_TRUE(shares_tip && shares_tip->Active) << "hovering the shares says them";
  ui.click("Log scale");
  EXPECT_FALSE(ui.viz().insight().log_fid());
  ui.click("Judge while training");
  EXPECT_FALSE(ui.viz().insight().judging());
}

TEST(UiInsight, ExportWritesTheChartedHistoryAsCsv) {
  UiDriver ui({1280, 720}, test::paused_config(), test::scratch("export"));
  for (int i = 0; i < 5; ++i) ui.click("Step");
  test::settle(ui);
  ui.click("Insight");
  views_current(ui);  // the views arriving would move the sections below them mid-click
  for (const char* section : {"Quality over training", "Real against fake", "D's landscape"}) ui.click(section);
  ui.click("History");
  const std::string path = test::scratch("export-file") + "/history.csv";
  ui.click("CSV file");
  ui.press_key(65, true);  // ctrl+A, then the path replaces the field
  ui.type_text(path);
  ui.press_key(test::kKeyEnter);
  ui.click("Export CSV");
  std::ifstream in(path);
  ASSERT_TRUE(in) << ui.viz().insight().export_note();
  std::string header, line;
  std::getline(in, header);
  EXPECT_EQ(header.rfind("step,gen_loss,disc_loss,d_real,d_fake,fid", 0), 0u);
  int rows = 0;
  while (std::getline(in, line)) ++rows;
  const size_t charted = ui.viz().trainer().history().step.size();  // a Step clicked mid-step is not queued
  ASSERT_GE(charted, 1u);
  EXPECT_EQ(rows, static_cast<int>(charted));
  EXPECT_NE(ui.viz().insight().export_note().find("wrote " + std::to_string(charted) + " rows"), std::string::npos);
}

TEST(UiInsight, OneStepExplainedWalksThroughAFrozenStepStageByStage) {
  UiDriver ui({1280, 720}, test::paused_config(), test::scratch("step-graph"));
  ui.click("Insight");
  for (const char* section : {"Quality over training", "Real against fake", "D's landscape", "What G is told"}) {
    ui.click(section);
  }
  ui.click("One step, explained");
  views_current(ui);
  const StepGraph& graph = ui.viz().insight().step_graph();
  ASSERT_TRUE(graph.has_step());
  EXPECT_EQ(graph.shown().metrics.gen_loss, ui.viz().insight().views()->explained.metrics.gen_loss);
  EXPECT_EQ(graph.shown_step(), ui.viz().snapshot().step);
  ui.click("Play on its own");  // the test moves the walk on by hand
  ui.click("Walk through one step");
  EXPECT_TRUE(graph.walking());
  EXPECT_EQ(graph.stage(), 0);
  const uint64_t frozen = graph.shown_step();
  // Training goes on; the walk keeps showing the step it froze.
  ui.click("Train");
  ui.click("Step");
  test::settle(ui);
  ui.click("Insight");
  views_current(ui);
  EXPECT_EQ(graph.shown_step(), frozen);
  for (int stage = 1; stage < StepGraph::kStages; ++stage) {
    ui.click("Next stage");
    EXPECT_EQ(graph.stage(), stage);
  }
  ui.aim("Step graph");
  const ImGuiWindow* tooltip = ImGui::FindWindowByName("##Tooltip_00");
  EXPECT_TRUE(tooltip && tooltip->Active) << "a node explains itself under the pointer";
  ui.click("Next stage");  // past the last stage the walk ends and live steps show again
  EXPECT_FALSE(graph.walking());
  ui.viz().wait_for_analysis();
  ui.frames(30);
  views_current(ui);
  EXPECT_EQ(graph.shown_step(), frozen + 1);
}

// A history offered 10,000 points keeps at most its capacity, evenly spread over all of them, with
// the latest always last.
TEST(ChartHistory, KeepsAtMostItsCapacityEvenlySpreadWithTheLatestLast) {
  ChartHistory<int> history(16);
  for (int i = 0; i < 10000; ++i) {
    history.add(i);
    ASSERT_LE(history.size(), 16u);
    ASSERT_EQ(history.back(), i);
  }
  const std::vector<int>& kept = history.points();
  ASSERT_GE(kept.size(), 8u);
  EXPECT_EQ(kept.front(), 0);
  const int stride = kept[1] - kept[0];
  for (size_t i = 1; i + 1 < kept.size(); ++i) EXPECT_EQ(kept[i] - kept[i - 1], stride);
  EXPECT_LE(kept.back() - kept[kept.size() - 2], stride);
  history.clear();
  history.add(7);
  EXPECT_EQ(history.points(), std::vector<int>{7});
  // Points holding memory of their own come through the thinning whole.
  ChartHistory<std::vector<int>> vectors(4);
  for (int i = 0; i < 100; ++i) vectors.add(std::vector<int>(3, i));
  for (const std::vector<int>& v : vectors.points()) EXPECT_EQ(v.size(), 3u);
}

// A window left open with training on judges quality every N steps and computes the views many
// times a minute: the panel keeps no more of either than its capacity (each point kept once cost
// memory, and each quality point a band of the digit-shares chart in every frame, for good).
TEST(UiInsight, TheHistoriesStayBoundedHoweverLongTrainingRuns) {
  constexpr size_t kCapacity = 4;
  InsightPanel panel(test::mnist_dir(), DatasetKind::kMnist, kCapacity);
  ModelShape shape;
  shape.hidden = shape.disc_hidden = 32;
  const GanState state = initial_state(shape, 3);
  const std::vector<float> grid_latents = model_latents(shape, 1, 4);
  constexpr uint64_t kSnapshots = 12;
  for (uint64_t i = 1; i <= kSnapshots + 1; ++i) {  // the last takes in the results of the one before
    auto snapshot = std::make_shared<LiveSnapshot>();
    snapshot->version = i;
    snapshot->step = i * 1000;
    snapshot->shape = shape;
    snapshot->recipe = state.recipe;
    snapshot->generator = state.generator.params;
    snapshot->discriminator = state.discriminator.params;
    panel.update(snapshot, grid_latents, 0, static_cast<double>(i), true, i <= kSnapshots);
    panel.wait_idle();
  }
  const std::vector<QualityPoint>& points = panel.quality_history();
  EXPECT_LE(points.size(), kCapacity);
  EXPECT_LE(panel.norm_history_size(), kCapacity);
  ASSERT_GE(points.size(), 2u);
  EXPECT_EQ(points.front().step, 1000u) << "the first evaluation stays on the chart";
  EXPECT_EQ(points.back().step, kSnapshots * 1000) << "so does the latest";
  for (size_t i = 1; i < points.size(); ++i) EXPECT_GT(points[i].step, points[i - 1].step);
  for (const QualityPoint& p : points) {  // the points kept are whole
    int total = 0;
    for (int count : p.scores.coverage.counts) total += count;
    EXPECT_EQ(total, InsightWorker::kQualitySamples) << "at step " << p.step;
  }
}

}  // namespace
}  // namespace ganvas
