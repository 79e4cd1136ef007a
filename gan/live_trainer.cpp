// The live trainer's worker thread, controls and snapshots.
#include "live_trainer.h"

#include <chrono>

#include "checkpoint.h"
#include "error.h"

namespace ganvas {
namespace {
constexpr auto kPublishInterval = std::chrono::milliseconds(15);
}

void MetricsHistory::add(const StepMetrics& m) {
  if (step.size() >= kMaxPoints) {
    for (auto* series : {&step, &gen_loss, &disc_loss, &d_real, &d_fake}) {
      size_t kept = 0;
      for (size_t i = 0; i < series->size(); i += 2) (*series)[kept++] = (*series)[i];
      series->resize(kept);
    }
  }
  step.push_back(static_cast<float>(m.step));
  gen_loss.push_back(m.gen_loss);
  disc_loss.push_back(m.disc_loss);
  d_real.push_back(m.d_real);
  d_fake.push_back(m.d_fake);
}

LiveTrainer::LiveTrainer(std::unique_ptr<Backend> backend, const GanState& state, ImageSet images)
    : backend_(std::move(backend)), shape_(state.shape), images_(std::move(images)) {
  backend_->set_state(state);
  if (images_.count > 0) backend_->set_training_images(images_);
  next_step_ = state.step;
  status_.has_data = images_.count > 0;
  status_.backend = backend_->name();
  status_.step = state.step;
  publish();
  worker_ = std::thread([this] { run(); });
}

LiveTrainer::~LiveTrainer() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  worker_.join();
}

LiveControls LiveTrainer::controls() const {
  std::lock_guard lock(mutex_);
  return controls_;
}

void LiveTrainer::set_controls(const LiveControls& controls) {
  {
    std::lock_guard lock(mutex_);
    controls_ = controls;
    controls_changed_ = true;
  }
  wake_.notify_all();
}

void LiveTrainer::request_steps(int n, Update update) {
  queue([this, n, update] {
    if (images_.count == 0) return;
    for (int i = 0; i < n; ++i) step_once(update);
  });
}

void LiveTrainer::frame_tick() {
  {
    std::lock_guard lock(mutex_);
    if (controls_.steps_per_frame > 0) frame_budget_ = controls_.steps_per_frame;
  }
  wake_.notify_all();
}

void LiveTrainer::reset(uint64_t seed) {
  queue([this, seed] {
    const GanState fresh = initial_state(shape_, seed);
    backend_->set_state(fresh);
    next_step_ = 0;
    std::lock_guard lock(snapshot_mutex_);
    history_ = MetricsHistory{};
    status_.message = "weights reset with seed " + std::to_string(seed);
  });
}

void LiveTrainer::load(const std::string& path) {
  queue([this, path] {
    const GanState state = load_checkpoint(path);
    if (!(state.shape == shape_)) GANVAS_THROW(path + " holds a model of another shape than the one being trained");
    backend_->set_state(state);
    next_step_ = state.step;
    std::lock_guard lock(snapshot_mutex_);
    history_ = MetricsHistory{};
    status_.message = "loaded " + path;
  });
}

void LiveTrainer::save(const std::string& path) {
  queue([this, path] {
    save_checkpoint(path, backend_->state());
    std::lock_guard lock(snapshot_mutex_);
    status_.message = "saved " + path;
  });
}

void LiveTrainer::queue(std::function<void()> task) {
  {
    std::lock_guard lock(mutex_);
    tasks_.push_back(std::move(task));
  }
  wake_.notify_all();
}

bool LiveTrainer::copy_snapshot_if_newer(LiveSnapshot& out) const {
  std::lock_guard lock(snapshot_mutex_);
  if (snapshot_.version == out.version) return false;
  out = snapshot_;
  return true;
}

MetricsHistory LiveTrainer::history() const {
  std::lock_guard lock(snapshot_mutex_);
  return history_;
}

LiveStatus LiveTrainer::status() const {
  std::lock_guard lock(snapshot_mutex_);
  return status_;
}

void LiveTrainer::wait_idle() {
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [this] { return !busy_ && !has_work(); });
}

bool LiveTrainer::has_work() const {
  const bool can_train = images_.count > 0;
  const bool free_running = controls_.running && (controls_.steps_per_frame == 0 || frame_budget_ > 0);
  return stop_ || controls_changed_ || !tasks_.empty() || (can_train && free_running);
}

void LiveTrainer::step_once(Update update) {
  backend_->train_step(update);
  ++next_step_;
  ++steps_since_rate_;
}

void LiveTrainer::run() {
  auto last_publish = std::chrono::steady_clock::now();
  auto rate_start = last_publish;
  uint64_t published_step = next_step_;
  for (;;) {
    std::vector<std::function<void()>> tasks;
    LiveControls controls;
    bool free_step = false;
    {
      std::unique_lock lock(mutex_);
      if (!has_work()) {
        lock.unlock();
        if (published_step != next_step_) {  // show the last steps before resting
          publish();
          published_step = next_step_;
        }
        lock.lock();
        if (!has_work()) {
          busy_ = false;
          idle_.notify_all();
          wake_.wait(lock, [this] { return has_work(); });
        }
      }
      if (stop_) return;
      busy_ = true;
      tasks.swap(tasks_);
      controls = controls_;
      if (controls_changed_) {
        AdamConfig gen, disc;
        gen.lr = controls.lr_g;
        disc.lr = controls.lr_d;
        backend_->set_adam(gen, disc);
        controls_changed_ = false;
      }
      free_step = images_.count > 0 && controls.running && (controls.steps_per_frame == 0 || frame_budget_ > 0);
      if (free_step && controls.steps_per_frame > 0) --frame_budget_;
    }
    try {
      for (const auto& task : tasks) task();
      if (free_step) step_once(scheduled_update(controls.schedule, next_step_));
      const auto now = std::chrono::steady_clock::now();
      if (!tasks.empty() || now - last_publish >= kPublishInterval) {
        const double seconds = std::chrono::duration<double>(now - rate_start).count();
        if (seconds >= 0.5) {
          std::lock_guard lock(snapshot_mutex_);
          status_.steps_per_second = steps_since_rate_ / seconds;
          rate_start = now;
          steps_since_rate_ = 0;
        }
        publish();
        published_step = next_step_;
        last_publish = now;
      }
    } catch (const std::exception& e) {
      {
        std::lock_guard lock(mutex_);
        controls_.running = false;
      }
      std::lock_guard lock(snapshot_mutex_);
      status_.message = std::string("stopped: ") + e.what();
    }
  }
}

void LiveTrainer::publish() {
  LiveSnapshot next;
  backend_->copy_params(next.generator, next.discriminator);
  const StepMetrics metrics = backend_->latest_metrics();
  const bool trained = next_step_ > 0 && metrics.step + 1 == next_step_;
  if (trained) check_finite(metrics);
  std::lock_guard lock(snapshot_mutex_);
  next.version = snapshot_.version + 1;
  next.step = next_step_;
  next.shape = shape_;
  snapshot_ = std::move(next);
  if (trained && (history_.step.empty() || history_.step.back() != static_cast<float>(metrics.step))) {
    history_.add(metrics);
  }
  status_.step = next_step_;
  if (!status_.has_data && status_.message.empty()) status_.message = "no training data: exploring the checkpoint";
}

}  // namespace ganvas
