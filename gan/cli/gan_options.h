// The options every command that trains or shows the GAN shares, checked in one place.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "gan/backends/backend_factory.h"
#include "gan/cli/args.h"
#include "gan/io/dataset.h"

namespace ganvas::cli {

// --device: auto (default), cpu or cuda.
Device device_option(const Args& args);
// --dataset: mnist (default) or fashion.
DatasetKind dataset_option(const Args& args);
// --data-dir, else where the data set is by default: MNIST along its search path, Fashion-MNIST in
// the folder Debian's package installs.
std::string data_dir_option(const Args& args, DatasetKind kind);
// --threads: CPU threads, from 1 to this machine's cores (its cores by default): more only wait for
// each other.
int threads_option(const Args& args);

// The folders a command made for its outputs that were not there before. When it goes, each is
// removed again if it is still empty (innermost first): a run refused, failed or stopped before it
// wrote anything leaves nothing behind, while a folder that got files stays.
class CreatedFolders {
 public:
  explicit CreatedFolders(std::vector<std::string> folders) : folders_(std::move(folders)) {}
  CreatedFolders(CreatedFolders&& other) noexcept : folders_(std::move(other.folders_)) { other.folders_.clear(); }
  CreatedFolders(const CreatedFolders&) = delete;
  CreatedFolders& operator=(const CreatedFolders&) = delete;
  ~CreatedFolders();

 private:
  std::vector<std::string> folders_;  // innermost first
};

// check_writable (common/atomic_file.h) of each output a command will write, before its work: the
// folders the checks made, which a failed check removes again at once.
CreatedFolders check_outputs(const std::vector<std::string>& paths);

}  // namespace ganvas::cli
