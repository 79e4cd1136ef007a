// The live trainer's worker thread, controls and snapshots.
#include "gan/train/live_trainer.h"

#include <chrono>
#include <utility>

#include "gan/io/checkpoint.h"
#include "common/error.h"
#include "common/printable.h"

namespace ganvas {
namespace {
constexpr auto kPublishInterval = std::chrono::milliseconds(15);
// A requested step's chunk: one publication's worth, so a long request shows its progress as free
// training does, and a command queued behind it waits about as long as a frame.
constexpr auto kStepChunk = kPublishInterval;
}

void MetricsHistory::add(const StepMetrics& m) {
  if (!step.empty() && m.step <= latest_step) return;  // published again, nothing new
  auto series = {&step, &gen_loss, &disc_loss, &d_real, &d_fake};
  if (last_between) {  // the newer step takes its place
    for (auto* values : series) values->pop_back();
    last_between = false;
  }
  const bool on_grid = m.step >= next_step;
  if (on_grid && step.size() >= kMaxPoints) {
    for (auto* values : series) {
      size_t kept = 0;
      for (size_t i = 0; i < values->size(); i += 2) (*values)[kept++] = (*values)[i];
      values->resize(kept);
    }
    stride *= 2;
  }
  if (on_grid) next_step = m.step + stride;
  last_between = !on_grid;
  latest_step = m.step;
  step.push_back(static_cast<float>(m.step));
  gen_loss.push_back(m.gen_loss);
  disc_loss.push_back(m.disc_loss);
  d_real.push_back(m.d_real);
  d_fake.push_back(m.d_fake);
}

LiveTrainer::LiveTrainer(std::unique_ptr<Backend> backend, const GanState& state, const ImageSet& images,
                         std::function<void()> on_publish)
    : backend_(std::move(backend)),
      loop_(*backend_, state.step),
      shape_(state.shape),
      recipe_(state.recipe),
      image_count_(images.count),
      on_publish_(std::move(on_publish)) {
  backend_->set_state(state);
  if (image_count_ > 0) backend_->set_training_images(images);
  images_ = images;
  status_.has_data = image_count_ > 0;
  status_.backend = backend_->name();
  status_.step = state.step;
  publish(false);  // the caller's thread: no callback yet
  if (snapshot_->version == 0) GANVAS_THROW("the trainer could not start: " + status_.message);  // no weights
  worker_ = std::thread([this] { run(); });
}

LiveTrainer::~LiveTrainer() {
  stopping_ = true;
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

void LiveTrainer::change_controls(const std::function<void(LiveControls&)>& change) {
  {
    std::lock_guard lock(mutex_);
    change(controls_);
    controls_changed_ = true;
  }
  wake_.notify_all();
  idle_.notify_all();  // a wait_settled_if_paused ends when training resumes
}

void LiveTrainer::set_running(bool running) {
  change_controls([running](LiveControls& c) { c.running = running; });
}

void LiveTrainer::set_schedule(const Schedule& schedule) {
  change_controls([schedule](LiveControls& c) { c.schedule = schedule; });
}

void LiveTrainer::set_learning_rates(float generator, float discriminator) {
  change_controls([=](LiveControls& c) {
    c.lr_g = generator;
    c.lr_d = discriminator;
  });
}

void LiveTrainer::set_steps_per_frame(int steps) {
  change_controls([steps](LiveControls& c) { c.steps_per_frame = steps; });
}

void LiveTrainer::request_steps(int n, Update update) {
  uint64_t id = 0;
  {
    std::lock_guard lock(mutex_);
    id = next_steps_id_++;
    unfinished_steps_.insert(id);
  }
  queue([this, id, n, update] { run_steps(id, n, update); });
}

void LiveTrainer::run_steps(uint64_t id, int remaining, Update update) {
  const auto chunk_end = std::chrono::steady_clock::now() + kStepChunk;
  try {
    while (remaining > 0 && steps_go_on(id) && std::chrono::steady_clock::now() < chunk_end) {
      loop_.step(update);
      --remaining;
    }
  } catch (...) {
    finish_steps(id);  // a waiter must not wait for steps that will never run
    throw;             // run_task posts the message
  }
  if (remaining > 0 && steps_go_on(id)) {
    // Behind what was queued meanwhile: a save or a load runs before the next chunk.
    queue([this, id, remaining, update] { run_steps(id, remaining, update); });
    return;
  }
  if (!stopping_) publish();  // a waiter sees the request's last steps
  finish_steps(id);
}

bool LiveTrainer::steps_go_on(uint64_t id) const {
  std::lock_guard lock(mutex_);
  return image_count_ > 0 && !stopping_ && id >= steps_cancelled_below_;
}

void LiveTrainer::finish_steps(uint64_t id) {
  {
    std::lock_guard lock(mutex_);
    unfinished_steps_.erase(id);
  }
  steps_finished_.notify_all();
}

void LiveTrainer::cancel_requested_steps() {
  std::lock_guard lock(mutex_);
  steps_cancelled_below_ = next_steps_id_;  // their queued chunks find this and finish at once
}

void LiveTrainer::wait_requested_steps() {
  std::unique_lock lock(mutex_);
  const uint64_t requested_before = next_steps_id_;
  steps_finished_.wait(lock, [&] {
    return unfinished_steps_.empty() || *unfinished_steps_.begin() >= requested_before;
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
    Undo before = state_before(Undo::Kind::kReset);
    GanState fresh = initial_state(shape_, seed);
    fresh.recipe = recipe_;  // new weights, trained the same way
    backend_->set_state(fresh);
    loop_.restart_at(0);
    std::lock_guard lock(snapshot_mutex_);
    undo_ = std::make_unique<Undo>(std::move(before));
    start_history();
    post_message("weights reset with seed " + std::to_string(seed) + "; Undo reset brings back step " +
                 std::to_string(undo_->state.step));
  });
}

LiveTrainer::Undo LiveTrainer::state_before(Undo::Kind kind, BackendMaker make) {
  GanState state = backend_->state();
  state.step = loop_.next_step();
  std::lock_guard lock(snapshot_mutex_);
  return Undo{kind, std::move(state), history_, std::move(make)};
}

void LiveTrainer::start_history() {
  history_id_ = ++last_history_id_;
  history_ = MetricsHistory{};
  history_.history = history_id_;
}

void LiveTrainer::reset_model(const ModelShape& shape, const TrainingRecipe& recipe, float lr, uint64_t seed,
                              BackendMaker make) {
  queue([this, shape, recipe, lr, seed, make = std::move(make)] {
    GanState fresh = initial_state(shape, seed);
    fresh.recipe = recipe;
    install_backend(make(shape), fresh);
    recipe_ = recipe;
    LiveControls rates = applied_;
    rates.lr_g = rates.lr_d = lr;
    change_controls([lr](LiveControls& c) { c.lr_g = c.lr_d = lr; });
    apply_learning_rates(rates);
    std::lock_guard lock(snapshot_mutex_);
    undo_.reset();  // the old weights belong to another model
    start_history();
    post_message(std::string("fresh weights of a ") + (shape.conditional() ? "conditional" : "tutorial") + " model, " +
                 loss_name(recipe.loss) + " loss, seed " + std::to_string(seed));
  });
}

void LiveTrainer::undo() {
  queue([this] {
    std::unique_ptr<Undo> undo;
    {
      std::lock_guard lock(snapshot_mutex_);
      undo = std::move(undo_);
    }
    if (!undo) return;
    if (undo->state.shape == shape_) {
      backend_->set_state(undo->state);
    } else {
      install_backend(undo->make(undo->state.shape), undo->state);  // a load changed the model
    }
    recipe_ = undo->state.recipe;
    apply_learning_rates(applied_);  // its beta1
    loop_.restart_at(undo->state.step);
    std::lock_guard lock(snapshot_mutex_);
    history_ = std::move(undo->history);
    history_id_ = history_.history;
    post_message(std::string(undo->kind == Undo::Kind::kLoad ? "load" : "reset") + " undone: back at step " +
                 std::to_string(loop_.next_step()));
  });
}

void LiveTrainer::post_message(std::string message) {
  status_.message = one_line_message(message, 500);  // text from a file: one line a panel can show
  ++status_.message_serial;
}

std::future<void> LiveTrainer::queue_with_result(std::function<void()> task) {
  auto done = std::make_shared<std::promise<void>>();
  std::future<void> result = done->get_future();
  queue([task = std::move(task), done] {
    try {
      task();
      done->set_value();
    } catch (...) {
      done->set_exception(std::current_exception());
      throw;  // run_task posts the message, as for every task
    }
  });
  return result;
}

void LiveTrainer::install_backend(std::unique_ptr<Backend> backend, const GanState& state) {
  backend->set_state(state);
  if (image_count_ > 0) backend->set_training_images(images_);
  backend_ = std::move(backend);  // nothing above changed this trainer when it threw
  loop_.set_backend(*backend_, state.step);
  shape_ = state.shape;
  std::lock_guard lock(snapshot_mutex_);
  status_.backend = backend_->name();
}

std::future<void> LiveTrainer::load(const std::string& path, BackendMaker make, LoadAs as) {
  return queue_with_result([this, path, make = std::move(make), as] {
    const GanState state = load_checkpoint(path);
    std::optional<Undo> before;
    if (as == LoadAs::kNewHistory) before = state_before(Undo::Kind::kLoad, make);
    if (state.shape == shape_) {
      backend_->set_state(state);
    } else if (make) {
      install_backend(make(state.shape), state);
    } else {
      GANVAS_THROW(path + " holds a model of another shape than the one being trained");
    }
    recipe_ = state.recipe;
    apply_learning_rates(applied_);  // its beta1
    loop_.restart_at(state.step);
    {
      std::lock_guard lock(snapshot_mutex_);
      if (before) {
        start_history();
        undo_ = std::make_unique<Undo>(std::move(*before));
        post_message("loaded " + path + "; Undo load brings back step " + std::to_string(undo_->state.step));
      }
    }
    publish();  // when the future says done, the snapshot and the status show the loaded weights
  });
}

void LiveTrainer::restore_history(MetricsHistory history) {
  std::lock_guard lock(snapshot_mutex_);
  history.history = history_id_;
  history_ = std::move(history);
}

std::future<void> LiveTrainer::save(const std::string& path) {
  return queue_with_result([this, path] { save_now(path); });
}

std::future<uint64_t> LiveTrainer::save_with_step(const std::string& path) {
  auto step = std::make_shared<uint64_t>(0);
  std::shared_future<void> saved = queue_with_result([this, path, step] { *step = save_now(path); }).share();
  return std::async(std::launch::deferred, [saved, step] {
    saved.get();  // rethrows the save's error
    return *step;
  });
}

uint64_t LiveTrainer::save_now(const std::string& path) {
  GanState state = backend_->state();
  state.step = loop_.next_step();
  save_checkpoint(path, state);
  std::lock_guard lock(snapshot_mutex_);
  post_message("saved " + path);
  return state.step;
}

void LiveTrainer::queue(std::function<void()> task) {
  {
    std::lock_guard lock(mutex_);
    tasks_.push_back(std::move(task));
  }
  wake_.notify_all();
}

std::shared_ptr<const LiveSnapshot> LiveTrainer::snapshot() const {
  std::lock_guard lock(snapshot_mutex_);
  return snapshot_;
}

MetricsHistory LiveTrainer::history() const {
  std::lock_guard lock(snapshot_mutex_);
  return history_;
}

LiveStatus LiveTrainer::status() const {
  std::lock_guard lock(snapshot_mutex_);
  LiveStatus status = status_;
  status.can_undo_reset = undo_ && undo_->kind == Undo::Kind::kReset;
  status.can_undo_load = undo_ && undo_->kind == Undo::Kind::kLoad;
  return status;
}

void LiveTrainer::wait_settled_if_paused() {
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [this] { return controls_.running || (!busy_ && !has_work()); });
}

void LiveTrainer::wait_idle() {
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [this] { return !busy_ && !has_work(); });
}

