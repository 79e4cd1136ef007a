// Saving and loading the GAN's training state as safetensors.
#include "gan/io/checkpoint.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <set>

#include "common/error.h"
#include "common/printable.h"

namespace ganvas {
namespace {

constexpr const char* kFormat = "ganvas-gan-checkpoint";
constexpr const char* kFormatVersion = "1";
// Past what any run reaches (2^62 steps at 20,000 a second is seven million years), with room left
// for every further step, so the counters never wrap.
constexpr uint64_t kLargestStep = uint64_t{1} << 62;
// An Adam moment past this is no trained network's: the bound keeps one update finite (|m| / eps
// times any step size stays below float's range).
constexpr float kLargestMoment = 1e20f;
constexpr float kLargestHalf = 65504.0f;  // F16's largest finite value

std::string exact_float(float value) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.9g", value);
  return text;
}

std::string shape_text(const std::vector<int64_t>& shape) {
  std::string text = "[";
  for (size_t i = 0; i < shape.size(); ++i) text += (i ? "," : "") + std::to_string(shape[i]);
  return text + "]";
}

void add_net(SafetensorsFile& file, const NetState& net, const std::string& prefix, bool with_optimizer, bool half) {
  for (const TensorSlot& slot : tensor_slots(net.shape, prefix)) {
    const float* values = net.params.data() + slot.offset;
    file.tensors[slot.name] = half ? make_f16_tensor(slot.shape, values) : make_f32_tensor(slot.shape, values);
    if (!with_optimizer) continue;
    file.tensors["optimizer." + slot.name + ".exp_avg"] = make_f32_tensor(slot.shape, net.m.data() + slot.offset);
    file.tensors["optimizer." + slot.name + ".exp_avg_sq"] =
        make_f32_tensor(slot.shape, net.v.data() + slot.offset);
  }
  if (!with_optimizer) return;
  file.metadata["optimizer." + prefix + ".t"] = std::to_string(net.powers.t);
  file.metadata["optimizer." + prefix + ".beta1_power"] = exact_float(net.powers.beta1_power);
  file.metadata["optimizer." + prefix + ".beta2_power"] = exact_float(net.powers.beta2_power);
}

const Tensor& model_tensor(const SafetensorsFile& file, const std::string& name, const std::string& source) {
  const auto it = file.tensors.find(name);
  if (it == file.tensors.end()) {
    GANVAS_THROW(source + ": not a checkpoint of this GAN: it has no tensor '" + name + "'");
  }
  if (it->second.dtype != DType::kF32 && it->second.dtype != DType::kF16) {
    GANVAS_THROW(source + ": tensor '" + name + "' is " + dtype_name(it->second.dtype) + ", expected F32 or F16");
  }
  return it->second;
}

// A width read off a tensor: at least 1 and at most `largest`, checked before anything is sized by it.
int checked_width(int64_t width, int64_t largest, const std::string& what, const std::string& source) {
  if (width < 1 || width > largest) {
    GANVAS_THROW(source + ": not a checkpoint of this GAN: its " + what + " is " + std::to_string(width) +
                 " (expected 1 to " + std::to_string(largest) + ")");
  }
  return static_cast<int>(width);
}

std::string metadata_or(const SafetensorsFile& file, const std::string& key, const std::string& fallback) {
  const auto it = file.metadata.find(key);
  return it == file.metadata.end() ? fallback : it->second;
}

// A named choice from the metadata (absent: `fallback`), its parse error naming the file.
template <class Parse>
auto parse_metadata(const SafetensorsFile& file, const std::string& key, const char* fallback, Parse parse,
                    const std::string& source) {
  try {
    return parse(metadata_or(file, key, fallback));
  } catch (const Error& e) {
    GANVAS_THROW(source + ": metadata '" + key + "': " + one_line_message(e.what(), 300));
  }
}

// 0 for the tutorial's model, 10 for a conditional one, as the metadata says.
int model_classes(const SafetensorsFile& file, const std::string& source) {
  const std::string model = metadata_or(file, "model", "tutorial");
  if (model == "tutorial") return 0;
  if (model != "conditional") GANVAS_THROW(source + ": unknown model " + quote(model) + " (expected tutorial or conditional)");
  if (metadata_or(file, "classes", "10") != "10") GANVAS_THROW(source + ": a conditional model of 10 digits was expected");
  return 10;
}

// 1 or 2: how many hidden layers both networks have, by which of their Linear layers are stored.
int hidden_layer_count(const SafetensorsFile& file, const std::string& source) {
  const bool second = file.tensors.count("generator.4.weight") > 0;
  if (second != (file.tensors.count("discriminator.4.weight") > 0)) {
    GANVAS_THROW(source + ": not a checkpoint of this GAN: its generator and discriminator differ in depth");
  }
  return second ? 2 : 1;
}

// The names a checkpoint of this shape may hold: its networks, the average of G and their moments.
std::set<std::string> model_tensor_names(const ModelShape& shape) {
  std::set<std::string> names;
  for (const auto& [net, prefix] : {std::pair{shape.generator(), "generator"}, std::pair{shape.discriminator(), "discriminator"},
                                    std::pair{shape.generator(), "generator_ema"}}) {
    for (const TensorSlot& slot : tensor_slots(net, prefix)) {
      names.insert(slot.name);
      names.insert("optimizer." + slot.name + ".exp_avg");
      names.insert("optimizer." + slot.name + ".exp_avg_sq");
    }
  }
  return names;
}

// Every tensor under the model's names (its networks, the average of G, their optimizer moments) is
// one the model has: a layer beyond its depth or a stray piece is refused, not silently dropped.
void check_no_stray_tensors(const ModelShape& shape, const SafetensorsFile& file, const std::string& source) {
  const std::set<std::string> expected = model_tensor_names(shape);
  for (const auto& [name, tensor] : file.tensors) {
    const bool model_name = name.rfind("generator", 0) == 0 || name.rfind("discriminator", 0) == 0 ||
                            name.rfind("optimizer.", 0) == 0;
    if (model_name && !expected.count(name)) {
      GANVAS_THROW(source + ": tensor " + quote(name) + " is not part of this model (" + std::to_string(shape.hidden_layers) +
                   " hidden layer" + (shape.hidden_layers > 1 ? "s" : "") + " in each network): a checkpoint of another model?");
    }
  }
}

// The model's shape, read off the tensors and checked against what this GAN can be.
ModelShape shape_from_file(const SafetensorsFile& file, const std::string& source) {
  constexpr int64_t kLargestNoise = 4096, kLargestHidden = 8192;  // the widest `ganvas train --hidden` makes
  const auto& g0 = model_tensor(file, "generator.0.weight", source).shape;
  const auto& d0 = model_tensor(file, "discriminator.0.weight", source).shape;
  if (g0.size() != 2 || d0.size() != 2) {
    GANVAS_THROW(source + ": not a checkpoint of this GAN: its first layers are not matrices");
  }
  ModelShape shape;
  shape.classes = model_classes(file, source);
  shape.activation = parse_metadata(file, "activation", "relu", parse_activation, source);
  shape.hidden_layers = hidden_layer_count(file, source);
  shape.hidden = checked_width(g0[0], kLargestHidden, "generator's hidden width", source);
  shape.noise = checked_width(g0[1] - shape.classes, kLargestNoise, "noise width", source);
  shape.disc_hidden = checked_width(d0[0], kLargestHidden, "discriminator's hidden width", source);
  if (d0[1] != shape.image + shape.classes) {
    GANVAS_THROW(source + ": not a checkpoint of this GAN: its discriminator takes " + std::to_string(d0[1]) +
                 " inputs, expected " + std::to_string(shape.image + shape.classes) + " (28x28 images" +
                 (shape.conditional() ? " and a one-hot digit)" : ")"));
  }
  return shape;
}

// Every tensor of a network has the shape the model asks for: checked before memory is sized by it.
void check_net_shapes(const MlpShape& net, const SafetensorsFile& file, const std::string& prefix,
                      const std::string& source) {
  for (const TensorSlot& slot : tensor_slots(net, prefix)) {
    const Tensor& tensor = model_tensor(file, slot.name, source);
    if (tensor.shape != slot.shape) {
      GANVAS_THROW(source + ": tensor '" + slot.name + "' has shape " + shape_text(tensor.shape) + ", expected " +
                   shape_text(slot.shape) + " (a checkpoint of another model?)");
    }
    for (const char* moment : {"exp_avg", "exp_avg_sq"}) {
      const std::string name = "optimizer." + slot.name + "." + moment;
      if (file.tensors.count(name) && model_tensor(file, name, source).shape != slot.shape) {
        GANVAS_THROW(source + ": tensor '" + name + "' has the wrong shape");
      }
    }
  }
}

void load_net(NetState& net, const SafetensorsFile& file, const std::string& prefix, const std::string& source) {
  net.params.assign(net.shape.size(), 0.0f);
  net.m.assign(net.shape.size(), 0.0f);
  net.v.assign(net.shape.size(), 0.0f);
  for (const TensorSlot& slot : tensor_slots(net.shape, prefix)) {
    const Tensor& tensor = model_tensor(file, slot.name, source);
    const std::vector<float> values = tensor.to_floats();
    std::copy(values.begin(), values.end(), net.params.begin() + static_cast<std::ptrdiff_t>(slot.offset));
    const std::pair<const char*, std::vector<float>*> moments[] = {{"exp_avg", &net.m}, {"exp_avg_sq", &net.v}};
    for (const auto& [moment, target] : moments) {
      const std::string name = "optimizer." + slot.name + "." + moment;
      if (!file.tensors.count(name)) continue;  // model-only file: fresh optimizer
      const Tensor& state = model_tensor(file, name, source);
      const std::vector<float> m = state.to_floats();
      std::copy(m.begin(), m.end(), target->begin() + static_cast<std::ptrdiff_t>(slot.offset));
    }
  }
}

uint64_t metadata_u64(const SafetensorsFile& file, const std::string& key, const std::string& source) {
  const std::string text = metadata_or(file, key, "0");
  // Digits only: strtoull would wrap "-5" around and clamp what is past 2^64 without a word.
  const bool digits = !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
  errno = 0;
  const unsigned long long value = digits ? std::strtoull(text.c_str(), nullptr, 10) : 0;
  if (!digits) GANVAS_THROW(source + ": metadata '" + key + "' is not a whole number from 0 up: " + quote(text));
  if (errno == ERANGE) GANVAS_THROW(source + ": metadata '" + key + "' is past 2^64: " + quote(text));
  return value;
}

// A number from the metadata; `fallback` (text) when the key is absent.
float metadata_float(const SafetensorsFile& file, const std::string& key, const std::string& source,
                     const char* fallback = "1") {
  const std::string text = metadata_or(file, key, fallback);
  char* end = nullptr;
  const float value = std::strtof(text.c_str(), &end);
  if (text.empty() || *end != '\0') GANVAS_THROW(source + ": metadata '" + key + "' is not a number: " + quote(text));
  return value;
}

// A step counter read from the metadata, at most kLargestStep.
uint64_t metadata_step(const SafetensorsFile& file, const std::string& key, const std::string& source) {
  const uint64_t step = metadata_u64(file, key, source);
  if (step > kLargestStep) {
    GANVAS_THROW(source + ": metadata '" + key + "' is " + std::to_string(step) + ", past 2^62, which no run reaches");
  }
  return step;
}

void load_powers(NetState& net, const SafetensorsFile& file, const std::string& prefix, const std::string& source) {
  net.powers.t = static_cast<long long>(metadata_step(file, "optimizer." + prefix + ".t", source));
  net.powers.beta1_power = metadata_float(file, "optimizer." + prefix + ".beta1_power", source);
  net.powers.beta2_power = metadata_float(file, "optimizer." + prefix + ".beta2_power", source);
}

// Adam's state as Adam leaves it: powers of the betas in [0, 1], second moments not negative, first
// moments within kLargestMoment; else its first step would give NaN or Inf.
void check_optimizer_state(const NetState& net, const std::string& name, const std::string& where) {
  for (const auto& [power, label] : {std::pair{net.powers.beta1_power, "beta1_power"}, std::pair{net.powers.beta2_power, "beta2_power"}}) {
    if (!(power >= 0.0f && power <= 1.0f)) {
      GANVAS_THROW(where + ": the " + name + "'s Adam " + label + " is " + exact_float(power) + ", not a power of a beta (0 to 1)");
    }
  }
  const auto negative = std::count_if(net.v.begin(), net.v.end(), [](float v) { return v < 0.0f; });
  if (negative > 0) {
    GANVAS_THROW(where + ": " + std::to_string(negative) + " of the " + name + "'s Adam second moments are negative");
  }
  const auto huge = std::count_if(net.m.begin(), net.m.end(), [](float m) { return std::fabs(m) > kLargestMoment; });
  if (huge > 0) {
    GANVAS_THROW(where + ": " + std::to_string(huge) + " of the " + name + "'s Adam first moments are past 1e20, which no training reaches");
  }
}

// The values a half-precision file would hold must stay finite there.
void check_half_range(const GanState& state, const std::string& where) {
  float largest = 0.0f;
  for (const std::vector<float>* values : {&state.generator.params, &state.discriminator.params, &state.generator_ema}) {
    for (float v : *values) largest = std::max(largest, std::fabs(v));
  }
  if (largest >= 65520.0f) {  // rounds to infinity in F16
    GANVAS_THROW(where + ": a weight of magnitude " + exact_float(largest) + " is past F16's largest value (" +
                 exact_float(kLargestHalf) + "); save it in F32 (without --half)");
  }
}

// The checkpoint's counters and every value: finite, and Adam's state one that can take a step.
void check_state(const GanState& state, const std::string& where) {
  check_parameters_finite(state, where);
  if (state.step > kLargestStep) GANVAS_THROW(where + ": the step counter is past 2^62");
  check_optimizer_state(state.generator, "generator", where);
  check_optimizer_state(state.discriminator, "discriminator", where);
}

}  // namespace

