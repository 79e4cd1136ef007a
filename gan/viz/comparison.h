// Runs compared with the one shown: up to three run folders, each followed (its latest checkpoint
// and metrics, whoever trains it: a `ganvas train` in another terminal, or a finished run), its grid
// drawn from the shown run's latents beside the shown run's, its losses over the shown run's
// charts in a colour of its own.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "gan/render/session_images.h"
#include "gan/session/session.h"
#include "gan/viz/chart.h"

namespace ganvas {

struct ComparedRun {
  std::string name;
  uint32_t colour = 0;  // in the charts, the legend and the grid's frame
  std::unique_ptr<Session> session;
  std::unique_ptr<SessionImages> images;  // made on the render thread, when first drawn
  MetricsHistory losses;                  // the latest, for the charts
  std::vector<float> quality_steps, fid, bits;  // its quality scores, for the Insight tab's charts
  double rate = 0;                        // steps per second over the latest checkpoints
  uint64_t rate_step = 0;
  double rate_time = -1;
};

class Comparison {
 public:
  static constexpr size_t kMostRuns = 3;
  // Adds the run in `dir` (throws when it cannot be read, or kMostRuns are compared already).
  void add(const std::string& dir, const SessionConfig& base);
  void clear() { runs_.clear(); }
  // Reads a run's charts again from its session (after it took in a checkpoint).
  static void take_charts(ComparedRun& run);
  bool empty() const { return runs_.empty(); }
  const std::vector<std::unique_ptr<ComparedRun>>& runs() const { return runs_; }
  // Each frame: every run takes in its latest checkpoint and shows the grid of `shown`.
  void update(const Session& shown, double time);
  // Render thread: each run's images, sampled when they changed.
  void refresh_images(int grid);
  // The compared runs' lines over a chart of the shown run's MetricsHistory member `series`.
  std::vector<ChartLine> lines(std::vector<float> MetricsHistory::*series) const;
  // Their lines over the quality charts: ComparedRun::fid or ComparedRun::bits.
  std::vector<ChartLine> quality_lines(std::vector<float> ComparedRun::*series) const;

 private:
  std::vector<std::unique_ptr<ComparedRun>> runs_;
  double last_look_ = -1;
};

}  // namespace ganvas
