// The visualizer's settings as "key=value" text, the form a plugin module receives them in.
#include <cstdint>
#include <cstdlib>
#include <sstream>

#include "common/error.h"
#include "gan/viz/gan_visualizer.h"

namespace ganvas {

VizConfig VizConfig::parse(const std::string& text) {
  VizConfig config;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    const size_t eq = line.find('=');
    if (line.empty()) continue;
    if (eq == std::string::npos) GANVAS_THROW("visualizer setting '" + line + "' is not key=value");
    const std::string key = line.substr(0, eq), value = line.substr(eq + 1);
    const auto number = [&](long long lo, long long hi) {
      char* end = nullptr;
      const long long v = std::strtoll(value.c_str(), &end, 10);
      if (value.empty() || *end != '\0' || v < lo || v > hi) {
        GANVAS_THROW("visualizer setting " + key + "=" + value + " is not a whole number in [" + std::to_string(lo) +
                     ", " + std::to_string(hi) + "]");
      }
      return v;
    };
    if (key == "data_dir") config.data_dir = value;
    else if (key == "dataset") config.dataset = parse_dataset_kind(value);
    else if (key == "checkpoint") config.checkpoint = value;
    else if (key == "preset") config.preset = value;
    else if (key == "device") config.device = parse_device(value);
    else if (key == "seed") config.seed = static_cast<uint64_t>(number(0, INT64_MAX));
    else if (key == "train") config.train = value == "1";
    else if (key == "grid") config.grid = static_cast<int>(number(2, 16));
    else if (key == "strip") config.strip = static_cast<int>(number(2, 32));
    else if (key == "interop") config.interop = value == "1";
    else if (key == "walk") config.scripted.walk = value == "1";
    else if (key == "lockstep") config.scripted.lockstep = value == "1";
    else if (key == "data_required") config.data_required = value == "1";
    else if (key == "steps_per_frame") config.steps_per_frame = static_cast<int>(number(0, 100000));
    else if (key == "run_dir") config.run.dir = value;
    else if (key == "follow") config.run.follow = value == "1";
    else if (key == "compare") config.run.compare.push_back(value);
    else if (key == "autosave_seconds") config.run.autosave_seconds = static_cast<double>(number(1, 86400));
    else GANVAS_THROW("unknown visualizer setting '" + key + "'");
  }
  return config;
}

namespace {

std::string compared_lines(const std::vector<std::string>& dirs) {
  std::string text;
  for (const std::string& dir : dirs) text += "\ncompare=" + dir;
  return text;
}

}  // namespace

std::string VizConfig::to_text() const {
  const auto compared = [this] { return compared_lines(run.compare); };
  return "data_dir=" + data_dir + "\ndata_required=" + (data_required ? "1" : "0") + "\ndataset=" + dataset_name(dataset) + "\ncheckpoint=" + checkpoint +
         "\npreset=" + preset +
         "\ndevice=" + device_name(device) +
         "\nseed=" + std::to_string(seed) + "\ntrain=" + (train ? "1" : "0") + "\ngrid=" + std::to_string(grid) +
         "\nstrip=" + std::to_string(strip) + "\ninterop=" + (interop ? "1" : "0") + "\nwalk=" + (scripted.walk ? "1" : "0") +
         "\nlockstep=" + (scripted.lockstep ? "1" : "0") + "\nsteps_per_frame=" + std::to_string(steps_per_frame) +
         "\nrun_dir=" + run.dir + "\nfollow=" + (run.follow ? "1" : "0") +
         "\nautosave_seconds=" + std::to_string(static_cast<long long>(run.autosave_seconds)) + compared() + "\n";
}

}  // namespace ganvas
