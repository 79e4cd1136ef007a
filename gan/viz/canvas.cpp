// The canvas: layout, the images and their marks, and the pointer over them.
#include "gan/viz/canvas.h"

#include <algorithm>
#include <cfloat>
#include <cstdio>
#include <filesystem>
#include <string>

#include "engine/gl.h"
#include "engine/gl_state.h"

namespace ganvas {
namespace {

constexpr ImU32 kAnchorColours[2] = {IM_COL32(255, 170, 40, 255), IM_COL32(80, 200, 255, 255)};
constexpr const char* kAnchorNames[2] = {"A", "B"};

// A letter in a filled box with its top-left corner at `at`.
void draw_tag(ImDrawList& list, ImVec2 at, const char* text, ImU32 colour, float font_size) {
  const ImVec2 size = ImGui::GetFont()->CalcTextSizeA(font_size, FLT_MAX, 0, text);
  const float pad = font_size * 0.2f;
  list.AddRectFilled(at, ImVec2(at.x + size.x + 2 * pad, at.y + size.y + pad), colour);
  list.AddText(ImGui::GetFont(), font_size, ImVec2(at.x + pad, at.y + pad * 0.5f), IM_COL32(0, 0, 0, 255), text);
}

// Dear ImGui's mouse state as a pointer event in framebuffer pixels.
PointerEvent pointer_event(const ImGuiIO& io) {
  const glm::vec2 scale(io.DisplayFramebufferScale.x, io.DisplayFramebufferScale.y);
  PointerEvent event;
  event.position = glm::vec2(io.MousePos.x, io.MousePos.y) * scale;
  event.wheel = io.MouseWheel;
  if (ImGui::IsMouseDragging(ImGuiMouseButton_Left)) {
    const ImVec2 moved = ImGui::GetMouseDragDelta(ImGuiMouseButton_Left);
    event.drag = glm::vec2(moved.x, moved.y) * scale;
    ImGui::ResetMouseDragDelta(ImGuiMouseButton_Left);
  }
  event.released = ImGui::IsMouseReleased(ImGuiMouseButton_Left);
  event.right_pressed = ImGui::IsMouseClicked(ImGuiMouseButton_Right);
  return event;
}

}  // namespace

void Canvas::lay_out(Size framebuffer, float panel_width, float scale, int strip_images, int tiles) {
  panel_width_ = panel_width;
  scale_ = scale;
  tiles_ = tiles;
  laid_out_ = layout_canvas(framebuffer, panel_width, scale, strip_images, canvas_footer(scale, false));
  grid_place_ = laid_out_.grid;
  laid_out_.grid = compare_tile(grid_place_, tiles_, 0);  // the shown run's grid: clicks pick its cells
  on_screen_ = view_.on_screen(laid_out_);
}

PixelRect Canvas::tile_on_screen(int index) const {
  return compare_tile(view_.on_screen({grid_place_, {}, {}}).grid, tiles_, index);
}

int Canvas::handle_pointer(const ImGuiIO& io, Session& session) {
  const PointerOutcome outcome = apply_pointer(pointer_event(io), view_, laid_out_.grid, session.grid_side(), panning_);
  if (outcome.cell < 0) return -1;
  if (outcome.anchor >= 0) session.set_anchor_to_cell(outcome.anchor, outcome.cell);
  return outcome.panning ? -1 : outcome.cell;
}

float Canvas::width(const FrameInfo& frame) const {
  const float width = static_cast<float>(frame.framebuffer.width);
  return frame.canvas_only ? width : std::max(0.0f, width - panel_width_);
}

void Canvas::draw(const FrameInfo& frame, const Session& session, const SessionImages& images, bool invert, Tint tint,
                  const Comparison& comparison) {
  // The canvas alone (a recording) scales its margins and marks with the video's height.
  const float video_scale = frame.framebuffer.height / 720.0f;
  const int strip = session.explorer().strip();
  CanvasLayout layout =
      frame.canvas_only
          ? layout_canvas(frame.framebuffer, 0.0f, video_scale, strip, canvas_footer(video_scale, frame.caption))
          : view_.on_screen({grid_place_, laid_out_.strip, laid_out_.explorer});
  const PixelRect place = layout.grid;
  layout.grid = compare_tile(place, tiles_, 0);
  glClearColor(0.11f, 0.11f, 0.13f, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  const int w = frame.framebuffer.width, h = frame.framebuffer.height;
  // Zoomed in, the images stay on the canvas and never spill under the panel column.
  gl::StateGuard::plain_drawing();  // whatever culling, masks or modes a host had on
  glEnable(GL_SCISSOR_TEST);
  glScissor(0, 0, static_cast<GLsizei>(width(frame)), h);
  const int side = session.grid_side(), cells = session.grid_cells();
  const ImageGridPass& pass = images.pass();
  pass.draw(images.buffer(), 0, side, side, layout.grid, w, h, invert, tint.buffer, tint.scale);
  pass.draw(images.buffer(), cells, strip, 1, layout.strip, w, h, invert);
  pass.draw(images.buffer(), cells + strip, 1, 1, layout.explorer, w, h, invert);
  draw_compared(frame, {place, layout.strip, layout.explorer}, comparison, invert);
  glDisable(GL_SCISSOR_TEST);
  draw_marks(frame, session, layout, place, frame.canvas_only ? video_scale : scale_, comparison);
}

// `layout.grid` is the grid's whole place here: tile i + 1 is compared run i's.
void Canvas::draw_compared(const FrameInfo& frame, const CanvasLayout& layout, const Comparison& comparison,
                           bool invert) {
  const int w = frame.framebuffer.width, h = frame.framebuffer.height;
  for (size_t i = 0; i < comparison.runs().size(); ++i) {
    const ComparedRun& run = *comparison.runs()[i];
    if (!run.images) continue;
    const int side = run.session->grid_side();
    run.images->pass().draw(run.images->buffer(), 0, side, side, compare_tile(layout.grid, tiles_, static_cast<int>(i) + 1),
                            w, h, invert);
  }
}

// Each grid's frame in its run's colour, and its name and step above it.
void Canvas::mark_compared(ImDrawList& list, const Session& shown, const CanvasLayout& layout,
                           const Comparison& comparison, float font) {
  const auto mark = [&](const PixelRect& tile, ImU32 colour, const std::string& name, uint64_t step) {
    list.AddRect(ImVec2(tile.x - 1, tile.y - 1), ImVec2(tile.x + tile.width + 1, tile.y + tile.height + 1), colour, 0, 0, 2.0f);
    const std::string text = name + "  step " + std::to_string(step);
    list.AddText(ImGui::GetFont(), font * 0.8f, ImVec2(tile.x, tile.y - font * 0.85f), colour, text.c_str());
  };
  const std::string shown_name = shown.run_dir().empty() ? "shown" : std::filesystem::path(shown.run_dir()).filename().string();
  mark(compare_tile(layout.grid, tiles_, 0), chart_line_colour(), shown_name, shown.snapshot().step);
  for (size_t i = 0; i < comparison.runs().size(); ++i) {
    const ComparedRun& run = *comparison.runs()[i];
    mark(compare_tile(layout.grid, tiles_, static_cast<int>(i) + 1), run.colour, run.name, run.session->snapshot().step);
  }
}

std::string canvas_caption(const Session& session) {
  const MetricsHistory history = session.trainer().history();
  const LiveSnapshot& snapshot = session.snapshot();
  char text[256];
  const int n = std::snprintf(text, sizeof(text), "step %llu", static_cast<unsigned long long>(snapshot.step));
  if (!history.gen_loss.empty() && n > 0) {
    std::snprintf(text + n, sizeof(text) - n, "   G loss %.3f   D loss %.3f", static_cast<double>(history.gen_loss.back()),
                  static_cast<double>(history.disc_loss.back()));
  }
  const ModelShape& s = snapshot.shape;
  return std::string(text) + (s.conditional() ? "   conditional GAN " : "   GAN ") + layer_widths(s.generator()) + ", " +
         session.trainer().status().backend;
}

// The anchors on the grid and the strip's ends, t on the strip, a caption. Their size follows
// `scale` (the display's, or the video's), not the view's zoom.
void Canvas::draw_marks(const FrameInfo& frame, const Session& session, const CanvasLayout& layout,
                        const PixelRect& place, float scale, const Comparison& comparison) {
  if (!draw_overlay_ || !ImGui::GetCurrentContext()) return;
  const float font = std::max(13.0f, 18.0f * scale);
  if (!overlay_) overlay_ = std::make_unique<ImDrawList>(ImGui::GetDrawListSharedData());
  ImDrawList& list = *overlay_;  // its buffers are kept from frame to frame
  list._ResetForNewFrame();
  list.PushTextureID(ImGui::GetIO().Fonts->TexID);
  list.PushClipRect(ImVec2(0, 0), ImVec2(width(frame), static_cast<float>(frame.framebuffer.height)));
  const LatentExplorer& explorer = session.explorer();
  const int side = session.grid_side();
  const float cell = layout.grid.width / static_cast<float>(side);
  for (int which = 0; which < 2; ++which) {
    const int index = explorer.anchor_cell(which);
    if (index < 0) continue;
    const ImVec2 corner(layout.grid.x + cell * static_cast<float>(index % side),
                        layout.grid.y + cell * static_cast<float>(index / side));
    list.AddRect(corner, ImVec2(corner.x + cell, corner.y + cell), kAnchorColours[which], 0, 0, 2.0f);
    draw_tag(list, corner, kAnchorNames[which], kAnchorColours[which], font);
  }
  if (tiles_ > 1) mark_compared(list, session, {place, layout.strip, layout.explorer}, comparison, font);
  const PixelRect& strip = layout.strip;
  draw_tag(list, ImVec2(strip.x, strip.y), "A", kAnchorColours[0], font);
  draw_tag(list, ImVec2(strip.x + strip.width - font, strip.y), "B", kAnchorColours[1], font);
  const float x = strip_x(strip, explorer.strip(), explorer.t());
  list.AddTriangleFilled(ImVec2(x, strip.y + strip.height), ImVec2(x - font * 0.4f, strip.y + strip.height + font * 0.6f),
                         ImVec2(x + font * 0.4f, strip.y + strip.height + font * 0.6f), IM_COL32(255, 255, 255, 255));
  char t_text[32];
  std::snprintf(t_text, sizeof(t_text), "t = %.2f", static_cast<double>(explorer.t()));
  list.AddText(ImGui::GetFont(), font, ImVec2(x + font * 0.5f, strip.y + strip.height + font * 0.1f),
               IM_COL32(220, 220, 230, 255), t_text);
  if (frame.caption) {
    const std::string text = canvas_caption(session);
    list.AddText(ImGui::GetFont(), 24.0f * scale,
                 ImVec2(layout.grid.x, strip.y + strip.height + canvas_footer(scale, true) - 30.0f * scale),
                 IM_COL32(235, 235, 240, 255), text.c_str());
  }
  list.PopClipRect();
  list.PopTextureID();
  draw_overlay_(list, frame.framebuffer);
}

}  // namespace ganvas