SafetensorsFile checkpoint_contents(const GanState& state, bool with_optimizer, bool half, const Metadata& extra) {
  check_consistent(state);
  SafetensorsFile file;
  file.metadata = extra;  // the checkpoint's own keys below take precedence
  add_net(file, state.generator, "generator", with_optimizer, half);
  add_net(file, state.discriminator, "discriminator", with_optimizer, half);
  if (!state.generator_ema.empty()) {
    NetState average{state.generator.shape, state.generator_ema, {}, {}, {}};
    add_net(file, average, "generator_ema", false, half);
  }
  file.metadata["format"] = kFormat;
  file.metadata["format_version"] = kFormatVersion;
  file.metadata["step"] = std::to_string(state.step);
  file.metadata["seed"] = std::to_string(state.seed);
  file.metadata["model"] = state.shape.conditional() ? "conditional" : "tutorial";
  if (state.shape.conditional()) file.metadata["classes"] = std::to_string(state.shape.classes);
  file.metadata["activation"] = activation_name(state.shape.activation);
  file.metadata["loss"] = loss_name(state.recipe.loss);
  file.metadata["optimizer"] = optimizer_name(state.recipe.optimizer);
  file.metadata["real_target"] = exact_float(state.recipe.real_target);
  file.metadata["beta1"] = exact_float(state.recipe.beta1);
  file.metadata["generator_ema"] = exact_float(state.recipe.generator_ema);
  return file;
}

