// "What G is told" in the Insight tab: the gradient overlay on the grid. Its switch, and a GL buffer
// holding the gradient G's loss sends each grid image, with the scale the grid's shader tints it by.
#pragma once

#include <cstdint>

#include "engine/gl_objects.h"
#include "gan/viz/insight_worker.h"

namespace ganvas {

class GradientOverlay {
 public:
  // Room for a gradient image of `image` pixels per cell of the largest grid (render thread, context current).
  void attach(int grid_cells, int image);
  void detach() { buffer_.reset(); }

  // New views came: the buffer no longer holds their gradients.
  void mark_stale() { stale_ = true; }
  // Writes the views' gradients into the buffer when they are not there yet; `of_grid_on_screen`:
  // the views were computed for the grid on screen.
  void upload(const InsightViews& views, bool of_grid_on_screen);
  // The overlay is on, and the buffer holds gradients of the grid on screen (`of_grid_on_screen`).
  bool shown(bool of_grid_on_screen) const { return on_ && of_grid_on_screen && scale_ > 0; }

  GLuint buffer() const { return buffer_.get(); }
  float scale() const { return scale_; }
  bool on() const { return on_; }

  // The switch and what the tint means; `has_views`: there are gradients to show.
  void draw_controls(bool has_views);

 private:
  bool on_ = false;
  float scale_ = 0;
  gl::Buffer buffer_;
  int cells_ = 0, image_ = 0;
  bool stale_ = true;  // the buffer does not hold the latest views' gradients yet
};

}  // namespace ganvas
