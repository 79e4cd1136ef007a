// One run's state: the trainer, the grid, the explorer, the history, kept in step with the weights.
#include "gan/session/session.h"

#include <algorithm>

#include "common/error.h"
#include "gan/backends/backend_factory.h"
#include "gan/model/sampler.h"
#include "gan/session/run_folder.h"

namespace ganvas {
namespace {

constexpr uint64_t kGridSeedStride = 104729;  // a prime: the grid seeds' latents never repeat one another

}  // namespace

Session::Session(const SessionConfig& config) : device_(config.trainer.device), base_grid_(config.grid) {
  GANVAS_CHECK(config.grid >= 2 && config.grid <= 16, "the grid has 2 to 16 cells a side");
  GANVAS_CHECK(config.strip >= 2 && config.strip <= 32, "the strip shows 2 to 32 images");
  GANVAS_CHECK(!config.follow || !config.run_dir.empty(), "following a run needs its folder");
  const TrainerSetup setup = reopened(config);
  StartedTrainer started = start_trainer(setup);
  trainer_ = std::move(started.trainer);
  notes_ = std::move(started.notes);
  model_source_ = std::move(started.model_source);
  snapshot_ = trainer_->snapshot();
  history_.follow(snapshot_->history);
  set_up_for_model(config.trainer.seed, config.strip);
  run_.dir = config.run_dir;
  run_.follow = config.follow;
  run_.record.preset = setup.checkpoint.empty() ? setup.preset : "";
  run_.record.seed = setup.seed;
  run_.record.dataset = setup.dataset;
  run_.record.data_dir = setup.data_dir;
  run_.saved_step = snapshot_->step;  // a run that never trains is never written
  if (!run_.dir.empty() && holds_run(run_.dir)) {
    run_.seen = stamp_of(run_checkpoint(run_.dir));
    restore_saved_history(read_saved_history(run_.dir));
    if (!run_.follow) restore_settings();
  }
}

// The learning rates and schedule the reopened run trained with, as its run.json records them.
void Session::restore_settings() {
  try {
    const RunRecord record = read_run_record(run_.dir);
    trainer_->set_learning_rates(record.lr_g, record.lr_d);
    trainer_->set_schedule(Schedule{record.alternate, record.d_steps});
    run_.record.preset = record.preset;
    run_.record.seed = record.seed;
    run_.record.created = record.created;
  } catch (const Error&) {
    // a folder of an older ganvas, without run.json: the defaults
  }
}

TrainerSetup Session::reopened(const SessionConfig& config) {
  TrainerSetup setup = config.trainer;
  if (config.run_dir.empty()) return setup;
  if (config.follow) {
    setup.data_dir.clear();  // another process trains it: nothing trains here
    setup.bundled_without_data = false;  // until its first checkpoint, fresh weights at step 0
  }
  if (!holds_run(config.run_dir)) return setup;
  setup.checkpoint = run_checkpoint(config.run_dir);
  try {
    const RunRecord record = read_run_record(config.run_dir);
    if (setup.data_dir.empty() && !config.follow) setup.data_dir = record.data_dir;
    setup.dataset = record.dataset;
  } catch (const Error&) {
    // a folder of checkpoints from an older ganvas: its data set is the one given
  }
  return setup;
}

void Session::restore_saved_history(const SavedHistory& saved) {
  trainer_->restore_history(saved.losses);
  for (QualityPoint point : saved.quality) {
    point.history = history_.id();
    history_.add_quality(std::move(point));
  }
}

bool Session::save_run() {
  if (run_.dir.empty() || run_.follow || trainer_->status().step == run_.saved_step) return false;
  RunRecord record = run_.record;
  record.model = (snapshot_->shape.conditional() ? "conditional GAN " : "GAN ") + layer_widths(snapshot_->shape.generator());
  record.recipe = snapshot_->recipe;
  const LiveControls controls = trainer_->controls();
  record.lr_g = controls.lr_g;
  record.lr_d = controls.lr_d;
  record.alternate = controls.schedule.alternate;
  record.d_steps = controls.schedule.d_steps;
  run_.saved_step = ganvas::save_run(*trainer_, history_, {run_.dir, record});
  return true;
}

bool Session::follow_run() {
  if (!run_.follow) return false;
  const std::optional<FileStamp> now = stamp_of(run_checkpoint(run_.dir));
  if (!now || now == run_.seen) return false;
  run_.seen = now;  // a file that cannot be loaded is not tried again: the next one renamed into place is
  try {
    trainer_->load(run_checkpoint(run_.dir), backend_maker(), LiveTrainer::LoadAs::kSameRun).get();
  } catch (const std::exception&) {
    return false;  // the trainer's message says why
  }
  try {
    const SavedHistory saved = read_saved_history(run_.dir);
    history_ = RunHistory();  // the metrics file holds all of it: read whole again
    history_.follow(trainer_->snapshot()->history);
    restore_saved_history(saved);
  } catch (const Error&) {
    // metrics that cannot be read leave the charts as they were; the next checkpoint brings them again
  }
  return true;
}

LiveTrainer::BackendMaker Session::backend_maker() const {
  const Device device = device_;
  return [device](const ModelShape& s) { return make_backend(device, s, 128).backend; };
}

Session::Changes Session::refresh() {
  Changes changes;
  std::shared_ptr<const LiveSnapshot> latest = trainer_->snapshot();
  if (latest == snapshot_) return changes;
  snapshot_ = std::move(latest);
  changes.weights = true;
  changes.history = history_.follow(snapshot_->history);
  if (!(snapshot_->shape == shape_)) {
    changes.model = true;
    set_up_for_model(grid_seed_ * kGridSeedStride, explorer_->strip());
  }
  return changes;
}

// The grid (a row for every digit of a conditional model) and the explorer, for the model on screen.
void Session::set_up_for_model(uint64_t latent_seed, int strip) {
  const ModelShape& shape = snapshot_->shape;
  shape_ = shape;
  grid_side_ = shape.conditional() ? std::max(base_grid_, shape.classes) : base_grid_;
  grid_digit_ = -1;
  grid_latents_ = model_latents(shape, latent_seed, grid_cells(), {}, grid_side_);
  ++grid_revision_;
  explorer_.emplace(grid_latents_, shape.latent(), strip, shape.classes);
}

Latent Session::grid_latent(int cell) const {
  GANVAS_CHECK(cell >= 0 && cell < grid_cells(), "no such grid cell");
  const int latent = shape_.latent();
  return Latent(grid_latents_.begin() + cell * latent, grid_latents_.begin() + (cell + 1) * latent);
}

void Session::set_grid_digit(int digit) {
  GANVAS_CHECK(digit >= -1 && digit < std::max(shape_.classes, 0), "no such digit for this model");
  grid_digit_ = digit;
  draw_grid();
}

void Session::resample_grid() {
  ++grid_seed_;
  draw_grid();
}

bool Session::show_grid_of(const Session& other) {
  if (other.shape_.latent() != shape_.latent() || other.grid_cells() != grid_cells()) return false;
  if (other.grid_latents_ == grid_latents_) return true;
  grid_latents_ = other.grid_latents_;
  ++grid_revision_;
  explorer_->forget_anchor_cells();
  return true;
}

void Session::draw_grid() {
  const std::vector<int> digits = grid_digit_ >= 0 ? std::vector<int>{grid_digit_} : std::vector<int>{};
  grid_latents_ = model_latents(shape_, grid_seed_ * kGridSeedStride, grid_cells(), digits, grid_side_);
  ++grid_revision_;
  explorer_->forget_anchor_cells();  // the anchors keep their latents, no longer on the grid
}

void Session::set_anchor_to_cell(int which, int cell) { explorer_->set_anchor(which, grid_latent(cell), cell); }

std::vector<float> Session::image_latents() const {
  std::vector<float> latents = grid_latents_;
  const std::vector<float> strip = explorer_->strip_latents();
  latents.insert(latents.end(), strip.begin(), strip.end());
  latents.insert(latents.end(), explorer_->point().begin(), explorer_->point().end());
  GANVAS_CHECK(latents.size() == static_cast<size_t>(image_count()) * shape_.latent(), "one latent per image");
  return latents;
}

}  // namespace ganvas
