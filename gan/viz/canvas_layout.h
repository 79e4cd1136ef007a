// Where the canvas's parts go: the digit grid, the explorer strip and the explorer's image, beside
// the panel column. Pure functions of sizes, so tests check them without GL.
#pragma once

#include "engine/context.h"
#include "gan/render/pixel_rect.h"

namespace ganvas {

struct CanvasLayout {
  PixelRect grid, strip, explorer;
};

// The panel column's width in a framebuffer `width` pixels wide: a third of it, kept between 300 and
// 420 pixels (times the display's scale) and never more than half the window.
float panel_column_width(float width, float scale);

// The height of the text under the strip (t's marker, and a caption when `caption`).
float canvas_footer(float scale, bool caption);

// The canvas in `size`, leaving `panel_width` pixels on the right for the panels and `footer` pixels
// under the strip.
CanvasLayout layout_canvas(Size size, float panel_width, float scale, int strip_images, float footer);

// Tile `index` of `count` square tiles in `grid`'s place, two a row, for runs compared side by side
// (tile 0 is the run shown); with one tile, `grid` itself.
PixelRect compare_tile(const PixelRect& grid, int count, int index);

// The cell of an n x n grid drawn in `grid` under the point, or -1 outside it.
int grid_cell_at(const PixelRect& grid, int n, float x, float y);

// The x of t in [0, 1] on a strip of `count` images: the centre of the first image at 0, of the last at 1.
float strip_x(const PixelRect& strip, int count, float t);

}  // namespace ganvas
