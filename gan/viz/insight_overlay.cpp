// The gradient overlay: its GL buffer, filled from the insight worker's views, and its switch.
#include "gan/viz/insight_overlay.h"

#include <imgui.h>

#include "engine/gl.h"
#include "engine/widgets.h"

namespace ganvas {

void GradientOverlay::attach(int grid_cells, int image) {
  cells_ = grid_cells;
  image_ = image;
  buffer_ = gl::create_buffer();
  glNamedBufferStorage(buffer_.get(), static_cast<GLsizeiptr>(size_t(grid_cells) * image * sizeof(float)), nullptr,
                       GL_DYNAMIC_STORAGE_BIT);
  gl::check("creating the gradient overlay buffer");
  stale_ = true;
}

void GradientOverlay::upload(const InsightViews& views, bool of_grid_on_screen) {
  const GridGradients& gradients = views.grid_gradients;
  if (!of_grid_on_screen || !stale_ || !buffer_ || gradients.pixels.size() > static_cast<size_t>(cells_) * image_) {
    return;
  }
  glNamedBufferSubData(buffer_.get(), 0, static_cast<GLsizeiptr>(gradients.pixels.size() * sizeof(float)),
                       gradients.pixels.data());
  scale_ = gradients.largest > 0 ? 1.0f / gradients.largest : 0.0f;
  stale_ = false;
}

void GradientOverlay::draw_controls(bool has_views) {
  ui::checkbox("Gradient overlay on the grid", &on_,
               "Tints each grid image with the gradient of G's loss, -log D(G(z)), with respect to its pixels:\n"
               "red where G is told to add stroke (raise the pixel), blue where it is told to take stroke away.\n"
               "It shows where D pushes each fake.");
  ImGui::TextWrapped(on_ && has_views ? "Red: G is told to add stroke there. Blue: to take it away. The tint is "
                                        "scaled to the largest push on the grid."
                                      : "Turn it on to see, on the grid, where D pushes each fake.");
}

}  // namespace ganvas
