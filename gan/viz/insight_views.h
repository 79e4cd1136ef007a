// "Real against fake" and "D's landscape" in the Insight tab: the latest views the insight worker
// computed for the weights on screen, when to ask it for new ones, the real and fake strips and the
// landscape as textures, and the digit a conditional model's landscape is drawn for.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "gan/session/session.h"
#include "gan/viz/insight_worker.h"
#include "gan/viz/panel_image.h"

namespace ganvas {

class ViewsSection {
 public:
  // The textures are drawn from images of `image` pixels (render thread, context current).
  void attach(int image);
  void reset_gl();

  // Takes finished views from the worker; true when new ones came.
  bool collect(InsightWorker& worker);
  // Asks the worker for views when those shown are not of the weights, grid and digit on screen.
  void request(InsightWorker& worker, const Session& session, double time);
  // The textures show the latest views, in the grid's colours (`invert`).
  void upload(bool invert);

  const std::optional<InsightViews>& latest() const { return views_; }
  // The latest views' gradients are of the grid on screen.
  bool of_grid(uint64_t grid_revision) const { return views_ && views_revision_ == grid_revision; }

  void draw_real_and_fake();
  void draw_landscape();

 private:
  void draw_strip(const char* label, const PanelImage& image, const std::vector<float>& scores);
  void draw_landscape_digit();

  std::optional<InsightViews> views_;
  uint64_t views_revision_ = ~0ull;  // the grid revision the views' gradients belong to
  int landscape_digit_ = 0;          // the digit a conditional model's landscape is drawn for
  uint64_t requested_revision_ = 0;
  double requested_at_ = -1e9;
  std::string error_;
  int image_ = 0;
  bool uploaded_ = true;  // the textures show views_
  bool shown_inverted_ = true;
  PanelImage real_strip_, fake_strip_, landscape_;
};

}  // namespace ganvas
