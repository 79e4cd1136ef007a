// The canvas layout.
#include "gan/viz/canvas_layout.h"

#include <algorithm>

namespace ganvas {

float panel_column_width(float width, float scale) {
  const float third = std::clamp(width / 3.0f, 300.0f * scale, 420.0f * scale);
  return std::min(third, width * 0.5f);
}

float canvas_footer(float scale, bool caption) { return scale * (caption ? 60.0f : 26.0f); }

CanvasLayout layout_canvas(Size size, float panel_width, float scale, int strip_images, float footer) {
  const float margin = 12.0f * scale;
  const float canvas_width = std::max(0.0f, size.width - panel_width - 2 * margin);
  const float canvas_height = std::max(0.0f, size.height - 2 * margin - footer);
  const float strip_cell = std::min(canvas_width / strip_images, canvas_height * 0.18f);
  const float grid_side = std::max(0.0f, std::min(canvas_width * 0.6f, canvas_height - strip_cell - margin));
  CanvasLayout layout;
  layout.grid = {margin, margin, grid_side, grid_side};
  const float explorer_side = std::max(0.0f, std::min(canvas_width - grid_side - margin, grid_side));
  layout.explorer = {margin + grid_side + margin, margin, explorer_side, explorer_side};
  layout.strip = {margin, margin + grid_side + margin, strip_cell * strip_images, strip_cell};
  return layout;
}

int grid_cell_at(const PixelRect& grid, int n, float x, float y) {
  if (!grid.contains(x, y) || grid.width <= 0 || grid.height <= 0) return -1;
  const int column = std::clamp(static_cast<int>((x - grid.x) / grid.width * n), 0, n - 1);
  const int row = std::clamp(static_cast<int>((y - grid.y) / grid.height * n), 0, n - 1);
  return row * n + column;
}

float strip_x(const PixelRect& strip, int count, float t) {
  const float cell = strip.width / static_cast<float>(std::max(1, count));
  return strip.x + cell * 0.5f + t * (strip.width - cell);
}

PixelRect compare_tile(const PixelRect& grid, int count, int index) {
  if (count <= 1) return grid;
  const int columns = 2, rows = (count + 1) / 2;
  const float side = std::min(grid.width / columns, grid.height / rows);
  const float gap = side * 0.04f;  // room for a tile's caption and frame
  return {grid.x + static_cast<float>(index % columns) * side + gap, grid.y + static_cast<float>(index / columns) * side + gap,
          side - 2 * gap, side - 2 * gap};
}

}  // namespace ganvas
