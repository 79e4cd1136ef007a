// --device, --dataset and --data-dir.
#include "gan/cli/gan_options.h"

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

std::string data_dir_option(const Args& args, DatasetKind kind) {
  return args.text("data-dir", kind == DatasetKind::kMnist ? default_mnist_dir() : kFashionMnistDir);
}

}  // namespace ganvas::cli
