// The canvas's view: a zoom and a pan over the laid-out canvas, one GLM transform from canvas
// pixels (where layout_canvas puts things) to framebuffer pixels. The wheel zooms around the
// cursor, a drag pans, fit shows the whole canvas again; hit-testing goes through the inverse.
#pragma once

#include <glm/mat3x3.hpp>
#include <glm/vec2.hpp>

#include "gan/viz/canvas_layout.h"

namespace ganvas {

class CanvasView {
 public:
  static constexpr float kMinZoom = 0.5f;
  static constexpr float kMaxZoom = 16.0f;

  // Canvas pixels to framebuffer pixels (homogeneous 2D: x' = zoom x + pan), and back.
  glm::mat3 to_screen() const;
  glm::mat3 to_canvas() const;
  glm::vec2 screen_point(glm::vec2 canvas) const;
  glm::vec2 canvas_point(glm::vec2 screen) const;
  // A canvas rectangle where it lands on screen.
  PixelRect on_screen(const PixelRect& canvas) const;
  CanvasLayout on_screen(const CanvasLayout& canvas) const;

  // Zooms by `factor` (kept within kMinZoom..kMaxZoom) keeping the canvas point under `screen` there.
  void zoom_at(glm::vec2 screen, float factor);
  void pan(glm::vec2 screen_delta);
  // The whole canvas as laid out: no zoom, no pan.
  void fit();
  float zoom() const { return zoom_; }
  glm::vec2 offset() const { return pan_; }
  bool fitted() const { return zoom_ == 1.0f && pan_ == glm::vec2(0.0f); }

 private:
  float zoom_ = 1.0f;
  glm::vec2 pan_{0.0f};
};

}  // namespace ganvas
