// Listing, renaming and deleting run folders.
#include "gan/session/run_list.h"

#include <algorithm>
#include <filesystem>
#include <regex>

#include "common/error.h"
#include "common/printable.h"
#include "common/run_lock.h"
#include "gan/io/run_record.h"
#include "gan/session/run_folder.h"

namespace ganvas {
namespace fs = std::filesystem;
namespace {

// The files a run folder of ganvas's holds.
bool is_run_file(const std::string& name) {
  static const std::regex numbered(R"((samples-step[0-9]{7,}\.png)|(checkpoint-step[0-9]{7,}\.safetensors))");
  return name == "run.json" || name == "checkpoint.safetensors" || name == "metrics.csv" || name == "samples.png" ||
         name == "train.log" || std::regex_match(name, numbered);
}

}  // namespace

RunSummary summarize_run(const std::string& dir) {
  RunSummary summary;
  summary.dir = dir;
  summary.name = fs::path(dir).filename().string();
  try {
    const RunRecord record = read_run_record(dir);
    summary.model = record.model;
    summary.step = record.step;
    summary.updated = record.updated;
  } catch (const Error&) {
    summary.model = "(no run.json)";
  }
  try {
    const SavedHistory saved = read_saved_history(dir);
    if (!saved.quality.empty()) summary.fid = saved.quality.back().scores.fid;
  } catch (const Error&) {
    // a metrics file that does not read: no score to show
  }
  return summary;
}

std::vector<RunSummary> list_runs(const std::string& root) {
  std::vector<RunSummary> runs;
  std::error_code error;
  for (const fs::directory_entry& entry : fs::directory_iterator(root, error)) {
    if (entry.is_directory(error) && !entry.is_symlink(error) && holds_run(entry.path().string())) {
      runs.push_back(summarize_run(entry.path().string()));
    }
  }
  std::sort(runs.begin(), runs.end(), [](const RunSummary& a, const RunSummary& b) {
    return a.updated != b.updated ? a.updated > b.updated : a.name < b.name;
  });
  return runs;
}

std::string rename_run(const std::string& dir, const std::string& name) {
  GANVAS_CHECK(!name.empty() && name != "." && name != ".." && name.find('/') == std::string::npos,
               quote(name) + " is not a folder name");
  const fs::path to = fs::path(dir).parent_path() / name;
  GANVAS_CHECK(!fs::exists(fs::symlink_status(to)), shown_path(to.string()) + " is taken");
  std::error_code error;
  fs::rename(dir, to, error);
  GANVAS_CHECK(!error, "cannot rename " + shown_path(dir) + ": " + error.message());
  return to.string();
}

std::vector<std::string> delete_run(const std::string& dir) {
  GANVAS_CHECK(fs::is_directory(fs::symlink_status(dir)) && holds_run(dir), shown_path(dir) + " is not a run folder");
  std::vector<std::string> left;
  {
    const RunLock lock(dir);  // refused while a ganvas train process writes into it
    for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
      const std::string name = entry.path().filename().string();
      const bool own = is_run_file(name) || name == kRunLockName;
      if (own && entry.is_regular_file() && !entry.is_symlink()) {
        fs::remove(entry.path());
      } else {
        left.push_back(name);
      }
    }
  }
  std::sort(left.begin(), left.end());
  if (left.empty()) fs::remove(dir);
  return left;
}

}  // namespace ganvas
