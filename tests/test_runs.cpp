// Runs as folders: a run saved and reopened comes back as it was (weights, Adam, step, charts,
// quality history); a run that a separate `ganvas train` process writes is followed by the window,
// each checkpoint on screen within 2 s of its rename.
#include <gtest/gtest.h>

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "common/error.h"
#include "gan/io/checkpoint.h"
#include "gan/session/run_folder.h"
#include "gan/session/run_list.h"
#include "gan/session/session.h"
#include "gan/model/sampler.h"
#include "gan/viz/canvas_layout.h"
#include "tests/grid_check.h"
#include "tests/test_support.h"
#include "tests/ui_driver.h"

extern char** environ;

namespace ganvas {
namespace {

using Clock = std::chrono::steady_clock;

SessionConfig run_config(const std::string& dir) {
  SessionConfig config;
  config.trainer.data_dir = test::mnist_dir();
  config.trainer.device = Device::kCpu;
  config.run_dir = dir;
  return config;
}

// A run folder's checkpoint as the weights a snapshot holds.
LiveSnapshot load_as_snapshot(const std::string& dir) {
  const GanState state = load_checkpoint(run_checkpoint(dir));
  LiveSnapshot snapshot;
  snapshot.shape = state.shape;
  snapshot.generator = state.generator.params;
  return snapshot;
}

void train(Session& session, int steps) {
  session.trainer().request_steps(steps, Update::kBoth);
  session.trainer().wait_requested_steps();
  session.refresh();
}

TEST(RunFolders, AReopenedRunHasItsWeightsAdamStateStepAndHistory) {
  const std::string dir = test::scratch("reopen") + "/my run";
  LiveSnapshot before;
  MetricsHistory losses;
  std::vector<QualityPoint> quality;
  {
    Session session(run_config(dir));
    EXPECT_FALSE(session.save_run()) << "a run that never trained is not written";
    EXPECT_FALSE(holds_run(dir));
    session.trainer().set_learning_rates(1e-3f, 5e-4f);
    session.trainer().set_schedule(Schedule{true, 3});
    train(session, 40);
    QualityScores scores;
    scores.samples = 1000;
    scores.fid = 321.5;
    scores.coverage.counts = std::vector<int>(10, 100);
    session.history().add_quality({session.snapshot().history, session.snapshot().step, scores});
    ASSERT_TRUE(session.save_run());
    EXPECT_FALSE(session.save_run()) << "nothing trained since";
    before = session.snapshot();
    losses = session.trainer().history();
    quality = session.history().quality();
  }
  ASSERT_TRUE(holds_run(dir));
  EXPECT_EQ(read_run_record(dir).step, before.step);
  EXPECT_EQ(load_checkpoint(run_checkpoint(dir)).discriminator.m.size(), before.discriminator.size()) << "Adam's state kept";
  Session reopened(run_config(dir));
  EXPECT_EQ(reopened.snapshot().step, before.step);
  EXPECT_EQ(reopened.snapshot().generator, before.generator);
  const MetricsHistory back = reopened.trainer().history();
  ASSERT_EQ(back.step, losses.step) << "the charts come back point for point";
  for (size_t i = 0; i < back.gen_loss.size(); ++i) EXPECT_NEAR(back.gen_loss[i], losses.gen_loss[i], 1e-5);
  ASSERT_EQ(reopened.history().quality().size(), quality.size());
  EXPECT_EQ(reopened.history().quality()[0].step, quality[0].step);
  EXPECT_DOUBLE_EQ(reopened.history().quality()[0].scores.fid, 321.5);
  const LiveControls controls = reopened.trainer().controls();
  EXPECT_FLOAT_EQ(controls.lr_g, 1e-3f) << "with the rates and schedule it trained with";
  EXPECT_FLOAT_EQ(controls.lr_d, 5e-4f);
  EXPECT_TRUE(controls.schedule.alternate);
  EXPECT_EQ(controls.schedule.d_steps, 3);
  train(reopened, 5);
  EXPECT_EQ(reopened.snapshot().step, before.step + 5) << "and it trains on from there";
}

// A child process, killed when the test ends early.
class Child {
 public:
  explicit Child(std::vector<std::string> args) {
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    EXPECT_EQ(posix_spawn(&pid_, argv[0], nullptr, nullptr, argv.data(), environ), 0);
  }
  ~Child() {
    if (pid_ > 0 && !exited()) ::kill(pid_, SIGKILL);
    if (pid_ > 0) ::waitpid(pid_, nullptr, 0);
  }
  bool exited() {
    if (done_) return true;
    int status = 0;
    done_ = ::waitpid(pid_, &status, WNOHANG) == pid_;
    return done_;
  }

