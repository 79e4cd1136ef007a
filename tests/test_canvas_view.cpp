// The canvas's view transform: zoom around a point, pan, fit, and hit-testing through the inverse.
#include <gtest/gtest.h>

#include "gan/viz/canvas_input.h"
#include "gan/viz/canvas_view.h"

namespace ganvas {
namespace {

void expect_near(glm::vec2 a, glm::vec2 b) {
  EXPECT_NEAR(a.x, b.x, 1e-3f);
  EXPECT_NEAR(a.y, b.y, 1e-3f);
}

TEST(CanvasView, FittedIsTheIdentity) {
  const CanvasView view;
  EXPECT_TRUE(view.fitted());
  expect_near(view.screen_point({37.0f, 12.5f}), {37.0f, 12.5f});
  const PixelRect rect{10, 20, 300, 300};
  const PixelRect shown = view.on_screen(rect);
  EXPECT_EQ(shown.x, 10);
  EXPECT_EQ(shown.width, 300);
}

TEST(CanvasView, ZoomKeepsThePointUnderTheCursorWhereItWas) {
  CanvasView view;
  const glm::vec2 cursor(200.0f, 150.0f);
  const glm::vec2 under = view.canvas_point(cursor);
  view.zoom_at(cursor, 2.0f);
  EXPECT_FLOAT_EQ(view.zoom(), 2.0f);
  expect_near(view.screen_point(under), cursor);
  view.zoom_at({50.0f, 400.0f}, 1.5f);
  const glm::vec2 other = view.canvas_point({50.0f, 400.0f});
  view.zoom_at({50.0f, 400.0f}, 0.75f);
  expect_near(view.screen_point(other), {50.0f, 400.0f});
}

TEST(CanvasView, ZoomStaysWithinItsLimits) {
  CanvasView view;
  for (int i = 0; i < 50; ++i) view.zoom_at({0, 0}, 2.0f);
  EXPECT_FLOAT_EQ(view.zoom(), CanvasView::kMaxZoom);
  for (int i = 0; i < 50; ++i) view.zoom_at({0, 0}, 0.5f);
  EXPECT_FLOAT_EQ(view.zoom(), CanvasView::kMinZoom);
}

TEST(CanvasView, TheInverseUndoesTheTransformAfterZoomAndPan) {
  CanvasView view;
  view.zoom_at({300, 200}, 3.0f);
  view.pan({-40.0f, 25.0f});
  for (const glm::vec2 p : {glm::vec2(0, 0), glm::vec2(123.5f, 77.25f), glm::vec2(640, 480)}) {
    expect_near(view.canvas_point(view.screen_point(p)), p);
  }
  const PixelRect rect{12, 12, 100, 50};
  const PixelRect shown = view.on_screen(rect);
  EXPECT_NEAR(shown.width, 300.0f, 1e-3f);
  expect_near({shown.x, shown.y}, view.screen_point({12, 12}));
}

TEST(CanvasView, HitTestingGoesThroughTheInverse) {
  CanvasView view;
  const PixelRect grid{0, 0, 60, 60};  // 6 x 6 cells of 10 pixels
  view.zoom_at({0, 0}, 4.0f);            // each cell is now 40 pixels on screen
  view.pan({-40.0f, 0.0f});              // and the grid starts one screen cell to the left
  const glm::vec2 at = view.canvas_point({45.0f, 5.0f});
  EXPECT_EQ(grid_cell_at(grid, 6, at.x, at.y), 2) << "screen x 45 is canvas x 21.25: the third cell";
}

TEST(CanvasView, FitForgetsZoomAndPan) {
  CanvasView view;
  view.zoom_at({10, 10}, 2.0f);
  view.pan({5, 5});
  EXPECT_FALSE(view.fitted());
  view.fit();
  EXPECT_TRUE(view.fitted());
}

TEST(CanvasPointer, TheWheelZoomsAroundThePointer) {
  CanvasView view;
  bool panning = false;
  PointerEvent wheel;
  wheel.position = {30.0f, 40.0f};
  wheel.wheel = 2.0f;
  apply_pointer(wheel, view, PixelRect{0, 0, 60, 60}, 6, panning);
  EXPECT_FLOAT_EQ(view.zoom(), kWheelZoom * kWheelZoom);
  expect_near(view.screen_point(view.canvas_point({30.0f, 40.0f})), {30.0f, 40.0f});
}

TEST(CanvasPointer, AClickPicksTheCellUnderItAndADragPicksNothing) {
  CanvasView view;
  bool panning = false;
  const PixelRect grid{0, 0, 60, 60};
  PointerEvent click;
  click.position = {25.0f, 15.0f};  // column 2, row 1
  click.released = true;
  PointerOutcome outcome = apply_pointer(click, view, grid, 6, panning);
  EXPECT_EQ(outcome.cell, 8);
  EXPECT_EQ(outcome.anchor, 0);
  PointerEvent drag;
  drag.position = {35.0f, 15.0f};
  drag.drag = {10.0f, 0.0f};
  outcome = apply_pointer(drag, view, grid, 6, panning);
  EXPECT_TRUE(outcome.panning);
  EXPECT_EQ(outcome.anchor, -1);
  expect_near(view.offset(), {10.0f, 0.0f});
  PointerEvent release = drag;
  release.drag = {0.0f, 0.0f};
  release.released = true;
  outcome = apply_pointer(release, view, grid, 6, panning);
  EXPECT_EQ(outcome.anchor, -1) << "the release that ends a drag picks no anchor";
  EXPECT_FALSE(panning);
  EXPECT_EQ(outcome.cell, 8) << "canvas x 25 is under screen x 35 after the pan";
  PointerEvent right;
  right.position = {35.0f, 55.0f};
  right.right_pressed = true;
  EXPECT_EQ(apply_pointer(right, view, grid, 6, panning).anchor, 1);
  right.position = {200.0f, 200.0f};
  outcome = apply_pointer(right, view, grid, 6, panning);
  EXPECT_EQ(outcome.cell, -1);
  EXPECT_EQ(outcome.anchor, -1) << "off the grid, nothing is picked";
}

}  // namespace
}  // namespace ganvas
