// The runs in a runs folder, as the Runs tab lists them, and what a user does to one from there:
// rename it, delete it. Deleting removes only the files a run folder of ganvas's holds, never
// anything else a user put there.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ganvas {

struct RunSummary {
  std::string dir;   // the folder's path
  std::string name;  // its last component
  std::string model;
  uint64_t step = 0;
  std::optional<double> fid;  // the latest quality score, when the run was judged
  std::string updated;        // run.json's, UTC
};

// Every run folder directly under `root` (a folder with a checkpoint), newest change first; a folder
// whose run.json or metrics.csv cannot be read is listed with what could be read.
std::vector<RunSummary> list_runs(const std::string& root);
RunSummary summarize_run(const std::string& dir);

// Renames the run folder `dir` to `name` beside it; returns the new path. Refuses a name with a
// slash, "." or "..", or one that is taken.
std::string rename_run(const std::string& dir, const std::string& name);

// Removes a run folder's own files (run.json, checkpoint.safetensors, metrics.csv, samples.png,
// samples-stepNNNNNNN.png, checkpoint-stepNNNNNNN.safetensors, a fork's train.log) and the folder when nothing else is left in it. Returns the names of the
// files it left (someone else's), empty when the folder is gone.
std::vector<std::string> delete_run(const std::string& dir);

}  // namespace ganvas
