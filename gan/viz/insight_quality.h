// "Quality over training" in the Insight tab: when to judge the weights (every N steps while
// training, switched on and off by the user), the scores' errors, and the charts of FID, digit
// coverage and the digits drawn. The scores themselves live in the session's RunHistory.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "gan/viz/comparison.h"
#include "gan/session/session.h"
#include "gan/viz/insight_worker.h"

namespace ganvas {

class QualitySection {
 public:
  // `has_data`: training data was given, so the section can say how to get scores when there is none.
  explicit QualitySection(bool has_data) : has_data_(has_data) {}

  // The weights were replaced (reset, loaded, undone, another model): they are judged at once.
  void restart() { next_step_ = 0; }
  // Finished scores into the session's history, and why the latest could not be computed, if so.
  void collect(InsightWorker& worker, Session& session);
  // Asks for an evaluation once training passes the next multiple of N.
  void schedule(InsightWorker& worker, const std::shared_ptr<const LiveSnapshot>& snapshot, bool training);
  // `comparison`'s runs are drawn over the FID and coverage charts.
  void draw(const std::vector<QualityPoint>& points, const Comparison& comparison);

  int every() const { return every_; }
  bool judging() const { return judging_; }
  bool log_fid() const { return log_fid_; }

 private:
  bool has_data_;
  uint64_t next_step_ = 0;  // the step from which the next evaluation is asked for
  int every_ = 1000;
  bool reschedule_ = false;  // N changed: the next evaluation at the next multiple of it
  bool judging_ = true;
  bool log_fid_ = true;
  std::string error_;
};

}  // namespace ganvas
