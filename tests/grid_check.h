// What the visualizer's digit grid shows in a rendered frame, against G's images of the grid's
// latents for the weights that frame drew: for the tests of the built-in visualizer and of the
// plugin module.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "engine/render_target.h"
#include "gan/model/sampler.h"
#include "gan/viz/gan_visualizer.h"

namespace ganvas::test {

// The grey levels a frame shows in an n x n grid drawn in `grid`: for each image pixel of each cell,
// in the order of the images, the level at the middle of the screen area the pixel covers.
inline std::vector<uint8_t> grid_on_screen(const std::vector<uint8_t>& rgba, Size size, const PixelRect& grid, int n,
                                           int side) {
  std::vector<uint8_t> levels;
  const double cell_width = grid.width / n, cell_height = grid.height / n;
  for (int cell = 0; cell < n * n; ++cell) {
    for (int py = 0; py < side; ++py) {
      for (int px = 0; px < side; ++px) {
        const double x = grid.x + (cell % n + (px + 0.5) / side) * cell_width;
        const double y = grid.y + (cell / n + (py + 0.5) / side) * cell_height;
        const int sx = std::clamp(int(x), 0, size.width - 1), sy = std::clamp(int(y), 0, size.height - 1);
        levels.push_back(rgba[(size_t(sy) * size.width + sx) * 4]);
      }
    }
  }
  return levels;
}

// What the visualizer's digit grid shows after a frame, and what it should show: G's images of the
// grid's latents for the weights of the snapshot that frame drew. The explorer's anchors are marked
// over their cells (a lettered tag, a frame).
struct GridFrame {
  uint64_t step = 0;
  int side = 28;                   // of an image
  std::vector<int> marked_cells;   // the anchors' cells
  std::vector<uint8_t> shown, expected;
};

// The cells under the explorer's anchors' marks.
inline std::vector<int> anchor_cells(const GanVisualizer& viz) {
  return {viz.session().explorer().anchor_cell(0), viz.session().explorer().anchor_cell(1)};
}

inline GridFrame grid_frame(const GanVisualizer& viz, const RenderTarget& target) {
  const LiveSnapshot& snapshot = viz.session().snapshot();
  const int n = viz.session().grid_side();
  GridFrame frame;
  frame.step = snapshot.step;
  frame.side = snapshot.shape.image_side();
  frame.marked_cells = anchor_cells(viz);
  frame.shown =
      grid_on_screen(read_pixels(target.framebuffer(), target.size()), target.size(), viz.grid_rect(), n, frame.side);
  const std::vector<float> images =
      generate_images(snapshot.shape, snapshot.generator, viz.session().grid_latents(), n * n);
  for (float g : images) frame.expected.push_back(pixel_byte(g, viz.inverted()));
  return frame;
}

// The share of a grid's image pixels whose level on screen is more than 2 levels from G's, of those
// neither in a marked cell nor on a cell's rim (where a neighbour's frame may reach).
inline double mismatched_share(const GridFrame& frame, int rim = 2) {
  if (frame.shown.empty() || frame.shown.size() != frame.expected.size()) return 1.0;
  const size_t image = static_cast<size_t>(frame.side) * frame.side;
  size_t wrong = 0, compared = 0;
  for (size_t i = 0; i < frame.shown.size(); ++i) {
    const int cell = static_cast<int>(i / image);
    const int x = static_cast<int>(i % frame.side), y = static_cast<int>(i / frame.side % frame.side);
    if (std::find(frame.marked_cells.begin(), frame.marked_cells.end(), cell) != frame.marked_cells.end()) continue;
    if (x < rim || y < rim || x >= frame.side - rim || y >= frame.side - rim) continue;
    ++compared;
    wrong += std::abs(int(frame.shown[i]) - int(frame.expected[i])) > 2;
  }
  return compared == 0 ? 1.0 : double(wrong) / double(compared);
}

}  // namespace ganvas::test
