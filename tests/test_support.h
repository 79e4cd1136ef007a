// Helpers shared by the test suites: paths, the golden file, tolerances.
#pragma once

#include <cmath>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "gan/io/checkpoint.h"
#include "gan/io/safetensors.h"

namespace ganvas::test {

// Folders fixed at build time; the environment overrides them where the binaries moved (GPU checks).
inline std::string folder(const char* variable, const char* built_in) {
  const char* value = std::getenv(variable);
  return value && *value ? value : built_in;
}
inline std::string data_path(const std::string& name) {
  return folder("GANVAS_TEST_DATA_DIR", GANVAS_TEST_DATA_DIR) + "/" + name;
}
inline std::string mnist_dir() { return folder("GANVAS_MNIST_DIR", GANVAS_MNIST_DIR); }
inline std::string assets_path(const std::string& name) {
  return folder("GANVAS_ASSETS_DIR", GANVAS_ASSETS_DIR) + "/" + name;
}

inline const SafetensorsFile& golden() {
  static const SafetensorsFile file = read_safetensors(data_path("gan_golden.safetensors"));
  return file;
}

// `count` values drawn uniformly from [low, high) by a generator seeded with `seed`.
inline std::vector<float> random_floats(size_t count, unsigned seed, float low = -1.0f, float high = 1.0f) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> uniform(low, high);
  std::vector<float> values(count);
  for (float& v : values) v = uniform(rng);
  return values;
}

// ||a - b|| / ||b||.
inline double relative_error(const std::vector<float>& a, const std::vector<float>& b) {
  double diff = 0, norm = 0;
  for (size_t i = 0; i < b.size() && i < a.size(); ++i) {
    diff += (double(a[i]) - b[i]) * (double(a[i]) - b[i]);
    norm += double(b[i]) * b[i];
  }
  if (a.size() != b.size()) return INFINITY;
  return norm > 0 ? std::sqrt(diff / norm) : std::sqrt(diff);
}

// The tensors of `file` whose names start with `prefix`, with the prefix removed.
inline SafetensorsFile with_prefix_removed(const SafetensorsFile& file, const std::string& prefix) {
  SafetensorsFile out;
  for (const auto& [name, tensor] : file.tensors) {
    if (name.rfind(prefix, 0) == 0) out.tensors[name.substr(prefix.size())] = tensor;
  }
  return out;
}

// The golden model's initial state (batch 128, fresh Adam).
inline GanState golden_initial_state() {
  return state_from_checkpoint(with_prefix_removed(golden(), "init."), "golden init");
}

// Slice [begin, end) of a flat buffer.
inline std::vector<float> slice(const std::vector<float>& v, size_t begin, size_t count) {
  return std::vector<float>(v.begin() + static_cast<std::ptrdiff_t>(begin),
                            v.begin() + static_cast<std::ptrdiff_t>(begin + count));
}

}  // namespace ganvas::test
