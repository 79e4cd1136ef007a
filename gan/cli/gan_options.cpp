// --device, --dataset, --data-dir and --threads.
#include "gan/cli/gan_options.h"

#include <algorithm>
#include <thread>

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

}  // namespace ganvas::cli
