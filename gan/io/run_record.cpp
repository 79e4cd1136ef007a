// run.json of a run folder: written with nlohmann/json, read with its checks.
#include "gan/io/run_record.h"

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/printable.h"
#include "common/version.h"

namespace ganvas {
namespace {

constexpr size_t kMostRecordBytes = 64 * 1024;  // a record is under 1 KB

Loss loss_named(const std::string& name, const std::string& source) {
  try {
    return parse_loss(name);
  } catch (const Error&) {  // its message would repeat the file's text unquoted
    GANVAS_THROW(source + ": unknown loss " + quote(name) + " (expected nonsaturating, minimax, least-squares or hinge)");
  }
}

// A float as the decimal it was written as (0.9, not 0.8999999761581421).
double decimal(float value) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.7g", static_cast<double>(value));
  return std::strtod(text, nullptr);
}

template <class T>
void take(const nlohmann::json& json, const char* key, T& value) {
  if (json.contains(key)) value = json.at(key).get<T>();
}

}  // namespace

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

std::string run_record_json(const RunRecord& r) {
  nlohmann::json json = {
      {"model", r.model},
      {"loss", loss_name(r.recipe.loss)},
      {"optimizer", r.recipe.optimizer == Optimizer::kSgd ? "sgd" : "adam"},
      {"beta1", decimal(r.recipe.beta1)},
      {"real_target", decimal(r.recipe.real_target)},
      {"generator_ema", decimal(r.recipe.generator_ema)},
      {"preset", r.preset},
      {"seed", r.seed},
      {"dataset", dataset_name(r.dataset)},
      {"data_dir", r.data_dir},
      {"lr_g", decimal(r.lr_g)},
      {"lr_d", decimal(r.lr_d)},
      {"batch", r.batch},
      {"schedule", r.alternate ? "alternate" : "simultaneous"},
      {"d_steps", r.d_steps},
      {"step", r.step},
      {"ganvas", r.version.empty() ? std::string(kVersion) : r.version},
      {"created", r.created},
      {"updated", r.updated}};
  return json.dump(2) + "\n";
}

RunRecord parse_run_record(const std::string& text, const std::string& source) {
  GANVAS_CHECK(text.size() <= kMostRecordBytes, source + " is too large for a run record");
  RunRecord r;
  try {
    const nlohmann::json json = nlohmann::json::parse(text);
    GANVAS_CHECK(json.is_object(), source + " is not a JSON object");
    take(json, "model", r.model);
    std::string loss = loss_name(r.recipe.loss), optimizer = "adam", schedule = "simultaneous", dataset = "mnist";
    take(json, "loss", loss);
    take(json, "optimizer", optimizer);
    take(json, "beta1", r.recipe.beta1);
    take(json, "real_target", r.recipe.real_target);
    take(json, "generator_ema", r.recipe.generator_ema);
    take(json, "preset", r.preset);
    take(json, "seed", r.seed);
    take(json, "dataset", dataset);
    take(json, "data_dir", r.data_dir);
    take(json, "lr_g", r.lr_g);
    take(json, "lr_d", r.lr_d);
    take(json, "batch", r.batch);
    take(json, "schedule", schedule);
    take(json, "d_steps", r.d_steps);
    take(json, "step", r.step);
    take(json, "ganvas", r.version);
    take(json, "created", r.created);
    take(json, "updated", r.updated);
    r.recipe.loss = loss_named(loss, source);
    GANVAS_CHECK(optimizer == "adam" || optimizer == "sgd", source + ": unknown optimizer " + quote(optimizer));
    r.recipe.optimizer = optimizer == "sgd" ? Optimizer::kSgd : Optimizer::kAdam;
    GANVAS_CHECK(schedule == "simultaneous" || schedule == "alternate", source + ": unknown schedule " + quote(schedule));
    r.alternate = schedule == "alternate";
    GANVAS_CHECK(dataset == "mnist" || dataset == "fashion", source + ": unknown data set " + quote(dataset));
    r.dataset = parse_dataset_kind(dataset);
  } catch (const nlohmann::json::exception& e) {
    GANVAS_THROW(source + " is not a run record: " + e.what());
  }
  GANVAS_CHECK(r.batch >= 1 && r.d_steps >= 1 && r.lr_g > 0 && r.lr_d > 0, source + " records settings no run trains with");
  return r;
}

void write_run_record(const std::string& dir, const RunRecord& record) {
  const std::string text = run_record_json(record);
  write_file_atomically(dir + "/run.json", text.data(), text.size());
}

RunRecord read_run_record(const std::string& dir) {
  const std::string path = dir + "/run.json";
  std::error_code error;  // a FIFO would block the read, a folder would read as nothing
  GANVAS_CHECK(std::filesystem::is_regular_file(path, error), path + " is not a regular file: not a run folder");
  std::ifstream in(path, std::ios::binary);
  GANVAS_CHECK(in, path + " cannot be read: not a run folder");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_run_record(text.str(), path);
}

}  // namespace ganvas
