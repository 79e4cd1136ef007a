// The options every command that trains or shows the GAN shares, checked in one place.
#pragma once

#include <string>

#include "gan/backend_factory.h"
#include "gan/cli/args.h"
#include "gan/dataset.h"

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

}  // namespace ganvas::cli
