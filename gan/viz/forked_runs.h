// Forks of the run shown: variants with one setting changed, each trained by a `ganvas train`
// process of its own into a run folder beside the run's, from the run's current weights (a change
// that keeps the model and objective: learning rates, batch) or from scratch (any setting). The
// window compares them with the run shown. Each process is stopped (SIGTERM: it writes its outputs)
// when the window closes.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "gan/io/dataset.h"
#include "gan/session/session.h"

namespace ganvas {

// The settings a fork may change, with the `ganvas train` option of each.
struct ForkSetting {
  const char* name;    // as the Runs tab lists it
  const char* option;  // "--lr", "--loss", ...
  bool keeps_weights;  // the run's current weights can go on under it
};
const std::vector<ForkSetting>& fork_settings();

struct ForkPlan {
  int setting = 0;    // into fork_settings()
  std::string value;  // the option's new value
  bool from_weights = false;
};

// The training options that make the run shown's variant (its model, objective, rates and seed, then
// the change), for `ganvas train` into `dir`; `start` is the checkpoint it resumes (from_weights).
std::vector<std::string> fork_options(const Session& shown, const ForkPlan& plan, const std::string& dir,
                                      const std::string& start, uint64_t seed);

class ForkedRuns {
 public:
  ForkedRuns() = default;
  ~ForkedRuns();  // stops every process still training, and waits for it
  ForkedRuns(const ForkedRuns&) = delete;
  ForkedRuns& operator=(const ForkedRuns&) = delete;

  // Runs `program` (ganvas) with `arguments`, its output into `log` (made new). Throws when it
  // cannot be started.
  void start(const std::string& program, const std::vector<std::string>& arguments, const std::string& log);
  size_t running();  // processes not yet ended

 private:
  std::vector<pid_t> children_;
};

}  // namespace ganvas
