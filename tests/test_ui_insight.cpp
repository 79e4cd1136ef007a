// UI tests of the Insight tab, driven through the real widgets: the views follow the weights on
// screen, the overlay tints the grid, quality is judged in the background while frames go on, and
// the history exports as CSV.
#include <gtest/gtest.h>

#include <imgui_internal.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <vector>

#include "gan/eval/bundled_classifier.h"
#include "gan/io/checkpoint.h"
#include "gan/io/dataset.h"
#include "gan/math/gan_math.h"
#include "gan/eval/insight.h"
#include "gan/eval/quality.h"
#include "gan/model/sampler.h"
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
    if (views && views->version == ui.viz().session().snapshot().version) return;
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
  const LiveSnapshot& s = ui.viz().session().snapshot();
  // The fakes are the grid's first row, scored by the D on screen.
  const std::vector<float>& latents = ui.viz().session().grid_latents();
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

// The dots on D's landscape: where each image falls on the plane, and D's score of that image itself
// (the background under a dot is D's score of the plane's own image there, which may differ).
TEST(InsightLandscape, ScoredPointsAreTheProjectionsAndDsScoresOfTheImagesThemselves) {
  const GanState state = load_checkpoint(test::assets_path("mnist-gan-20k.safetensors"));
  const ImageSet images = first_images(load_training_set(DatasetKind::kMnist, test::mnist_dir(), false), 500);
  const DataPlane plane = data_plane(images, 500);
  constexpr int kImages = 16;
  std::vector<float> unit(static_cast<size_t>(kImages) * images.pixels_per_image());
  for (size_t i = 0; i < unit.size(); ++i) unit[i] = pixel_to_unit(images.pixels[i]);
  const ScoredPoints scored = scored_plane_points(plane, state.shape, state.discriminator.params, unit, kImages);
  const std::vector<float> scores = discriminator_scores(state.shape, state.discriminator.params, unit, kImages);
  const auto projected = project(plane, unit.data(), kImages);
  ASSERT_EQ(scored.scores.size(), size_t(kImages));
  for (int i = 0; i < kImages; ++i) {
    EXPECT_NEAR(scored.scores[i], scores[i], 1e-6);
    EXPECT_NEAR(scored.points[i][0], projected[i][0] / plane.spread1, 1e-5);
    EXPECT_NEAR(scored.points[i][1], projected[i][1] / plane.spread2, 1e-5);
  }
}

