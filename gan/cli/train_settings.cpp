// The training settings a checkpoint records for --resume.
#include "gan/cli/train_settings.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <utility>

#include "common/error.h"

namespace ganvas::cli {
namespace {

std::string exact(float value) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.9g", static_cast<double>(value));
  return text;
}

// A recorded number within [lo, hi], or a one-line refusal naming the key.
double recorded_number(const std::string& text, const std::string& key, const std::string& source, double lo, double hi) {
  char* end = nullptr;
  errno = 0;
  const double value = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || errno == ERANGE || !(value >= lo && value <= hi)) {
    GANVAS_THROW(source + ": metadata '" + key + "' is not a number from " + exact(static_cast<float>(lo)) + " to " +
                 exact(static_cast<float>(hi)) + ": " + text);
  }
  return value;
}

}  // namespace

std::map<std::string, std::string> settings_metadata(const TrainSettings& s) {
  return {{"train.lr_g", exact(s.lr_g)},
          {"train.lr_d", exact(s.lr_d)},
          {"train.batch", std::to_string(s.batch)},
          {"train.alternate", std::to_string(s.schedule.alternate ? s.schedule.d_steps : 0)},
          {"train.dataset", dataset_name(s.kind)},
          {"train.all_train", s.all_train ? "1" : "0"}};
}

bool take_recorded_settings(const std::map<std::string, std::string>& metadata, const std::string& source,
                            const std::function<bool(const char*)>& given, TrainSettings& s) {
  bool taken = false;
  const auto recorded = [&](const char* key, const char* option) -> const std::string* {
    const auto it = metadata.find(std::string("train.") + key);
    if (it == metadata.end() || given(option)) return nullptr;
    taken = true;
    return &it->second;
  };
  const bool rates_given = given("lr");  // --lr sets both; --lr-g and --lr-d one each
  if (const std::string* v = rates_given ? nullptr : recorded("lr_g", "lr-g")) {
    s.lr_g = static_cast<float>(recorded_number(*v, "train.lr_g", source, 1e-30, 1));
  }
  if (const std::string* v = rates_given ? nullptr : recorded("lr_d", "lr-d")) {
    s.lr_d = static_cast<float>(recorded_number(*v, "train.lr_d", source, 1e-30, 1));
  }
  if (const std::string* v = recorded("batch", "batch")) s.batch = static_cast<int>(recorded_number(*v, "train.batch", source, 1, 65536));
  if (const std::string* v = recorded("alternate", "alternate")) {
    const int k = static_cast<int>(recorded_number(*v, "train.alternate", source, 0, 1000));
    s.schedule = k > 0 ? Schedule{true, k} : Schedule{};
  }
  if (const std::string* v = recorded("dataset", "dataset")) {
    if (*v != "mnist" && *v != "fashion") GANVAS_THROW(source + ": metadata 'train.dataset' is not mnist or fashion: " + *v);
    s.kind = *v == "mnist" ? DatasetKind::kMnist : DatasetKind::kFashion;
  }
  if (const std::string* v = recorded("all_train", "all-train")) s.all_train = *v == "1";
  return taken;
}

std::string describe_settings(const TrainSettings& s) {
  const auto rate = [](float lr) {
    char text[32];
    std::snprintf(text, sizeof(text), "%g", static_cast<double>(lr));
    return std::string(text);
  };
  std::string schedule = s.schedule.alternate ? "alternating, " + std::to_string(s.schedule.d_steps) + " D step(s) per G step"
                                              : "simultaneous updates";
  return "lr G " + rate(s.lr_g) + ", lr D " + rate(s.lr_d) + ", batch " + std::to_string(s.batch) + ", " + schedule +
         ", " + dataset_name(s.kind) + (s.all_train ? " (all images)" : " (5,000 held out)");
}

float largest_sensible_rate(Optimizer optimizer) { return optimizer == Optimizer::kAdam ? 1e-2f : 1e-1f; }

std::string learning_rate_warning(Optimizer optimizer, float lr_g, float lr_d) {
  const float limit = largest_sensible_rate(optimizer);
  const bool g = lr_g > limit, d = lr_d > limit;
  if (!g && !d) return "";
  const auto rate = [](float lr) {
    char text[32];
    std::snprintf(text, sizeof(text), "%g", static_cast<double>(lr));
    return std::string(text);
  };
  const std::string which = g && d && lr_g == lr_d ? rate(lr_g) + " (G and D)"
                            : g && d               ? rate(lr_g) + " (G) and " + rate(lr_d) + " (D)"
                            : g                    ? rate(lr_g) + " (G)"
                                                   : rate(lr_d) + " (D)";
  return "learning rate " + which + " is far above what " + optimizer_name(optimizer) + " trains this GAN with (at most " +
         rate(limit) + (optimizer == Optimizer::kAdam ? "; default 0.0002)" : ")");
}

namespace {

struct SaturationCause {
  const char* what;    // "D(G(z)) stayed below 0.001"
  const char* effect;  // what it does to training
  const char* usual;   // its likely cause when the learning rates are sensible
};

constexpr SaturationCause kSaturation[] = {
    {"D(G(z)) stayed below 0.001", "the discriminator rejects every generated image and the generator's gradient vanishes",
     "the discriminator outlearns the generator (a lower --lr-d or --label-smoothing 0.1 slow it)"},
    {"D(x) stayed below 0.001", "the discriminator rejects the real images too: it has diverged",
     "a learning rate too high for this model (try a lower --lr)"},
    {"D(G(z)) stayed above 0.999", "the discriminator accepts every generated image and no longer teaches the generator",
     "a learning rate too high for this model (try a lower --lr)"},
};

}  // namespace

std::vector<std::string> SaturationWatch::observe(const StepMetrics& m) {
  const bool saturated[kCauses] = {m.d_fake < 1e-3f, m.d_real < 1e-3f, m.d_fake > 0.999f};
  std::vector<std::string> warnings;
  for (int c = 0; c < kCauses; ++c) {
    // Two progress lines in a row, so a single step's dip says nothing.
    if (saturated[c] && saturated_before_[c] && !warned_[c]) {
      warned_[c] = true;
      warnings.push_back(std::string(kSaturation[c].what) + " from step " + std::to_string(previous_step_) + " to step " +
                         std::to_string(m.step + 1) + ": " + kSaturation[c].effect + "; likely cause: " +
                         (high_rate_.empty() ? kSaturation[c].usual : high_rate_));
    }
    saturated_before_[c] = saturated[c];
  }
  previous_step_ = m.step + 1;
  return warnings;
}

}  // namespace ganvas::cli
