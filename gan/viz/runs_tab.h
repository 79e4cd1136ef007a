// The Runs tab: the runs in the runs folder (and the one shown), each with its model, step, latest
// FID and last change; the selected one can be opened, followed, renamed or deleted (after a
// question), or compared with the run shown: up to three, side by side, with a table of their step,
// speed and scores. Fork makes a variant of the run shown with one setting changed, trained beside it. Opening and following replace the run shown, which the visualizer does.
#pragma once

#include <string>
#include <vector>

#include "gan/session/run_list.h"
#include "gan/session/session.h"
#include "gan/viz/comparison.h"
#include "gan/viz/forked_runs.h"

namespace ganvas {

class RunsTab {
 public:
  // What the user asked of the visualizer this frame.
  struct Request {
    enum class Kind { kNone, kOpen, kFollow, kCompare, kStopComparing, kFork } kind = Kind::kNone;
    std::string dir;
    ForkPlan fork;  // kFork: the variant of the run shown
  };

  // `can_fork`: a ganvas program is there to train forks (not in a plugin host's process).
  RunsTab(std::string root, bool can_fork) : root_(std::move(root)), can_fork_(can_fork) {}
  // The tab's contents at `time` seconds: the list is read again every few seconds.
  Request draw(const Session& shown, double time, const Comparison& comparison);
  // A line under the list: what the latest action did, or why it could not.
  void say(std::string message) { message_ = std::move(message); }
  const std::string& message() const { return message_; }
  const std::vector<RunSummary>& runs() const { return runs_; }

 private:
  void list_again(const Session& shown);
  void draw_table(const Session& shown);
  Request draw_actions(const Session& shown, const Comparison& comparison);
  Request draw_comparison(const Session& shown, const Comparison& comparison);
  void draw_rename(const RunSummary& run);
  void draw_delete_prompt();
  Request draw_fork_prompt();

  std::string root_;
  std::vector<RunSummary> runs_;
  int selected_ = -1;
  double listed_at_ = -1e9;
  char new_name_[256] = "";
  std::string message_;
  bool can_fork_;
  ForkPlan fork_;
  char fork_value_[64] = "";
};

}  // namespace ganvas