 private:
  pid_t pid_ = -1;
  bool done_ = false;
};

TEST(UiRuns, AFollowedRunShowsEachCheckpointWithinTwoSecondsOfItsRename) {
  const std::string dir = test::scratch("follow") + "/run";
  Child writer({GANVAS_BINARY, "train", "--steps", "3000", "--save-every", "500", "--log-every", "100", "--out", dir,
                "--data-dir", test::mnist_dir()});
  VizConfig config = test::paused_config();
  config.run.dir = dir;
  config.run.follow = true;
  test::UiDriver ui({1280, 720}, config, test::scratch("follow-out"));
  EXPECT_FALSE(ui.viz().session().trainer().status().has_data) << "a followed run is trained by its own process";
  ui.frames(1);
  EXPECT_TRUE(ui.has_widget("follow note")) << "the Train tab says whose run it is";
  EXPECT_FALSE(ui.has_widget("no data note")) << "nothing is missing";
  EXPECT_EQ(ui.viz().train_tab().visible_message(), "");
  std::optional<FileStamp> seen;
  uint64_t waiting_for = 0;
  Clock::time_point renamed;
  int shown = 0;
  const auto deadline = Clock::now() + std::chrono::seconds(240);
  while (!writer.exited() && Clock::now() < deadline) {
    ui.frames(1);
    if (waiting_for && ui.viz().session().snapshot().step == waiting_for) {
      const double seconds = std::chrono::duration<double>(Clock::now() - renamed).count();
      EXPECT_LT(seconds, 2.0) << "step " << waiting_for << " shown " << seconds << " s after its checkpoint";
      waiting_for = 0;
      ++shown;
    }
    const std::optional<FileStamp> now = stamp_of(run_checkpoint(dir));
    if (now && now != seen && !waiting_for) {
      seen = now;
      renamed = Clock::now();  // the test looks each frame: at most a frame after the rename
      waiting_for = load_checkpoint(run_checkpoint(dir)).step;
    }
  }
  EXPECT_GE(shown, 3) << "checkpoints every 500 steps of 3,000";
  EXPECT_GE(ui.viz().session().trainer().history().step.size(), 10u) << "the charts grew with the run's metrics";
}

}  // namespace
}  // namespace ganvas

namespace ganvas {
namespace {

// A run saved into `dir` after `steps` steps.
void make_run(const std::string& dir, int steps) {
  Session session(run_config(dir));
  train(session, steps);
  ASSERT_TRUE(session.save_run());
}

TEST(UiRuns, TheRunsTabListsOpensRenamesAndDeletesAfterAsking) {
  const std::string home = test::scratch("runs-tab");
  ::setenv("XDG_DATA_HOME", home.c_str(), 1);
  const std::string root = runs_root();
  make_run(root + "/alpha", 20);
  make_run(root + "/beta", 30);
  test::UiDriver ui({1280, 720}, test::paused_config(), test::scratch("runs-tab-out"));
  ui.click("Runs");
  ui.frames(2);
  ASSERT_TRUE(ui.has_widget("run alpha") && ui.has_widget("run beta"));
  ui.click("run beta");
  ui.click("Open");
  ui.frames(2);
  EXPECT_EQ(ui.viz().session().run_dir(), root + "/beta");
  EXPECT_EQ(ui.viz().session().snapshot().step, 30u) << ui.viz().runs_tab().message();
  EXPECT_FALSE(ui.viz().session().trainer().controls().running) << "an opened run waits for Play";
  ui.frames(2);
  ui.click("run alpha");
  ui.click("name");
  ui.press_key('A', /*ctrl=*/true);
  ui.type_text("gamma");
  ui.press_key(test::kKeyEnter);
  ui.click("Rename");
  EXPECT_TRUE(holds_run(root + "/gamma")) << ui.viz().runs_tab().message();
  EXPECT_FALSE(std::filesystem::exists(root + "/alpha"));
  ui.frames(3);  // the list is read again
  ui.click("run gamma");
  ui.click("Delete...");
  ui.frames(1);
  ui.click("Keep");
  EXPECT_TRUE(holds_run(root + "/gamma")) << "Keep keeps it";
  ui.click("Delete...");
  ui.frames(1);
  ui.click("Delete");
  EXPECT_FALSE(std::filesystem::exists(root + "/gamma")) << ui.viz().runs_tab().message();
  EXPECT_TRUE(holds_run(root + "/beta")) << "the run shown is untouched";
  ::unsetenv("XDG_DATA_HOME");
}

TEST(RunFolders, DeletingARunLeavesEveryFileThatIsNotARunsOwn) {
  const std::string dir = test::scratch("delete-own") + "/run";
  make_run(dir, 3);
  { std::ofstream(dir + "/notes.txt") << "mine"; }
  const std::vector<std::string> left = delete_run(dir);
  EXPECT_EQ(left, std::vector<std::string>{"notes.txt"});
  EXPECT_FALSE(holds_run(dir));
  EXPECT_TRUE(std::filesystem::exists(dir + "/notes.txt"));
  EXPECT_THROW(delete_run(dir), Error) << "a folder without a run is no run to delete";
}

}  // namespace
}  // namespace ganvas