bool LiveTrainer::may_step_freely() const {
  return image_count_ > 0 && controls_.running && (controls_.steps_per_frame == 0 || frame_budget_ > 0);
}

bool LiveTrainer::has_work() const { return stop_ || controls_changed_ || !tasks_.empty() || may_step_freely(); }

void LiveTrainer::run_task(const std::function<void()>& task) {
  try {
    task();
  } catch (const std::exception& e) {
    std::lock_guard lock(snapshot_mutex_);
    post_message(e.what());
  }
}

void LiveTrainer::apply_learning_rates(const LiveControls& controls) {
  AdamConfig gen, disc;
  gen.lr = controls.lr_g;
  disc.lr = controls.lr_d;
  gen.beta1 = disc.beta1 = recipe_.beta1;
  applied_ = controls;
  try {
    backend_->set_adam(gen, disc);
  } catch (const std::exception& e) {
    std::lock_guard lock(snapshot_mutex_);
    post_message(e.what());
  }
}

void LiveTrainer::measure_rate(bool resting) {
  RateMeter& rate = loop_.rate();
  if (!resting && rate.seconds() < 0.5) return;
  const double per_second = rate.read();
  std::lock_guard lock(snapshot_mutex_);
  status_.steps_per_second = resting ? 0.0 : per_second;
}