TEST(UiInsight, TheLandscapesDotsShowDsScoreOfTheirOwnImagesWithAxesScaleAndCaption) {
  UiDriver ui({1280, 720}, test::paused_config(), test::scratch("landscape-dots"));
  ui.click("Insight");
  ui.click("Quality over training");  // folded, to bring the map into view
  views_current(ui);
  const InsightViews& views = *ui.viz().insight().views();
  const LiveSnapshot& s = ui.viz().session().snapshot();
  // The reals are the kept training images from the views' rotation on; the fakes come from the
  // views' own latents.
  const ImageSet kept = first_images(load_training_set(DatasetKind::kMnist, test::mnist_dir(), false), 4096);
  const int n = InsightWorker::kPoints, dim = kept.pixels_per_image();
  std::vector<float> reals(static_cast<size_t>(n) * dim);
  for (int r = 0; r < n; ++r) {
    const uint8_t* image = kept.image(static_cast<int>((s.version * InsightWorker::kStripImages + r) % kept.count));
    for (int i = 0; i < dim; ++i) reals[static_cast<size_t>(r) * dim + i] = pixel_to_unit(image[i]);
  }
  const std::vector<float> real_scores = discriminator_scores(s.shape, s.discriminator, reals, n);
  const std::vector<float> fakes = generate_images(s.shape, s.generator, model_latents(s.shape, s.version, n, {0}), n);
  const std::vector<float> fake_scores = discriminator_scores(s.shape, s.discriminator, fakes, n);
  ASSERT_EQ(views.real_point_scores.size(), size_t(n));
  ASSERT_EQ(views.fake_point_scores.size(), size_t(n));
  for (int i = 0; i < n; ++i) {
    EXPECT_NEAR(views.real_point_scores[i], real_scores[i], 1e-5) << "real image " << i;
    EXPECT_NEAR(views.fake_point_scores[i], fake_scores[i], 1e-5) << "fake " << i;
  }
  // The map says what it shows: its caption, both axes and the colour scale are drawn in view.
  for (const char* part : {"Landscape caption", "PC1 axis", "PC2 axis", "D's landscape map", "Landscape colour scale"}) {
    ASSERT_TRUE(ui.has_widget(part)) << part;
    const ui::WidgetInfo w = ui.widget(part);
    EXPECT_GT(w.max.x - w.min.x, 10.0f) << part;
    EXPECT_EQ(w.visible_max.y, w.max.y) << part << " is below the fold";
  }
  ui.click("Real against fake");  // folded: the folded Recording window may cover the panel's bottom edge
  ui.aim("Landscape colour scale");
  const ImGuiWindow* tooltip = ImGui::FindWindowByName("##Tooltip_00");
  EXPECT_TRUE(tooltip && tooltip->Active) << "the scale says what its colours mean";
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

// Judges each evaluation of the Insight tab again, with a judge of the test's own, on G's weights of
// the frame that asked for it: the weights of every frame drawn since the watch began are kept, by
// step, until an evaluation past them arrives.
class EvaluationWatch {
 public:
  explicit EvaluationWatch(UiDriver& ui)
      : ui_(ui),
        shape_(ui.viz().session().snapshot().shape),
        judge_(bundled_classifier(), load_labelled_images(test_files(DatasetKind::kMnist, test::mnist_dir()))) {
    keep_drawn();
    watched_from_ = drawn_.begin()->first;
  }

  QualityScores judged(const std::vector<float>& generator) const {
    return judge_.judge_generator(shape_, generator, 0, InsightWorker::kQualitySamples);
  }
  const ModelShape& shape() const { return shape_; }
  size_t rejudged() const { return rejudged_; }

  // After each frame: keeps its weights, and judges the evaluations that arrived with it again.
  void frame_drawn() {
    keep_drawn();
    const std::vector<QualityPoint>& points = ui_.viz().session().history().quality();
    for (; seen_ < points.size(); ++seen_) {
      const QualityPoint& p = points[seen_];
      if (p.step < watched_from_) continue;  // asked for before the watch began
      const auto weights = drawn_.find(p.step);
      ASSERT_NE(weights, drawn_.end()) << "evaluation " << seen_ << " is of step " << p.step << ", which no frame drew";
      const QualityScores again = judged(weights->second);
      // The same code on the same weights: equal but for rounding (another seed's latents: 1e-4 apart).
      EXPECT_NEAR(p.scores.fid, again.fid, 1e-6 * again.fid) << "evaluation " << seen_ << " at step " << p.step;
      EXPECT_NEAR(p.scores.inception_score, again.inception_score, 1e-6 * again.inception_score);
      EXPECT_EQ(p.scores.coverage.counts, again.coverage.counts) << "evaluation " << seen_;
      std::printf("evaluation %zu at step %llu: FID %.9g, judged again %.9g\n", seen_,
                  static_cast<unsigned long long>(p.step), p.scores.fid, again.fid);
      ++rejudged_;
      drawn_.erase(drawn_.begin(), drawn_.upper_bound(p.step));  // no later evaluation judges these
    }
  }

 private:
  void keep_drawn() { drawn_.try_emplace(ui_.viz().session().snapshot().step, ui_.viz().session().snapshot().generator); }

  UiDriver& ui_;
  ModelShape shape_;
  QualityJudge judge_;
  std::map<uint64_t, std::vector<float>> drawn_;
  uint64_t watched_from_ = 0;
  size_t seen_ = 0, rejudged_ = 0;
};

// Every evaluation judges the weights at its step (EvaluationWatch). Evaluations come once per
// stretch of 100 steps, never on the render thread, and past the first hundred steps every FID is
// well below the untrained model's (426 for the tutorial's first weights; about 300 after 100 to 400
// steps).
TEST(UiInsight, QualityIsJudgedEveryNStepsWhileFramesGoOn) {
  VizConfig config = test::paused_config();
  config.train = true;
  config.steps_per_frame = 50;
  UiDriver ui({1280, 720}, config, test::scratch("quality"));
  ui.click("Insight");
  ui.drag_slider("Every N steps", 0.0f);
  EXPECT_EQ(ui.viz().insight().quality_every(), 100);
  EvaluationWatch watch(ui);
  const double untrained_fid = watch.judged(initial_state(watch.shape(), config.seed).generator.params).fid;
  // Frames go on while an evaluation runs: it is never computed on the render thread.
  int frames_while_judging = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(150);
  while (ui.viz().session().history().quality().size() < 4 && std::chrono::steady_clock::now() < deadline) {
    ui.frames(1);
    frames_while_judging += ui.viz().insight().quality_pending();
    ASSERT_NO_FATAL_FAILURE(watch.frame_drawn());
  }
  const std::vector<QualityPoint>& points = ui.viz().session().history().quality();
  ASSERT_GE(points.size(), 4u);
  EXPECT_GE(watch.rejudged(), 3u) << "evaluations asked for while the test watched";
  EXPECT_GT(frames_while_judging, 3);
  // After the first, one evaluation per stretch of 100 steps.
  for (size_t i = 2; i < points.size(); ++i) EXPECT_GT(points[i].step / 100, points[i - 1].step / 100);
  for (const QualityPoint& p : points) {
    int total = 0;
    for (int count : p.scores.coverage.counts) total += count;
    EXPECT_EQ(total, InsightWorker::kQualitySamples);
    EXPECT_TRUE(std::isfinite(p.scores.fid) && p.scores.fid > 0) << p.scores.fid;
    if (p.step >= 100) {
      EXPECT_LT(p.scores.fid, 0.9 * untrained_fid) << "step " << p.step << ": trained weights judged";
    }
    std::printf("FID %.1f at step %llu (untrained: %.1f)\n", p.scores.fid, static_cast<unsigned long long>(p.step),
                untrained_fid);
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

// Every item of the tab drawn in the latest frame ends inside the panel: none is clipped at its
// right edge. ImGui counts each item's extent, text included, in the window's CursorMaxPos.
void expect_tab_fits(UiDriver& ui) {
  const ImGuiWindow* panel = ImGui::FindWindowByName("ganvas");
  ASSERT_TRUE(panel);
  const float right = panel->InnerClipRect.Max.x + 0.5f;  // where ImGui clips what the panel draws
  EXPECT_LE(panel->DC.CursorMaxPos.x, right) << "at " << ui.size().width << "x" << ui.size().height
                                             << ", something in the tab is wider than the panel";
  for (const ui::WidgetInfo& w : ui::drawn_widgets()) {
    if (w.window != "ganvas") continue;
    EXPECT_LE(w.max.x, right) << "'" << w.label << "' at " << ui.size().width;
  }
}

// At 1000x600 the tab's labels fit the panel; each measure says what it is under its "(?)"; the
// digit shares chart has its legend in view.
TEST(UiInsight, TheTabFitsSmallWindowsAndExplainsItsMeasures) {
  VizConfig config = test::paused_config();
  config.train = true;
  config.steps_per_frame = 50;
  UiDriver ui({1000, 600}, config, test::scratch("insight-fit"));
  ui.click("Insight");
  ui.drag_slider("Every N steps", 0.0f);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(150);
  while (ui.viz().session().history().quality().size() < 2 && std::chrono::steady_clock::now() < deadline) ui.frames(1);
  ASSERT_GE(ui.viz().session().history().quality().size(), 2u);
  ui.click("Judge while training");  // no more evaluations: the layout stays put
  ui.frames(2);
  expect_tab_fits(ui);
  ASSERT_TRUE(ui.has_widget("Digit shares legend"));
  const ui::WidgetInfo legend = ui.widget("Digit shares legend");
  EXPECT_GT(legend.max.x - legend.min.x, 10 * ImGui::GetTextLineHeight()) << "a swatch and a digit for each of ten";
  for (const char* marker : {"FID (lower is better) (?)", "Digit coverage (bits) (?)", "IS (?)"}) {
    ui.move_to(ImVec2(1, 1));
    ui.frames(2);
    const ImGuiWindow* before = ImGui::FindWindowByName("##Tooltip_00");
    EXPECT_FALSE(before && before->Active) << "no tooltip before the pointer is on " << marker;
    ui.aim(marker);
    ui.frames(2);  // a tooltip takes a frame to fit its text
    const ImGuiWindow* tooltip = ImGui::FindWindowByName("##Tooltip_00");
    EXPECT_TRUE(tooltip && tooltip->Active) << "hovering " << marker << " explains the measure";
    if (!tooltip) continue;
    EXPECT_GT(tooltip->Size.y, 3 * ImGui::GetTextLineHeight()) << marker << ": a few lines of help";
  }
  // The upper sections folded, the lower ones opened (the lowest first, while it is in view).
  for (const char* section : {"Quality over training", "Real against fake", "D's landscape", "What G is told", "History",
                              "Inside the networks", "One step, explained"}) {
    ui.click(section);
  }
  ui.frames(2);
  expect_tab_fits(ui);
  for (const Size size : {Size{1280, 720}, Size{1920, 1080}}) {
    ui.resize(size);
    ui.frames(3);
    expect_tab_fits(ui);
  }
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
  const size_t charted = ui.viz().session().trainer().history().step.size();  // a Step clicked mid-step is not queued
  ASSERT_GE(charted, 1u);
  EXPECT_EQ(rows, static_cast<int>(charted));
  EXPECT_NE(ui.viz().insight().export_note().find("wrote " + std::to_string(charted) + " rows"), std::string::npos);
  // The note is seen where the button was clicked, not below the fold.
  ui.frames(1);
  ASSERT_TRUE(ui.has_widget("Export note"));
  const ui::WidgetInfo note = ui.widget("Export note"), button = ui.widget("Export CSV");
  EXPECT_EQ(note.visible_max.y, note.max.y) << "the note is cut off at the window's bottom";
  EXPECT_LT(note.min.y, button.max.y) << "the note starts on the button's line";
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
  EXPECT_EQ(graph.shown_step(), ui.viz().session().snapshot().step);
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
// times a minute: the run's quality history and the panel's norms keep no more than their capacity
// (each point kept once cost memory, and each quality point a band of the digit-shares chart in
// every frame, for good).
TEST(UiInsight, TheHistoriesStayBoundedHoweverLongTrainingRuns) {
  constexpr size_t kCapacity = 4;
  constexpr uint64_t kEvaluations = 12;
  RunHistory history(kCapacity);
  history.follow(1);
  for (uint64_t i = 1; i <= kEvaluations; ++i) history.add_quality({1, i * 1000, QualityScores{}});
  const std::vector<QualityPoint>& points = history.quality();
  EXPECT_LE(points.size(), kCapacity);
  ASSERT_GE(points.size(), 2u);
  EXPECT_EQ(points.front().step, 1000u) << "the first evaluation stays on the chart";
  EXPECT_EQ(points.back().step, kEvaluations * 1000) << "so does the latest";
  for (size_t i = 1; i < points.size(); ++i) EXPECT_GT(points[i].step, points[i - 1].step);

  // The norms: a view of each of a dozen snapshots, a step apart.
  ModelShape shape;
  shape.hidden = shape.disc_hidden = 32;
  const std::string checkpoint = test::scratch("bounded") + "/small.safetensors";
  save_checkpoint(checkpoint, initial_state(shape, 3));
  SessionConfig config;
  config.trainer.data_dir = test::mnist_dir();
  config.trainer.checkpoint = checkpoint;
  Session session(config);
  InsightPanel panel(test::mnist_dir(), DatasetKind::kMnist, kCapacity);
  for (int i = 1; i <= 13; ++i) {  // the last takes in the views of the one before
    session.trainer().request_steps(1, Update::kBoth);
    session.trainer().wait_requested_steps();
    session.refresh();
    panel.update(session, static_cast<double>(i), true, false);
    panel.wait_idle();
  }
  EXPECT_LE(panel.norm_history_size(), kCapacity);
  EXPECT_GE(panel.norm_history_size(), 2u);
}

}  // namespace
}  // namespace ganvas
