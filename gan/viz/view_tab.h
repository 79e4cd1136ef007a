// The View tab: colours, the canvas's zoom, the frame rate traded against training speed, and what
// the frames and the training cost.
#pragma once

#include <deque>
#include <string>

#include "engine/plugin.h"
#include "gan/session/session.h"
#include "gan/viz/canvas_view.h"

namespace ganvas {

class ViewTab {
 public:
  // `context` and `loop` are the host's (either may be null: an offline recording's loop takes no changes).
  void draw(const Session& session, CanvasView& view, const std::string& image_path, GlContext* context,
            LoopControls* loop);
  // The interval since the frame before, for the frame-rate figures.
  void count_frame(double delta);
  bool inverted() const { return invert_; }
  void set_inverted(bool invert) { invert_ = invert; }

 private:
  bool invert_ = true;
  std::deque<double> frame_ms_;  // intervals between frames, vsync and pacing included
};

}  // namespace ganvas
