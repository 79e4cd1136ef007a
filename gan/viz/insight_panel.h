// The Insight tab: why training goes well or badly. Quality over training (FID, Inception Score,
// the digits drawn), real against fake with D's scores, D's landscape on the data's plane, the
// gradient G's loss sends each grid image (an overlay on the grid), the networks' norms, and the
// whole history exported as CSV. The numbers come from an InsightWorker, never from this thread.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/gl_objects.h"
#include "gan/live_trainer.h"
#include "gan/viz/chart.h"
#include "gan/viz/insight_worker.h"
#include "gan/viz/panel_image.h"
#include "gan/viz/step_graph.h"

namespace ganvas {

class InsightPanel {
 public:
  // Both histories (quality scores, network norms) keep at most `max_points` points, thinned evenly
  // as training goes on: a window left open for hours holds no more than one open for minutes.
  static constexpr size_t kMaxPoints = 1024;
  InsightPanel(std::string data_dir, DatasetKind kind, size_t max_points = kMaxPoints);

  // GL resources for the overlay: room for a gradient image per grid cell of the largest grid
  // (render thread, context current).
  void attach(int max_grid_cells, int image);
  void detach();

  // Each frame: finished results in, new requests out. Views are asked for while `views_wanted`
  // (the tab is open or the overlay on); quality every N steps while `training` runs.
  void update(const std::shared_ptr<const LiveSnapshot>& snapshot, const std::vector<float>& grid_latents,
              uint64_t grid_revision, double time, bool views_wanted, bool training);
  // The tab's contents; the trainer gives the learning rates (step graph) and, on Export, the history.
  void draw(const LiveTrainer& trainer, bool invert);

  // The overlay of the grid, when it is on and current for the grid on screen.
  bool overlay_shown(uint64_t grid_revision) const;
  GLuint overlay_buffer() const { return overlay_buffer_.get(); }
  float overlay_scale() const { return overlay_scale_; }
  bool overlay_on() const { return overlay_on_; }

  const std::vector<QualityPoint>& quality_history() const { return quality_.points(); }
  size_t norm_history_size() const { return norms_.size(); }
  const std::optional<InsightViews>& views() const { return views_; }
  const StepGraph& step_graph() const { return step_graph_; }
  int quality_every() const { return quality_every_; }
  bool judging() const { return judging_; }
  bool log_fid() const { return log_fid_; }
  const std::string& export_note() const { return export_note_; }
  bool quality_pending() const { return worker_.quality_pending(); }
  void wait_idle() { worker_.wait_idle(); }

 private:
  // The networks' norms at one view, charted under "Inside the networks".
  struct NormPoint {
    float step = 0, g_weight1 = 0, g_weight_out = 0, d_weight1 = 0, d_weight_out = 0, g_grad1 = 0, d_grad1 = 0;
  };
  static NormPoint norm_point(const InsightViews& views);
  void collect(uint64_t grid_revision);
  void upload_views(bool invert);
  void draw_quality();
  void draw_digit_histogram(const QualityScores& scores);
  void draw_digit_shares();
  void draw_digit_legend();
  void digit_shares_tooltip(float left, float width, float first, float span);
  void draw_real_and_fake();
  void draw_strip(const char* label, const PanelImage& image, const std::vector<float>& scores);
  void draw_landscape();
  void draw_landscape_digit();
  void draw_overlay_controls();
  void draw_norms();
  void draw_export(const LiveTrainer& trainer);
  ChartHover chart(const char* title, const std::vector<float>& steps, const std::vector<float>& values, ChartRange range,
                   const char* help = nullptr);

  bool has_data_;
  InsightWorker worker_;
  std::optional<InsightViews> views_;
  uint64_t views_revision_ = ~0ull;  // the grid revision the views' gradients belong to
  int landscape_digit_ = 0;          // the digit a conditional model's landscape is drawn for
  uint64_t requested_revision_ = 0;
  double requested_at_ = -1e9;
  ChartHistory<QualityPoint> quality_;
  uint64_t next_quality_step_ = 0;
  uint64_t last_step_ = 0;  // the step of the latest snapshot seen
  int quality_every_ = 1000;
  bool reschedule_ = false;  // N changed: the next evaluation at the next multiple of it
  bool judging_ = true;
  std::string views_error_, quality_error_;
  ChartHistory<NormPoint> norms_;
  StepGraph step_graph_;

  bool overlay_on_ = false;
  float overlay_scale_ = 0;
  gl::Buffer overlay_buffer_;
  int overlay_cells_ = 0, image_ = 0;
  bool uploaded_ = true;       // the textures show views_
  bool overlay_stale_ = true;  // the overlay buffer does not hold views_' gradients yet
  bool shown_inverted_ = true;
  PanelImage real_strip_, fake_strip_, landscape_;
  bool log_fid_ = true;
  char export_path_[512] = "";
  std::string export_note_;
};

}  // namespace ganvas