void LiveTrainer::run() {
  auto last_publish = std::chrono::steady_clock::now();
  uint64_t published_step = loop_.next_step();
  for (;;) {
    std::vector<std::function<void()>> tasks;
    LiveControls controls;
    bool rates_changed = false;
    bool free_step = false;
    bool stopping = false;
    {
      std::unique_lock lock(mutex_);
      if (!has_work()) {
        lock.unlock();
        if (published_step != loop_.next_step()) {  // show the last steps before resting
          published_step = loop_.next_step();
          publish();
        }
        measure_rate(true);
        lock.lock();
        if (!has_work()) {
          busy_ = false;
          idle_.notify_all();
          wake_.wait(lock, [this] { return has_work(); });
          loop_.rate().restart();
        }
      }
      busy_ = true;
      stopping = stop_;
      tasks.swap(tasks_);  // queued work still runs when stopping: a Save is never lost
      controls = controls_;
      rates_changed = std::exchange(controls_changed_, false);
      free_step = !stopping && may_step_freely();
      if (free_step && controls.steps_per_frame > 0) --frame_budget_;
    }
    if (rates_changed) apply_learning_rates(controls);
    for (const auto& task : tasks) run_task(task);
    if (stopping) return;
    if (free_step) run_task([&] { loop_.step(controls.schedule); });
    const auto now = std::chrono::steady_clock::now();
    if (!tasks.empty() || now - last_publish >= kPublishInterval) {
      measure_rate(false);
      published_step = loop_.next_step();
      publish();
      last_publish = now;
    }
  }
}

