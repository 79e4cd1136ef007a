// The pointer over the canvas, as events in framebuffer pixels that any toolkit can produce, and
// what the canvas does with them: the wheel zooms around the pointer, a left drag pans, a click on
// the grid picks an anchor (left: A, right: B), a pointer at rest over a cell asks for its score.
// GanVisualizer makes these events from Dear ImGui's state; a host without ImGui makes its own.
#pragma once

#include <glm/vec2.hpp>

#include "gan/viz/canvas_layout.h"
#include "gan/viz/canvas_view.h"

namespace ganvas {

struct PointerEvent {
  glm::vec2 position{0.0f};  // framebuffer pixels
  float wheel = 0.0f;        // notches turned this frame, positive away from the user
  glm::vec2 drag{0.0f};      // pixels moved this frame while the left button drags (past a threshold)
  bool released = false;     // the left button came up this frame
  bool right_pressed = false;
};

// What a pointer event asks of the canvas beyond the view.
struct PointerOutcome {
  int cell = -1;    // the grid cell under the pointer, -1 for none
  int anchor = -1;  // the anchor the click makes of that cell: 0 (A), 1 (B), or -1
  bool panning = false;  // a drag is going on: no tooltip, and its release picks nothing
};

constexpr float kWheelZoom = 1.15f;  // zoom per notch

// Zooms and pans `view` by the event; hit-tests the grid (an n x n grid at `grid` in canvas pixels)
// through the view's inverse. `panning` carries a drag from frame to frame.
PointerOutcome apply_pointer(const PointerEvent& event, CanvasView& view, const PixelRect& grid, int n, bool& panning);

}  // namespace ganvas
