// One run, in one place: its live trainer (model, recipe, backend, weights), the digit grid's
// latents, the latent explorer, what the images show (a key that says when to sample them again),
// and the run's measured history. The window (gan/viz), the C API (gan/embed) and the command line's
// window commands each hold a Session; none of them keeps any of this itself.
//
// A Session is used from one thread at a time (the window's render thread; the C API behind its own
// lock); its LiveTrainer takes commands from any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gan/model/explorer.h"
#include "gan/model/latent.h"
#include "gan/session/run_folder.h"
#include "gan/session/run_history.h"
#include "gan/session/trainer_setup.h"
#include "gan/train/live_trainer.h"

namespace ganvas {

struct SessionConfig {
  TrainerSetup trainer;  // data, checkpoint or preset, device, seed
  int grid = 6;          // the grid's side for an unconditional model; a conditional one shows a row per digit
  int strip = 8;         // the explorer strip's images
  // The run folder (gan/session/run_folder.h): one that holds a run is reopened where it was (weights,
  // Adam's state, step, charts, its data set when none is given); another becomes this run's, written
  // at the first save_run. "" : none.
  std::string run_dir;
  // Follow the run another process trains in run_dir: its latest checkpoint and metrics, never trained here.
  bool follow = false;
};

class Session {
 public:
  // Throws ganvas::Error when the checkpoint cannot be loaded or the device cannot be used.
  explicit Session(const SessionConfig& config);
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  LiveTrainer& trainer() { return *trainer_; }
  const LiveTrainer& trainer() const { return *trainer_; }
  // What a user should be told about the start (no data, the backend chosen).
  const std::vector<std::string>& notes() const { return notes_; }
  // The checkpoint explored: its path, the bundled model's name, or "" for fresh weights.
  const std::string& model_source() const { return model_source_; }
  // Backends for another model (a preset, a loaded checkpoint) on the device this run asked for.
  LiveTrainer::BackendMaker backend_maker() const;

  // Takes the trainer's latest snapshot. Weights of another model set the grid and the explorer up
  // anew; weights of another history (a reset, a load, an undo) switch the run's history.
  struct Changes {
    bool weights = false;  // a new snapshot
    bool model = false;    // of another shape than the one before
    bool history = false;  // of another history
  };
  Changes refresh();
  const LiveSnapshot& snapshot() const { return *snapshot_; }
  const std::shared_ptr<const LiveSnapshot>& shared_snapshot() const { return snapshot_; }

  // The digit grid: side x side latents; a conditional model's rows are its digits, or every cell one digit.
  int grid_side() const { return grid_side_; }
  int grid_cells() const { return grid_side_ * grid_side_; }
  const std::vector<float>& grid_latents() const { return grid_latents_; }
  Latent grid_latent(int cell) const;
  int grid_digit() const { return grid_digit_; }
  void set_grid_digit(int digit);  // -1: a row per digit
  void resample_grid();            // new latents for the grid's cells
  // The grid of `other` (the same latents, so two runs' grids show the same z), when its model takes
  // latents as wide as this one's and has as many cells; returns whether it did.
  bool show_grid_of(const Session& other);
  uint64_t grid_revision() const { return grid_revision_; }  // grows whenever the grid's latents change

  LatentExplorer& explorer() { return *explorer_; }
  const LatentExplorer& explorer() const { return *explorer_; }
  void set_anchor_to_cell(int which, int cell);  // anchor A (0) or B (1) becomes a grid cell's latent

  // Every image the views show, in the order the image buffers hold them: the grid's cells, the
  // strip's images, the explorer's point.
  int image_count() const { return grid_cells() + explorer_->strip() + 1; }
  std::vector<float> image_latents() const;
  // Changes whenever one of those images would: new weights, another grid, the explorer moved.
  struct ImagesKey {
    uint64_t weights = 0, grid = 0, explorer = 0;
    bool operator==(const ImagesKey&) const = default;
  };
  ImagesKey images_key() const { return {snapshot_->version, grid_revision_, explorer_->revision()}; }

  RunHistory& history() { return history_; }
  const RunHistory& history() const { return history_; }

  // The run folder ("" : none) and whether it is followed.
  const std::string& run_dir() const { return run_.dir; }
  bool following() const { return run_.follow; }
  // Saves the run into its folder when it trained since the last save (weights, Adam, metrics,
  // run.json). Returns whether it wrote; throws when it could not.
  bool save_run();
  // A followed run: loads its checkpoint when another one was renamed into place since the last
  // call, with the metrics written beside it. Returns whether it did.
  bool follow_run();

 private:
  // The run folder this session keeps, reopened or follows.
  struct RunLink {
    std::string dir;
    bool follow = false;
    RunRecord record;                     // what run.json says of the run, beside its step and times
    std::optional<FileStamp> seen;        // the followed checkpoint loaded last
    uint64_t saved_step = 0;              // the step the folder holds (or the session started at)
  };
  static TrainerSetup reopened(const SessionConfig& config);  // the setup with the run folder's checkpoint and data
  void restore_saved_history(const SavedHistory& saved);
  void restore_settings();
  void set_up_for_model(uint64_t latent_seed, int strip);
  void draw_grid();  // the grid's latents for its seed and digits

  std::unique_ptr<LiveTrainer> trainer_;
  std::vector<std::string> notes_;
  std::string model_source_;
  Device device_;
  std::shared_ptr<const LiveSnapshot> snapshot_;
  ModelShape shape_;  // the model the grid and the explorer are set up for
  int base_grid_;     // the grid's side for an unconditional model
  int grid_side_ = 0;
  uint64_t grid_seed_ = 1;
  int grid_digit_ = -1;
  std::vector<float> grid_latents_;
  uint64_t grid_revision_ = 0;
  std::optional<LatentExplorer> explorer_;
  RunHistory history_;
  RunLink run_;
};

}  // namespace ganvas
