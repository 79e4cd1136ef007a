// The canvas left of the panel column: where the digit grid, the explorer strip and the explorer's
// image go (laid out, then through the view's zoom and pan), the marks over them (the anchors, t, a
// caption for videos), and what the pointer does there (zoom, pan, anchor clicks).
#pragma once

#include <memory>
#include <string>

#include <imgui.h>

#include "engine/plugin.h"
#include "gan/render/session_images.h"
#include "gan/session/session.h"
#include "gan/viz/canvas_input.h"
#include "gan/viz/canvas_layout.h"
#include "gan/viz/canvas_view.h"
#include "gan/viz/comparison.h"

namespace ganvas {

class Canvas {
 public:
  // `draw_overlay` draws the marks' ImGui draw list (the host's; null: no marks).
  void attach(void (*draw_overlay)(const ImDrawList&, Size)) { draw_overlay_ = draw_overlay; }
  void detach() { overlay_.reset(); }  // it points at the ImGui context's shared draw data

  // Each frame: the canvas in a framebuffer whose right `panel_width` pixels are the panel column;
  // with runs compared, the grid's place holds `tiles` grids, the shown run's first.
  void lay_out(Size framebuffer, float panel_width, float scale, int strip_images, int tiles = 1);
  const CanvasLayout& on_screen() const { return on_screen_; }  // framebuffer pixels, zoom and pan applied
  // The grid of tile `index` on screen: 0 the shown run's (on_screen().grid), i + 1 compared run i's.
  PixelRect tile_on_screen(int index) const;
  float panel_width() const { return panel_width_; }
  CanvasView& view() { return view_; }
  const CanvasView& view() const { return view_; }

  // Zoom, pan and anchor clicks from Dear ImGui's pointer; the grid cell under a pointer at rest (for
  // a tooltip), or -1.
  int handle_pointer(const ImGuiIO& io, Session& session);

  // The gradient tint over the grid's images (Insight's overlay), when shown.
  struct Tint {
    GLuint buffer = 0;
    float scale = 0;
  };
  // The images and their marks into the bound framebuffer; a recording's frame (canvas_only) lays the
  // canvas out at the video's size.
  void draw(const FrameInfo& frame, const Session& session, const SessionImages& images, bool invert, Tint tint,
            const Comparison& comparison);

 private:
  float width(const FrameInfo& frame) const;  // of the canvas: all of a recording's frame
  // `layout.grid` is the shown run's tile; `place` the whole of the grids' place, which the tiles share.
  void draw_marks(const FrameInfo& frame, const Session& session, const CanvasLayout& layout, const PixelRect& place,
                  float scale, const Comparison& comparison);
  // The compared runs' grids in tiles 1, 2, ... of the grid's place, and their frames and names.
  void draw_compared(const FrameInfo& frame, const CanvasLayout& layout, const Comparison& comparison, bool invert);
  void mark_compared(ImDrawList& list, const Session& shown, const CanvasLayout& layout, const Comparison& comparison,
                     float font);

  CanvasLayout laid_out_;   // in the canvas's own pixels, as layout_canvas places it
  CanvasLayout on_screen_;  // the same through view_
  CanvasView view_;
  bool panning_ = false;    // the left button is dragging the canvas (its release picks no anchor)
  float panel_width_ = 420.0f;  // framebuffer pixels
  float scale_ = 1.0f;          // the display's content scale the canvas was laid out with
  int tiles_ = 1;               // grids side by side: the shown run's and those compared
  PixelRect grid_place_;        // where the grid goes alone, canvas pixels; the tiles share it
  void (*draw_overlay_)(const ImDrawList&, Size) = nullptr;
  std::unique_ptr<ImDrawList> overlay_;  // the marks, rebuilt each frame in kept buffers
};

// One line saying what the canvas shows: the step, the latest losses, the model, the backend.
std::string canvas_caption(const Session& session);

}  // namespace ganvas