namespace ganvas {
namespace {

TEST(UiRuns, ARunComparedShowsItsGridFromTheSameLatentsItsLossesAndItsRow) {
  const std::string other_dir = test::scratch("compare") + "/other";
  {
    Session session(run_config(other_dir));
    train(session, 25);
    QualityScores scores;
    scores.samples = 1000;
    scores.fid = 250;
    scores.coverage.entropy_bits = 1.5;
    scores.coverage.counts = std::vector<int>(10, 100);
    session.history().add_quality({session.snapshot().history, 25, scores});
    ASSERT_TRUE(session.save_run());
  }
  VizConfig config = test::paused_config();
  config.run.compare = {other_dir};
  test::UiDriver ui({1280, 720}, config, test::scratch("compare-out"));
  ui.frames(3);
  ASSERT_EQ(ui.viz().comparison().runs().size(), 1u);
  const Session& other = *ui.viz().comparison().runs()[0]->session;
  EXPECT_EQ(other.snapshot().step, 25u);
  EXPECT_EQ(other.grid_latents(), ui.viz().session().grid_latents()) << "both grids from the same latents";
  EXPECT_EQ(other.trainer().history().step, read_saved_history(other_dir).losses.step) << "its losses, for the charts";
  EXPECT_FALSE(other.trainer().history().step.empty());
  // Its tile shows its own weights' images of those latents, beside the shown run's.
  const Size size = ui.size();
  const std::vector<uint8_t> frame = ui.pixels({0, 0, float(size.width), float(size.height)});
  const int n = other.grid_side(), side = other.snapshot().shape.image_side();
  test::GridFrame tile;
  tile.side = side;
  tile.shown = test::grid_on_screen(frame, size, ui.viz().grid_rect(1), n, side);
  for (float g : generate_images(other.snapshot().shape, other.snapshot().generator, other.grid_latents(), n * n)) {
    tile.expected.push_back(pixel_byte(g, ui.viz().inverted()));
  }
  EXPECT_LT(test::mismatched_share(tile), 0.01) << "the compared run's grid on screen";
  EXPECT_LT(ui.viz().grid_rect(0).x + ui.viz().grid_rect(0).width, ui.viz().grid_rect(1).x + 1) << "side by side";
  EXPECT_TRUE(ui.has_widget("Chart legend"));
  EXPECT_EQ(ui.viz().comparison().runs()[0]->fid, std::vector<float>{250.0f}) << "its FID over the Insight tab's";
  ui.click("Insight");
  ui.frames(2);
  ASSERT_TRUE(ui.has_widget("FID (lower is better)"));
  ui.click("Runs");
  ui.frames(1);
  ASSERT_TRUE(ui.has_widget("Compared runs"));
  ui.click("Stop comparing");
  ui.frames(1);
  EXPECT_TRUE(ui.viz().comparison().empty());
}

}  // namespace
}  // namespace ganvas

