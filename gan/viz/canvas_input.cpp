// The canvas's answer to pointer events: zoom, pan, hit-testing and anchor clicks.
#include "gan/viz/canvas_input.h"

#include <cmath>

namespace ganvas {

PointerOutcome apply_pointer(const PointerEvent& event, CanvasView& view, const PixelRect& grid, int n, bool& panning) {
  if (event.wheel != 0.0f) view.zoom_at(event.position, std::pow(kWheelZoom, event.wheel));
  if (event.drag != glm::vec2(0.0f)) {
    view.pan(event.drag);
    panning = true;
  }
  PointerOutcome outcome;
  const bool click = event.released && !panning;
  if (event.released) panning = false;
  outcome.panning = panning;
  const glm::vec2 at = view.canvas_point(event.position);
  outcome.cell = grid_cell_at(grid, n, at.x, at.y);
  if (outcome.cell < 0) return outcome;
  if (click) outcome.anchor = 0;
  if (event.right_pressed) outcome.anchor = 1;
  return outcome;
}

}  // namespace ganvas
