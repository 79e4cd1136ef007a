// The Insight tab: why training goes well or badly. Quality over training (FID, Inception Score,
// the digits drawn), real against fake with D's scores, D's landscape on the data's plane, the
// gradient G's loss sends each grid image (an overlay on the grid), one training step explained, the
// networks' norms, and the whole history exported as CSV. The numbers come from an InsightWorker,
// never from this thread; each section keeps its own state, and this class lays them out.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "gan/viz/comparison.h"
#include "engine/gl_objects.h"
#include "gan/session/session.h"
#include "gan/viz/insight_export.h"
#include "gan/viz/insight_norms.h"
#include "gan/viz/insight_overlay.h"
#include "gan/viz/insight_quality.h"
#include "gan/viz/insight_views.h"
#include "gan/viz/insight_worker.h"
#include "gan/viz/step_graph.h"

namespace ganvas {

class InsightPanel {
 public:
  // The network norms keep at most `max_points` points (as does the session's quality history),
  // thinned evenly as training goes on: a window left open for hours holds no more than one open for minutes.
  static constexpr size_t kMaxPoints = 1024;
  InsightPanel(std::string data_dir, DatasetKind kind, size_t max_points = kMaxPoints);

  // GL resources for the overlay: room for a gradient image per grid cell of the largest grid
  // (render thread, context current).
  void attach(int max_grid_cells, int image);
  void detach();

  // Each frame: finished results in, new requests out. Views are asked for while `views_wanted`
  // (the tab is open or the overlay on); quality every N steps while `training` runs.
  // Quality scores go into the session's history.
  void update(Session& session, double time, bool views_wanted, bool training);
  // The tab's contents; the session gives the learning rates (step graph) and, on Export, the history.
  void draw(const Session& session, bool invert, const Comparison& comparison);

  // The overlay of the grid, when it is on and current for the grid on screen.
  bool overlay_shown(uint64_t grid_revision) const { return overlay_.shown(views_.of_grid(grid_revision)); }
  GLuint overlay_buffer() const { return overlay_.buffer(); }
  float overlay_scale() const { return overlay_.scale(); }
  bool overlay_on() const { return overlay_.on(); }

  size_t norm_history_size() const { return norms_.size(); }
  const std::optional<InsightViews>& views() const { return views_.latest(); }
  const StepGraph& step_graph() const { return step_graph_; }
  int quality_every() const { return quality_.every(); }
  bool judging() const { return quality_.judging(); }
  bool log_fid() const { return quality_.log_fid(); }
  const std::string& export_note() const { return export_.note(); }
  bool quality_pending() const { return worker_.quality_pending(); }
  void wait_idle() { worker_.wait_idle(); }

 private:
  void collect(Session& session);

  InsightWorker worker_;
  uint64_t history_ = 0;  // the run history the views and norms belong to
  QualitySection quality_;
  ViewsSection views_;
  GradientOverlay overlay_;
  NormsChart norms_;
  StepGraph step_graph_;
  HistoryExport export_;
};

}  // namespace ganvas