namespace ganvas {
namespace {

// The mean difference in grey levels between a grid's images on screen and `expected`, leaving out
// the cells under marks and each cell's rim (a neighbour's frame may reach it).
double mean_difference(const test::GridFrame& frame, const std::vector<uint8_t>& expected, int rim = 3) {
  const size_t image = static_cast<size_t>(frame.side) * frame.side;
  double total = 0;
  size_t compared = 0;
  for (size_t i = 0; i < frame.shown.size(); ++i) {
    const int cell = static_cast<int>(i / image);
    const int x = static_cast<int>(i % frame.side), y = static_cast<int>(i / frame.side % frame.side);
    if (cell < 2 || x < rim || y < rim || x >= frame.side - rim || y >= frame.side - rim) continue;
    total += std::abs(int(frame.shown[i]) - int(expected[i]));
    ++compared;
  }
  return compared ? total / compared : 255.0;
}

std::vector<uint8_t> grid_levels(const LiveSnapshot& weights, const std::vector<float>& latents, int n) {
  std::vector<uint8_t> levels;
  for (float g : generate_images(weights.shape, weights.generator, latents, n * n)) levels.push_back(pixel_byte(g, true));
  return levels;
}

TEST(UiRuns, ACompareRecordingShowsEachRunsGridSideBySide) {
  const std::string dir = test::scratch("record-compare");
  SessionConfig second = run_config(dir + "/b");
  second.trainer.seed = 1;  // other weights: its grid differs from the first's
  make_run(dir + "/a", 20);
  {
    Session session(second);
    train(session, 20);
    ASSERT_TRUE(session.save_run());
  }
  const std::string video = dir + "/compare.mp4";
  {
    Child recorder({GANVAS_BINARY, "record", "--content", "compare", "--runs", dir + "/a," + dir + "/b", "--seconds", "1",
                    "--out", video});
    while (!recorder.exited()) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  int width = 0, height = 0;
  const std::vector<std::vector<uint8_t>> frames = test::decode_video(video, width, height);
  ASSERT_GE(frames.size(), 25u);
  const Size size{width, height};
  const float scale = height / 720.0f;
  const PixelRect place = layout_canvas(size, 0.0f, scale, 8, canvas_footer(scale, false)).grid;
  const LiveSnapshot a = load_as_snapshot(dir + "/a"), b = load_as_snapshot(dir + "/b");
  const std::vector<float> latents = model_latents(a.shape, 0, 36, {}, 6);
  test::GridFrame shown;
  shown.side = a.shape.image_side();
  for (int tile = 0; tile < 2; ++tile) {
    shown.shown = test::grid_on_screen(frames[frames.size() / 2], size, compare_tile(place, 2, tile), 6, shown.side);
    const double own = mean_difference(shown, grid_levels(tile == 0 ? a : b, latents, 6));
    const double other = mean_difference(shown, grid_levels(tile == 0 ? b : a, latents, 6));
    EXPECT_LT(own, 12.0) << "tile " << tile << " shows its run's images (H.264 blurs a little)";
    EXPECT_GT(other, own + 10.0) << "tile " << tile << " is not the other run's";
  }
}

}  // namespace
}  // namespace ganvas

namespace ganvas {
namespace {

// Frames until `run` shows a step of at least `step`, or a minute passes.
bool frames_until_step(test::UiDriver& ui, const ComparedRun& run, uint64_t step) {
  const auto deadline = Clock::now() + std::chrono::seconds(60);
  while (run.session->snapshot().step < step && Clock::now() < deadline) ui.frames(1);
  return run.session->snapshot().step >= step;
}

void fork(test::UiDriver& ui, const std::string& change, const std::string& value, bool from_weights) {
  ui.click("Fork...");
  ui.frames(1);
  ui.click("change");
  ui.click(change);
  ui.click("new value");
  ui.type_text(value);
  ui.press_key(test::kKeyEnter);
  if (from_weights) ui.click("from its current weights");
  ui.click("Fork");
  ui.frames(1);
}

TEST(UiRuns, AForkTrainsAVariantBesideTheRunAndStopsWithTheWindow) {
  const std::string dir = test::scratch("fork") + "/run";
  VizConfig config = test::paused_config();
  config.run.dir = dir;
  config.run.program = GANVAS_BINARY;
  std::string scratch_fork, weights_fork;
  {
    test::UiDriver ui({1280, 720}, config, test::scratch("fork-out"));
    for (int i = 0; i < 3; ++i) ui.click("Step");
    test::settle(ui);
    ui.click("Runs");
    fork(ui, "loss", "minimax", false);
    ASSERT_EQ(ui.viz().comparison().runs().size(), 1u) << ui.viz().runs_tab().message();
    scratch_fork = ui.viz().comparison().runs()[0]->session->run_dir();
    EXPECT_EQ(scratch_fork, dir + "-loss-minimax");
    EXPECT_TRUE(frames_until_step(ui, *ui.viz().comparison().runs()[0], 200)) << "the fork trains in its own process";
    EXPECT_EQ(read_run_record(scratch_fork).recipe.loss, Loss::kMinimax);
    fork(ui, "learning rates", "0.001", true);
    ASSERT_EQ(ui.viz().comparison().runs().size(), 2u) << ui.viz().runs_tab().message();
    const ComparedRun& from_weights = *ui.viz().comparison().runs()[1];
    weights_fork = from_weights.session->run_dir();
    EXPECT_EQ(from_weights.session->snapshot().generator, ui.viz().session().snapshot().generator)
        << "it starts from the run's weights";
    EXPECT_TRUE(frames_until_step(ui, from_weights, ui.viz().session().snapshot().step + 200));
    EXPECT_FLOAT_EQ(read_run_record(weights_fork).lr_g, 0.001f);
  }
  for (const std::string& fork_dir : {scratch_fork, weights_fork}) {
    std::ifstream log(fork_dir + "/train.log");
    const std::string text((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
    EXPECT_NE(text.find("stopped by a signal"), std::string::npos) << "the window's close stops its forks: " << text;
  }
}

}  // namespace
}  // namespace ganvas
