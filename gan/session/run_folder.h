// A run as a folder, as TensorBoard keeps a log directory: run.json (what the run is and how it
// trains, gan/io/run_record.h), checkpoint.safetensors (the latest weights with Adam's state) and
// metrics.csv (losses and quality scores by step). `ganvas train --out DIR` writes one; the window
// keeps its run in one (saved every few minutes and on the way out), reopens one, or follows one
// that another process trains.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gan/eval/metrics_log.h"
#include "gan/io/run_record.h"
#include "gan/session/run_history.h"
#include "gan/train/live_trainer.h"

namespace ganvas {

std::string run_checkpoint(const std::string& dir);  // DIR/checkpoint.safetensors
std::string run_metrics(const std::string& dir);     // DIR/metrics.csv

// Whether DIR holds a run: its checkpoint.
bool holds_run(const std::string& dir);
// Where the window's runs go: $XDG_DATA_HOME/ganvas/runs ("" when no home is known).
std::string runs_root();
// A new run's folder under `root`, named by the time and the model: "2026-12-08-013000-gan".
std::string new_run_path(const std::string& root, const ModelShape& shape);

// The rows of DIR/metrics.csv; none when there is no such file; throws on one that is not ganvas's.
std::vector<MetricsRow> read_saved_rows(const std::string& dir);

// What a run's metrics.csv holds, as the live trainer and the run history keep it.
struct SavedHistory {
  MetricsHistory losses;
  std::vector<QualityPoint> quality;  // history 0: the caller gives them the history they belong to
};
// Empty when the folder has no metrics.csv; throws on one that is not ganvas's.
SavedHistory read_saved_history(const std::string& dir);

// DIR/checkpoint-stepNNNNNNN.safetensors: each checkpoint added under its step's name too (a hard link
// to DIR/checkpoint.safetensors, no second copy). The last kKept stay; older ones this object added
// go, and none it did not add.
class NumberedCheckpoints {
 public:
  static constexpr size_t kKept = 3;
  explicit NumberedCheckpoints(std::string dir) : dir_(std::move(dir)) {}
  // After DIR/checkpoint.safetensors was written at `step`. Returns what went wrong, else "".
  std::string add(uint64_t step);

 private:
  std::string dir_;
  std::vector<std::string> added_;  // oldest first
};

// A file's identity and state: a checkpoint renamed into place has another inode, size or time.
struct FileStamp {
  uint64_t device = 0, inode = 0, size = 0;
  int64_t modified_ns = 0;
  bool operator==(const FileStamp&) const = default;
};
std::optional<FileStamp> stamp_of(const std::string& path);

// The checkpoint, metrics.csv and run.json of a live run, written together.
struct RunSave {
  std::string dir;
  RunRecord record;  // its step and times are set here; `created` is kept when the folder has one
};
// Saves the trainer's weights (waiting for the save), the history's rows and the record into
// `save.dir` (made when missing). Returns the step saved; throws with the trainer's or the file's message.
uint64_t save_run(LiveTrainer& trainer, const RunHistory& history, RunSave save);

}  // namespace ganvas
