// A run folder's run.json: what the run is (model, recipe, preset, seed), how it trains (data set,
// learning rates, batch, schedule), which ganvas wrote it, when it started and when it last changed.
// The checkpoint beside it is the authority on the weights; run.json is what a list of runs and a
// reopened run read without loading weights.
#pragma once

#include <cstdint>
#include <string>

#include "gan/io/dataset.h"
#include "gan/model/model.h"

namespace ganvas {

struct RunRecord {
  std::string model;  // "GAN 100-256-784" or "conditional GAN 110-256-784"
  TrainingRecipe recipe;
  std::string preset;  // the preset the weights started from; "" when unknown
  uint64_t seed = 0;
  DatasetKind dataset = DatasetKind::kMnist;
  std::string data_dir;  // "" when the run was trained without naming one
  float lr_g = 2e-4f, lr_d = 2e-4f;
  int batch = 128;
  bool alternate = false;  // k D steps per G step, else simultaneous
  int d_steps = 1;
  uint64_t step = 0;       // of the latest checkpoint
  std::string version;     // of the ganvas that last wrote the folder
  std::string created, updated;  // UTC, ISO 8601 ("2026-12-08T01:30:00Z")
};

// The record as JSON text, and back. Parsing refuses what is not such a record with a message that
// names `source`; fields a newer ganvas added are ignored, missing ones keep their defaults.
std::string run_record_json(const RunRecord& record);
RunRecord parse_run_record(const std::string& text, const std::string& source);

// DIR/run.json, written whole (atomically) or read; reading a folder without one throws.
void write_run_record(const std::string& dir, const RunRecord& record);
RunRecord read_run_record(const std::string& dir);

// Now, as run.json writes times.
std::string utc_now();

}  // namespace ganvas
