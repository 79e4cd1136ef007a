// Forked runs: their options, and the processes that train them.
#include "gan/viz/forked_runs.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <thread>

#include "common/error.h"

extern char** environ;

namespace ganvas {
namespace {

std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.7g", value);
  return text;
}

// The model and objective of the run shown, as `ganvas train` options.
std::vector<std::string> model_options(const LiveSnapshot& shown) {
  const ModelShape& s = shown.shape;
  const TrainingRecipe& r = shown.recipe;
  std::vector<std::string> options = {"--model", s.conditional() ? "conditional" : "tutorial", "--hidden",
                                      std::to_string(s.hidden), "--layers", std::to_string(s.hidden_layers),
                                      "--activation", activation_name(s.activation), "--loss", loss_name(r.loss),
                                      "--optimizer", r.optimizer == Optimizer::kSgd ? "sgd" : "adam", "--beta1",
                                      number(r.beta1), "--label-smoothing", number(1.0 - r.real_target)};
  if (r.generator_ema > 0) options.insert(options.end(), {"--ema", number(r.generator_ema)});
  return options;
}

// `options` with `option`'s value replaced (or added).
void set_option(std::vector<std::string>& options, const std::string& option, const std::string& value) {
  for (size_t i = 0; i + 1 < options.size(); ++i) {
    if (options[i] == option) {
      options[i + 1] = value;
      return;
    }
  }
  options.insert(options.end(), {option, value});
}

}  // namespace

const std::vector<ForkSetting>& fork_settings() {
  static const std::vector<ForkSetting> settings = {
      {"learning rates", "--lr", true},  {"batch", "--batch", true},           {"beta1", "--beta1", false},
      {"loss", "--loss", false},         {"preset", "--preset", false},        {"width", "--hidden", false},
      {"label smoothing", "--label-smoothing", false}, {"average of G", "--ema", false}, {"seed", "--seed", false}};
  return settings;
}

std::vector<std::string> fork_options(const Session& shown, const ForkPlan& plan, const std::string& dir,
                                      const std::string& start, uint64_t seed) {
  const ForkSetting& setting = fork_settings().at(static_cast<size_t>(plan.setting));
  GANVAS_CHECK(!plan.value.empty(), std::string("a fork needs a new value of ") + setting.name);
  GANVAS_CHECK(!plan.from_weights || setting.keeps_weights,
               std::string("a fork with another ") + setting.name + " starts from scratch: the weights belong to the run's model and objective");
  const LiveControls controls = shown.trainer().controls();
  std::vector<std::string> options = {"train", "--out", dir, "--steps", "100000000", "--save-every", "200"};
  if (plan.from_weights) {
    options.insert(options.end(), {"--resume", start});
  } else if (std::string(setting.option) != "--preset") {
    const std::vector<std::string> model = model_options(shown.snapshot());
    options.insert(options.end(), model.begin(), model.end());
    options.insert(options.end(), {"--seed", std::to_string(seed)});
  }
  if (std::string(setting.option) != "--preset") {
    options.insert(options.end(), {"--lr-g", number(controls.lr_g), "--lr-d", number(controls.lr_d)});
  }
  if (std::string(setting.option) == "--lr") {
    set_option(options, "--lr-g", plan.value);
    set_option(options, "--lr-d", plan.value);
  } else {
    set_option(options, setting.option, plan.value);
  }
  return options;
}

void ForkedRuns::start(const std::string& program, const std::vector<std::string>& arguments, const std::string& log) {
  std::vector<std::string> words = {program};
  words.insert(words.end(), arguments.begin(), arguments.end());
  std::vector<char*> argv;
  for (std::string& word : words) argv.push_back(word.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t files;
  posix_spawn_file_actions_init(&files);
  posix_spawn_file_actions_addopen(&files, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0644);
  posix_spawn_file_actions_adddup2(&files, STDOUT_FILENO, STDERR_FILENO);
  pid_t pid = -1;
  const int error = posix_spawn(&pid, program.c_str(), &files, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&files);
  GANVAS_CHECK(error == 0, "cannot start " + program + " for the fork");
  children_.push_back(pid);
}

size_t ForkedRuns::running() {
  size_t count = 0;
  for (pid_t& pid : children_) {
    if (pid > 0 && ::waitpid(pid, nullptr, WNOHANG) == pid) pid = -1;
    count += pid > 0;
  }
  return count;
}

ForkedRuns::~ForkedRuns() {
  for (pid_t pid : children_) {
    if (pid > 0) ::kill(pid, SIGTERM);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (running() > 0 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  for (pid_t pid : children_) {
    if (pid > 0) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
    }
  }
}

}  // namespace ganvas