void save_checkpoint(const std::string& path, const GanState& state, bool with_optimizer, bool half,
                     const Metadata& extra) {
  check_state(state, "not saving " + path);  // the previous file, if any, stays as it was
  if (half) check_half_range(state, "not saving " + path + " in half precision");
  write_safetensors(path, checkpoint_contents(state, with_optimizer, half, extra));
}

namespace {

// Everything a checkpoint's header says, checked: the model's shape and recipe, its counters and the
// shapes of its tensors. The values are not read here.
GanState checked_layout(const SafetensorsFile& file, const std::string& source) {
  const std::string format = metadata_or(file, "format", kFormat);
  if (format != kFormat) GANVAS_THROW(source + ": a " + quote(format) + " file, not a ganvas GAN checkpoint");
  const std::string version = metadata_or(file, "format_version", kFormatVersion);
  if (version != kFormatVersion) {
    GANVAS_THROW(source + ": checkpoint format version " + quote(version) + ", this ganvas reads version " + kFormatVersion);
  }
  GanState state;
  state.shape = shape_from_file(file, source);
  state.generator.shape = state.shape.generator();
  state.discriminator.shape = state.shape.discriminator();
  check_no_stray_tensors(state.shape, file, source);
  check_net_shapes(state.generator.shape, file, "generator", source);
  check_net_shapes(state.discriminator.shape, file, "discriminator", source);
  if (file.tensors.count("generator_ema.0.weight")) check_net_shapes(state.generator.shape, file, "generator_ema", source);
  load_powers(state.generator, file, "generator", source);
  load_powers(state.discriminator, file, "discriminator", source);
  state.step = metadata_step(file, "step", source);
  state.seed = metadata_u64(file, "seed", source);
  state.recipe.loss = parse_metadata(file, "loss", "nonsaturating", parse_loss, source);
  state.recipe.optimizer = parse_metadata(file, "optimizer", "adam", parse_optimizer, source);
  state.recipe.real_target = metadata_float(file, "real_target", source);
  state.recipe.beta1 = metadata_float(file, "beta1", source, "0.9");
  state.recipe.generator_ema = metadata_float(file, "generator_ema", source, "0");
  if (!(state.recipe.generator_ema >= 0.0f && state.recipe.generator_ema < 1.0f)) {
    GANVAS_THROW(source + ": metadata 'generator_ema' must be in [0, 1)");
  }
  if (!(state.recipe.beta1 >= 0.0f && state.recipe.beta1 < 1.0f)) GANVAS_THROW(source + ": metadata 'beta1' must be in [0, 1)");
  if (!(state.recipe.real_target > 0.0f && state.recipe.real_target <= 1.0f)) {
    GANVAS_THROW(source + ": metadata 'real_target' must be in (0, 1]");
  }
  return state;
}

}  // namespace

