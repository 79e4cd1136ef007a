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
#include <vector>

#include "common/error.h"
#include "gan/io/checkpoint.h"
#include "gan/session/run_folder.h"
#include "gan/session/run_list.h"
#include "gan/session/session.h"
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
