// The live trainer: requested steps, free running, snapshots, reset, save and load, no data.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <future>
#include <limits>
#include <thread>

#include "gan/train/live_trainer.h"
#include "tests/test_support.h"

namespace ganvas {
namespace {

ImageSet small_images() {
  ImageSet set;
  set.count = 300;
  set.rows = set.cols = 28;
  set.pixels.resize(300 * 784);
  for (size_t i = 0; i < set.pixels.size(); ++i) set.pixels[i] = static_cast<uint8_t>((i * 31) % 256);
  set.labels.assign(300, 0);
  return set;
}

TEST(LiveTrainer, RunsRequestedStepsWhilePaused) {
  LiveTrainer trainer(make_cpu_backend(ModelShape{}, 16), initial_state(ModelShape{}, 1), small_images());
  trainer.request_steps(5, Update::kBoth);
  trainer.request_steps(2, Update::kDiscriminator);
  trainer.wait_idle();
  const std::shared_ptr<const LiveSnapshot> snapshot = trainer.snapshot();
  EXPECT_EQ(snapshot->step, 7u);
  EXPECT_EQ(trainer.status().step, 7u);
  EXPECT_EQ(trainer.snapshot(), snapshot) << "nothing new since: the same snapshot";
  trainer.request_steps(1, Update::kBoth);
  trainer.wait_idle();
  EXPECT_EQ(trainer.snapshot()->step, 8u);
  EXPECT_EQ(snapshot->step, 7u) << "a snapshot held stays as it was published";
  const MetricsHistory history = trainer.history();
  ASSERT_FALSE(history.step.empty());
  EXPECT_EQ(history.step.back(), 7.0f) << "the latest point is the latest step";
}

// Thinned charts keep evenly spaced points, and the latest step shows even between two of them.
TEST(LiveTrainer, ChartsShowTheLatestStepBetweenTheirThinnedPoints) {
  MetricsHistory history;
  StepMetrics m;
  for (uint64_t step = 0; step <= MetricsHistory::kMaxPoints; ++step) {
    m.step = step;
    history.add(m);
  }
  ASSERT_EQ(history.stride, 2u);
  const size_t points = history.step.size();
  history.add(m);  // the same step published again adds nothing
  EXPECT_EQ(history.step.size(), points);
  ++m.step;  // between two points of the grid: shown as the last point
  history.add(m);
  ASSERT_EQ(history.step.size(), points + 1);
  EXPECT_EQ(history.step.back(), static_cast<float>(m.step));
  ++m.step;  // on the grid: it takes the place of the one between
  history.add(m);
  ASSERT_EQ(history.step.size(), points + 1);
  EXPECT_EQ(history.step.back(), static_cast<float>(m.step));
  for (size_t i = 1; i < history.step.size(); ++i) EXPECT_EQ(history.step[i] - history.step[i - 1], 2.0f) << i;
}

TEST(LiveTrainer, FreeRunningTrainsUntilPaused) {
  LiveTrainer trainer(make_cpu_backend(ModelShape{}, 16), initial_state(ModelShape{}, 1), small_images());
  trainer.set_running(true);
  // Until it has stepped a while (a loaded machine runs other tests beside this one), 5 s at most.
  for (int i = 0; i < 500 && trainer.status().step <= 10; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  trainer.set_running(false);
  trainer.wait_idle();
  const uint64_t after = trainer.status().step;
  EXPECT_GT(after, 10u);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(trainer.status().step, after) << "paused training must not step";
}

// The CPU backend with each copy of its weights held up, as the steps queued on a GPU hold it up.
class SlowCopyBackend final : public Backend {
 public:
  SlowCopyBackend(std::unique_ptr<Backend> inner, std::chrono::milliseconds delay)
      : inner_(std::move(inner)), delay_(delay) {}
  std::string name() const override { return inner_->name(); }
  int batch() const override { return inner_->batch(); }
  void set_state(const GanState& state) override { inner_->set_state(state); }
  GanState state() override { return inner_->state(); }
  void set_adam(const AdamConfig& g, const AdamConfig& d) override { inner_->set_adam(g, d); }
  void set_training_images(const ImageSet& images) override { inner_->set_training_images(images); }
  void train_step(Update update) override { inner_->train_step(update); }
  void train_step_on(const uint8_t* x, const uint8_t* labels, const float* z, Update update) override {
    inner_->train_step_on(x, labels, z, update);
  }
  StepMetrics latest_metrics() override { return inner_->latest_metrics(); }
  void copy_params(std::vector<float>& generator, std::vector<float>& discriminator) override {
    std::this_thread::sleep_for(delay_);
    inner_->copy_params(generator, discriminator);
  }
  StepTrace trace() override { return inner_->trace(); }
  void generate(const float* z, int n, float* images) override { inner_->generate(z, n, images); }

 private:
  std::unique_ptr<Backend> inner_;
  std::chrono::milliseconds delay_;
};

TEST(LiveTrainer, PublishWaitsAreTheTimeTheWeightsTookToCopy) {
  constexpr auto kDelay = std::chrono::milliseconds(20);
  LiveTrainer trainer(std::make_unique<SlowCopyBackend>(make_cpu_backend(ModelShape{}, 16), kDelay),
                      initial_state(ModelShape{}, 1), small_images());
  trainer.take_publish_waits();  // the first snapshot's
  trainer.request_steps(3, Update::kBoth);
  trainer.wait_idle();
  const std::vector<double> waits = trainer.take_publish_waits();
  ASSERT_FALSE(waits.empty()) << "the steps were published";
  for (double wait : waits) EXPECT_GE(wait, 20.0);
  EXPECT_TRUE(trainer.take_publish_waits().empty()) << "waits once taken are forgotten";
}

TEST(LiveTrainer, StepsPerFrameLimitsTraining) {
  LiveTrainer trainer(make_cpu_backend(ModelShape{}, 16), initial_state(ModelShape{}, 1), small_images());
  trainer.set_steps_per_frame(3);
  trainer.set_running(true);
  for (int frame = 0; frame < 4; ++frame) {
    trainer.frame_tick();
    trainer.wait_idle();  // the trainer rests once the frame's budget is spent
  }
  EXPECT_EQ(trainer.status().step, 12u);
}

TEST(LiveTrainer, ResetSaveAndLoad) {
  const auto dir = std::filesystem::temp_directory_path() / ("ganvas_live_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "live.safetensors").string();
  LiveTrainer trainer(make_cpu_backend(ModelShape{}, 16), initial_state(ModelShape{}, 1), small_images());
  trainer.request_steps(4, Update::kBoth);
  trainer.wait_requested_steps();  // a save saves the weights of its moment: a long request's later chunks may follow it
  trainer.save(path);
  trainer.wait_idle();
  EXPECT_EQ(load_checkpoint(path).step, 4u);
  trainer.reset(9);
  trainer.wait_idle();
  EXPECT_EQ(trainer.snapshot()->step, 0u);
  EXPECT_EQ(trainer.snapshot()->generator, initial_state(ModelShape{}, 9).generator.params);
  trainer.load(path);
  trainer.wait_idle();
  EXPECT_EQ(trainer.snapshot()->step, 4u);
  trainer.load((dir / "missing.safetensors").string());
  trainer.wait_idle();
  EXPECT_NE(trainer.status().message.find("cannot open"), std::string::npos) << trainer.status().message;
  std::filesystem::remove_all(dir);
}

// Undo load brings back what the load replaced, another model included: weights, step and charts.
TEST(LiveTrainer, UndoLoadBringsBackTheModelTheLoadReplaced) {
  const auto dir = std::filesystem::temp_directory_path() / ("ganvas_live_undo_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "other.safetensors").string();
  ModelShape other;
  other.hidden = other.disc_hidden = 32;
  save_checkpoint(path, initial_state(other, 5));
  LiveTrainer trainer(make_cpu_backend(ModelShape{}, 16), initial_state(ModelShape{}, 1), small_images());
  trainer.request_steps(3, Update::kBoth);
  trainer.wait_idle();
  const std::shared_ptr<const LiveSnapshot> before = trainer.snapshot();
  const MetricsHistory charted = trainer.history();
  trainer.load(path, [](const ModelShape& s) { return make_cpu_backend(s, 16); }).get();
  EXPECT_EQ(trainer.snapshot()->shape, other);
  EXPECT_TRUE(trainer.status().can_undo_load);
  EXPECT_FALSE(trainer.status().can_undo_reset);
  trainer.undo();
  trainer.wait_idle();
  EXPECT_EQ(trainer.snapshot()->shape, ModelShape{});
  EXPECT_EQ(trainer.snapshot()->step, 3u);
  EXPECT_EQ(trainer.snapshot()->generator, before->generator);
  EXPECT_EQ(trainer.history().step, charted.step);
  EXPECT_FALSE(trainer.status().can_undo_load);
  trainer.request_steps(1, Update::kBoth);
  trainer.wait_idle();
  EXPECT_EQ(trainer.status().step, 4u) << "the model brought back trains";
  std::filesystem::remove_all(dir);
}

// A request of as many steps as an int holds runs in chunks: a save queued behind it is served
// between two of them, and the status shows the steps as they run.
TEST(LiveTrainer, ASaveQueuedBehindALongStepRequestRunsBetweenChunks) {
  const auto dir = std::filesystem::temp_directory_path() / ("ganvas_live_chunks_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "chunks.safetensors").string();
  {
    LiveTrainer trainer(make_cpu_backend(ModelShape{}, 16), initial_state(ModelShape{}, 1), small_images());
    trainer.request_steps(std::numeric_limits<int>::max(), Update::kBoth);
    std::future<void> saved = trainer.save(path);
    ASSERT_EQ(saved.wait_for(std::chrono::seconds(60)), std::future_status::ready)
        << "the save waited behind every queued step";
    saved.get();
    const uint64_t saved_at = load_checkpoint(path).step;
    EXPECT_GT(saved_at, 0u) << "the first chunk ran before the save";
    // A guard against hanging, not a speed goal: the status shows steps beyond the save's.
    for (int i = 0; i < 6000 && trainer.status().step <= saved_at; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    EXPECT_GT(trainer.status().step, saved_at) << "the status showed no progress while the steps ran";
    trainer.cancel_requested_steps();
    trainer.wait_requested_steps();
    const uint64_t cancelled_at = trainer.status().step;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    EXPECT_EQ(trainer.status().step, cancelled_at) << "cancelled steps must not run";
  }
  std::filesystem::remove_all(dir);
}

// wait_requested_steps waits for the requests queued before it only: free training goes on.
TEST(LiveTrainer, WaitingForRequestedStepsIgnoresFreeTraining) {
  LiveTrainer trainer(make_cpu_backend(ModelShape{}, 16), initial_state(ModelShape{}, 1), small_images());
  trainer.set_running(true);
  trainer.request_steps(3, Update::kBoth);
  trainer.wait_requested_steps();
  EXPECT_GE(trainer.status().step, 3u) << "the requested steps are published when the wait returns";
  EXPECT_TRUE(trainer.controls().running);
  trainer.set_running(false);
  trainer.wait_idle();
}

TEST(LiveTrainer, NonFiniteWeightsPauseTrainingWithAMessage) {
  GanState state = initial_state(ModelShape{}, 1);
  state.generator.params.back() = std::nanf("");  // the losses can stay finite; the weights are not
  LiveTrainer trainer(make_cpu_backend(state.shape, 16), state, small_images());
  trainer.set_running(true);
  for (int i = 0; i < 200 && trainer.controls().running; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_FALSE(trainer.controls().running);
  EXPECT_NE(trainer.status().message.find("weights are no longer finite"), std::string::npos) << trainer.status().message;
  // A learning rate or schedule set after the pause (a slider the user had in hand) leaves it paused.
  trainer.set_learning_rates(1e-4f, 1e-4f);
  trainer.set_schedule(Schedule{true, 2});
  trainer.set_steps_per_frame(4);
  const LiveControls after = trainer.controls();
  EXPECT_FALSE(after.running);
  EXPECT_EQ(after.lr_g, 1e-4f);
  EXPECT_EQ(after.schedule.d_steps, 2);
  EXPECT_EQ(after.steps_per_frame, 4);
}

TEST(LiveTrainer, WithoutDataItOnlyExplores) {
  LiveTrainer trainer(make_cpu_backend(ModelShape{}, 16), initial_state(ModelShape{}, 1), ImageSet{});
  trainer.set_running(true);
  trainer.request_steps(3, Update::kBoth);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  trainer.wait_idle();
  EXPECT_EQ(trainer.status().step, 0u);
  EXPECT_FALSE(trainer.status().has_data);
}

}  // namespace
}  // namespace ganvas
