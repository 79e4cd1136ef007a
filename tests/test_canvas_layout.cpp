// The canvas layout as pure functions: parts inside the window and clear of the panels and footer,
// cells under points, the strip's ends.
#include <gtest/gtest.h>

#include "gan/viz/canvas_layout.h"

namespace ganvas {
namespace {

bool inside(const PixelRect& r, float right, float bottom) {
  return r.x >= 0 && r.y >= 0 && r.x + r.width <= right + 1e-3f && r.y + r.height <= bottom + 1e-3f;
}

TEST(CanvasLayout, PartsStayClearOfThePanelsAndTheFooter) {
  for (const Size size : {Size{1280, 720}, Size{1000, 600}, Size{640, 400}, Size{3840, 2160}}) {
    const float panels = panel_column_width(static_cast<float>(size.width), 1.0f);
    EXPECT_LE(panels, size.width * 0.5f);
    const float footer = canvas_footer(1.0f, true);
    const CanvasLayout layout = layout_canvas(size, panels, 1.0f, 8, footer);
    const float right = size.width - panels, bottom = static_cast<float>(size.height) - footer;
    EXPECT_TRUE(inside(layout.grid, right, bottom)) << size.width;
    EXPECT_TRUE(inside(layout.explorer, right, bottom)) << size.width;
    EXPECT_TRUE(inside(layout.strip, right, bottom)) << size.width;
    EXPECT_GE(layout.strip.y, layout.grid.y + layout.grid.height);  // the strip lies under the grid
    EXPECT_GE(layout.explorer.x, layout.grid.x + layout.grid.width);
  }
}

TEST(CanvasLayout, ThePanelColumnIsAThirdWithinItsBounds) {
  EXPECT_FLOAT_EQ(panel_column_width(1280, 1), 420);
  EXPECT_FLOAT_EQ(panel_column_width(1000, 1), 1000.0f / 3);
  EXPECT_FLOAT_EQ(panel_column_width(640, 1), 300);
  EXPECT_FLOAT_EQ(panel_column_width(500, 1), 250);  // never more than half
}

TEST(CanvasLayout, CellsUnderPointsAndTheStripsEnds) {
  const PixelRect grid{10, 20, 600, 600};
  EXPECT_EQ(grid_cell_at(grid, 6, 11, 21), 0);
  EXPECT_EQ(grid_cell_at(grid, 6, 10 + 150, 20 + 250), 2 * 6 + 1);
  EXPECT_EQ(grid_cell_at(grid, 6, 609, 619), 35);
  EXPECT_EQ(grid_cell_at(grid, 6, 5, 30), -1);
  EXPECT_EQ(grid_cell_at(grid, 6, 300, 621), -1);
  const PixelRect strip{0, 0, 800, 100};
  EXPECT_FLOAT_EQ(strip_x(strip, 8, 0), 50);   // the first image's centre
  EXPECT_FLOAT_EQ(strip_x(strip, 8, 1), 750);  // the last image's centre
}

}  // namespace
}  // namespace ganvas