// Weights can turn NaN while the losses still look finite; checked four times a second at most.
void LiveTrainer::check_weights_finite(const LiveSnapshot& snapshot) {
  const auto now = std::chrono::steady_clock::now();
  if (now - last_weight_check_ < std::chrono::milliseconds(250)) return;
  last_weight_check_ = now;
  if (count_non_finite(snapshot.generator) + count_non_finite(snapshot.discriminator) > 0) {
    GANVAS_THROW("the weights are no longer finite (NaN or Inf) at step " + std::to_string(loop_.next_step()) +
                 "; lower the learning rates, then Undo reset, Reset or Load");
  }
}

void LiveTrainer::publish(bool notify) {
  auto next = std::make_shared<LiveSnapshot>();
  const auto copy_start = std::chrono::steady_clock::now();
  try {
    backend_->copy_params(next->generator, next->discriminator);
  } catch (const std::exception& e) {
    pause_with(e.what());  // nothing to show: the last snapshot stays
    return;
  }
  const double copy_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - copy_start).count();
  // Weights or losses that are not finite pause training; the snapshot is published all the same, so
  // a renderer always holds weights of the model's shape.
  StepMetrics metrics;
  std::string problem;
  try {
    metrics = loop_.checked_metrics();
    check_weights_finite(*next);
  } catch (const std::exception& e) {
    problem = e.what();
  }
  if (!problem.empty()) pause_with(problem);
  {
    std::lock_guard lock(snapshot_mutex_);
    next->version = snapshot_->version + 1;
    next->history = history_id_;
    next->step = loop_.next_step();
    next->shape = shape_;
    next->recipe = recipe_;
    snapshot_ = std::move(next);
    status_.trained = problem.empty() && loop_.trained_since_state();
    if (status_.trained) {
      history_.add(metrics);
      status_.latest = metrics;
    }
    status_.step = loop_.next_step();
    constexpr size_t kMaxPublishWaits = 1 << 16;  // a quarter hour of them (512 KB) when nobody takes them
    if (publish_waits_ms_.size() < kMaxPublishWaits) publish_waits_ms_.push_back(copy_ms);
  }
  if (notify && on_publish_) on_publish_();
}

std::vector<double> LiveTrainer::take_publish_waits() {
  std::lock_guard lock(snapshot_mutex_);
  return std::exchange(publish_waits_ms_, {});
}

void LiveTrainer::pause_with(const std::string& problem) {
  {
    std::lock_guard lock(mutex_);
    controls_.running = false;
    steps_cancelled_below_ = next_steps_id_;  // steps on broken weights would only waste time
  }
  std::lock_guard lock(snapshot_mutex_);
  post_message("paused: " + problem);
}

}  // namespace ganvas
