// Directions and grid scores from the analysis thread, asked for and collected once a frame.
#include "gan/viz/explorer_analysis.h"

#include <utility>

namespace ganvas {

void ExplorerAnalysis::update(Session& session, double time, bool dragging) {
  LatentExplorer& explorer = session.explorer();
  if (std::optional<AnalysisWorker::Directions> found = worker_.take_directions()) {
    explorer.set_directions(std::move(found->directions), found->around, found->step, time);
  }
  if (std::optional<AnalysisWorker::Scores> scores = worker_.take_scores()) scores_ = std::move(scores);
  // Principal directions cost a few milliseconds: computed on the analysis thread, not while a slider
  // is held (e.g. t), and while training every 2 seconds at most (LatentExplorer says when).
  const LiveSnapshot& snapshot = session.snapshot();
  if (!dragging && !worker_.directions_pending() && explorer.wants_directions(snapshot.step, time)) {
    worker_.request_directions(session.shared_snapshot(), explorer.base());
  }
}

// Asked of the analysis thread once per snapshot and grid.
std::optional<float> ExplorerAnalysis::grid_score(const Session& session, int cell) {
  const bool current =
      scores_ && scores_->version == session.snapshot().version && scores_->grid == session.grid_revision();
  if (!current && !worker_.scores_pending()) {
    worker_.request_scores(session.shared_snapshot(), session.grid_latents(), session.grid_revision());
  }
  // Scores of the grid before are no answer for this one's cells; those of the weights a moment ago are.
  if (!scores_ || scores_->grid != session.grid_revision() || static_cast<size_t>(cell) >= scores_->scores.size()) {
    return std::nullopt;
  }
  return scores_->scores[static_cast<size_t>(cell)];
}

}  // namespace ganvas
