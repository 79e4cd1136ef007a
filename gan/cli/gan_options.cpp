// --device, --dataset, --data-dir and --threads, and the check of an output path.
#include "gan/cli/gan_options.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <thread>
#include <vector>

#include "common/atomic_file.h"

namespace ganvas::cli {

Device device_option(const Args& args) {
  const std::string name = args.text("device", "auto");
  check_choice("device", name, {"auto", "cpu", "cuda"});
  return parse_device(name);
}

DatasetKind dataset_option(const Args& args) {
  const std::string name = args.text("dataset", "mnist");
  check_choice("dataset", name, {"mnist", "fashion"});
  return parse_dataset_kind(name);
}

int threads_option(const Args& args) {
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const int64_t threads = args.integer("threads", cores, 1, 1024);
  if (threads > cores) {
    throw UsageError("--threads " + std::to_string(threads) + ": this machine has " + std::to_string(cores) +
                     " cores, and more threads than cores only wait for each other");
  }
  return static_cast<int>(threads);
}

std::string data_dir_option(const Args& args, DatasetKind kind) {
  return args.text("data-dir", kind == DatasetKind::kMnist ? default_mnist_dir() : kFashionMnistDir);
}

namespace {

// The folders above `path` that do not exist yet, innermost first: those check_writable would make.
// Walking up stops at the first one that exists, or that cannot be looked at for another reason
// than not being there.
std::vector<std::string> missing_folders_above(const std::string& path) {
  std::vector<std::string> missing;
  std::filesystem::path folder = std::filesystem::path(path).parent_path();
  for (; !folder.empty() && folder != folder.parent_path(); folder = folder.parent_path()) {
    struct stat info {};
    if (lstat(folder.c_str(), &info) == 0 || (errno != ENOENT && errno != ENAMETOOLONG)) break;
    missing.push_back(folder.string());
  }
  return missing;
}

}  // namespace

CreatedFolders::~CreatedFolders() {
  // rmdir removes only an empty folder: one that got outputs, or files of another process, stays.
  for (const std::string& folder : folders_) rmdir(folder.c_str());
}

CreatedFolders check_outputs(const std::vector<std::string>& paths) {
  std::vector<std::string> missing;
  for (const std::string& path : paths) {
    const std::vector<std::string> above = missing_folders_above(path);
    missing.insert(missing.end(), above.begin(), above.end());
  }
  // A folder inside another has the longer name: removing the longest first goes from the inside out.
  std::stable_sort(missing.begin(), missing.end(), [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  CreatedFolders created(std::move(missing));
  for (const std::string& path : paths) check_writable(path);  // a throw removes the folders made so far
  return created;
}

}  // namespace ganvas::cli