TensorSelection checkpoint_selection(const std::string& source) {
  return [source](const SafetensorsFile& header) {
    const GanState layout = checked_layout(header, source);
    std::set<std::string> wanted;
    for (const std::string& name : model_tensor_names(layout.shape)) {
      if (header.tensors.count(name)) wanted.insert(name);
    }
    return wanted;
  };
}

GanState state_from_checkpoint(const SafetensorsFile& file, const std::string& source) {
  GanState state = checked_layout(file, source);
  load_net(state.generator, file, "generator", source);
  load_net(state.discriminator, file, "discriminator", source);
  if (file.tensors.count("generator_ema.0.weight")) {
    NetState average{state.generator.shape, {}, {}, {}, {}};
    load_net(average, file, "generator_ema", source);
    state.generator_ema = std::move(average.params);
  }
  check_state(state, source);
  return state;
}

size_t count_non_finite(const std::vector<float>& values) {
  return static_cast<size_t>(std::count_if(values.begin(), values.end(), [](float v) { return !std::isfinite(v); }));
}

void check_parameters_finite(const GanState& state, const std::string& where) {
  size_t bad = 0;
  for (const NetState* net : {&state.generator, &state.discriminator}) {
    for (const std::vector<float>* values : {&net->params, &net->m, &net->v}) bad += count_non_finite(*values);
  }
  bad += count_non_finite(state.generator_ema);
  if (bad > 0) GANVAS_THROW(where + ": " + std::to_string(bad) + " parameters are not finite (NaN or Inf)");
}

GanState load_checkpoint(const std::string& path) {
  return state_from_checkpoint(read_safetensors(path, checkpoint_selection(path)), path);
}

}  // namespace ganvas
