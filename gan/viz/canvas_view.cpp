// The canvas's zoom and pan as a GLM transform.
#include "gan/viz/canvas_view.h"

#include <algorithm>

#include <glm/mat3x3.hpp>
#include <glm/matrix.hpp>
#include <glm/vec3.hpp>

namespace ganvas {

glm::mat3 CanvasView::to_screen() const {
  // Column-major: the third column is the translation.
  return glm::mat3(glm::vec3(zoom_, 0.0f, 0.0f), glm::vec3(0.0f, zoom_, 0.0f), glm::vec3(pan_, 1.0f));
}

glm::mat3 CanvasView::to_canvas() const { return glm::inverse(to_screen()); }

glm::vec2 CanvasView::screen_point(glm::vec2 canvas) const { return glm::vec2(to_screen() * glm::vec3(canvas, 1.0f)); }

glm::vec2 CanvasView::canvas_point(glm::vec2 screen) const { return glm::vec2(to_canvas() * glm::vec3(screen, 1.0f)); }

PixelRect CanvasView::on_screen(const PixelRect& canvas) const {
  const glm::vec2 corner = screen_point(glm::vec2(canvas.x, canvas.y));
  return PixelRect{corner.x, corner.y, canvas.width * zoom_, canvas.height * zoom_};
}

CanvasLayout CanvasView::on_screen(const CanvasLayout& canvas) const {
  return CanvasLayout{on_screen(canvas.grid), on_screen(canvas.strip), on_screen(canvas.explorer)};
}

void CanvasView::zoom_at(glm::vec2 screen, float factor) {
  const glm::vec2 anchor = canvas_point(screen);
  zoom_ = std::clamp(zoom_ * factor, kMinZoom, kMaxZoom);
  pan_ = screen - zoom_ * anchor;  // the anchor lands where it was
}

void CanvasView::pan(glm::vec2 screen_delta) { pan_ += screen_delta; }

void CanvasView::fit() {
  zoom_ = 1.0f;
  pan_ = glm::vec2(0.0f);
}

}  // namespace ganvas
