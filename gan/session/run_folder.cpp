// Run folders: their files, their names, their history read back, and a live run saved into one.
#include "gan/session/run_folder.h"

#include <sys/stat.h>

#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/user_dirs.h"
#include "gan/eval/metrics_log.h"

namespace ganvas {

std::string run_checkpoint(const std::string& dir) { return dir + "/checkpoint.safetensors"; }
std::string run_metrics(const std::string& dir) { return dir + "/metrics.csv"; }

bool holds_run(const std::string& dir) {
  std::error_code error;
  return std::filesystem::is_regular_file(run_checkpoint(dir), error);
}

std::string runs_root() { return user_data_file("runs"); }

std::string new_run_path(const std::string& root, const ModelShape& shape) {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char stamp[32];
  std::strftime(stamp, sizeof(stamp), "%Y-%m-%d-%H%M%S", &local);
  const std::string base = root + "/" + stamp + (shape.conditional() ? "-conditional-gan" : "-gan");
  std::string path = base;
  for (int n = 2; std::filesystem::exists(std::filesystem::symlink_status(path)); ++n) path = base + "-" + std::to_string(n);
  return path;
}

std::vector<MetricsRow> read_saved_rows(const std::string& dir) {
  constexpr uintmax_t kMostBytes = 64u << 20;  // a million steps logged every 100 take 2 MB
  std::error_code error;
  const uintmax_t size = std::filesystem::file_size(run_metrics(dir), error);
  if (error) return {};
  GANVAS_CHECK(size <= kMostBytes, run_metrics(dir) + " is " + std::to_string(size >> 20) + " MiB: too large for a metrics file");
  std::ifstream in(run_metrics(dir), std::ios::binary);
  if (!in) return {};
  std::ostringstream text;
  text << in.rdbuf();
  return parse_metrics_csv(text.str(), run_metrics(dir));
}

SavedHistory read_saved_history(const std::string& dir) {
  SavedHistory saved;
  for (const MetricsRow& row : read_saved_rows(dir)) {
    if (row.losses) saved.losses.add(*row.losses);
    if (row.quality) saved.quality.push_back({0, row.steps_done, *row.quality});
  }
  return saved;
}

std::string NumberedCheckpoints::add(uint64_t step) {
  char name[64];
  std::snprintf(name, sizeof(name), "/checkpoint-step%07llu.safetensors", static_cast<unsigned long long>(step));
  const std::string path = dir_ + name;
  std::error_code error;
  std::filesystem::create_hard_link(run_checkpoint(dir_), path, error);
  if (error) return path + " not written: " + error.message();
  added_.push_back(path);
  while (added_.size() > kKept) {
    std::filesystem::remove(added_.front(), error);
    added_.erase(added_.begin());
  }
  return "";
}

std::optional<FileStamp> stamp_of(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return std::nullopt;
  return FileStamp{static_cast<uint64_t>(info.st_dev), static_cast<uint64_t>(info.st_ino),
                   static_cast<uint64_t>(info.st_size),
                   static_cast<int64_t>(info.st_mtim.tv_sec) * 1000000000 + info.st_mtim.tv_nsec};
}

uint64_t save_run(LiveTrainer& trainer, const RunHistory& history, RunSave save) {
  std::filesystem::create_directories(save.dir);
  RunRecord& record = save.record;
  record.step = trainer.save_with_step(run_checkpoint(save.dir)).get();  // rethrows the save's error
  const std::string csv = metrics_csv(history.rows(trainer.history()));
  write_file_atomically(run_metrics(save.dir), csv.data(), csv.size());
  record.updated = utc_now();
  if (record.created.empty()) {
    try {
      record.created = read_run_record(save.dir).created;
    } catch (const Error&) {
      // a new folder: created now
    }
  }
  if (record.created.empty()) record.created = record.updated;
  write_run_record(save.dir, record);
  return record.step;
}

}  // namespace ganvas
