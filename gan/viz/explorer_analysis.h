// What the explorer and the grid's tooltip ask of the analysis thread: principal directions around
// the explorer's base, and D's score of each grid cell, each for the weights on screen.
#pragma once

#include <optional>

#include "gan/session/session.h"
#include "gan/viz/analysis_worker.h"

namespace ganvas {

class ExplorerAnalysis {
 public:
  // Each frame: directions that arrived go to the explorer (ignored when the point has moved on since),
  // and new ones are asked for when the explorer wants them and no slider is held.
  void update(Session& session, double time, bool dragging);
  // D's verdict on a grid cell for the weights and grid on screen, or nothing while it is computed.
  std::optional<float> grid_score(const Session& session, int cell);
  // Blocks until nothing is being computed (tests).
  void wait_idle() { worker_.wait_idle(); }

 private:
  AnalysisWorker worker_{LatentExplorer::kDirections};
  std::optional<AnalysisWorker::Scores> scores_;  // the latest grid scores
};

}  // namespace ganvas
