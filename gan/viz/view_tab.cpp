// The View tab: colours, zoom, the frame rate traded against training speed, performance.
#include "gan/viz/view_tab.h"

#include <imgui.h>

#include <cmath>
#include <cstdio>
#include <vector>

#include "engine/app.h"
#include "engine/widgets.h"

namespace ganvas {
namespace {

constexpr double kFrameCaps[] = {0.0, 60.0, 30.0, 10.0};
constexpr const char* kFrameCapNames[] = {"display rate (smoothest)", "60 fps", "30 fps (balanced)",
                                          "10 fps (training first)"};
constexpr int kFrameCapCount = 4;
constexpr size_t kFrameHistory = 240;

int frame_cap_index(double max_fps) {
  for (int i = 0; i < kFrameCapCount; ++i) {
    if (std::fabs(kFrameCaps[i] - max_fps) < 0.5) return i;
  }
  return -1;
}

void draw_canvas_view_controls(CanvasView& view) {
  ImGui::BeginDisabled(view.fitted());
  if (ui::button("Fit canvas (F)", "show the whole canvas again: no zoom, no pan (the F key does the same)")) view.fit();
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::TextDisabled("zoom %.2fx", static_cast<double>(view.zoom()));
  ui::tooltip("the wheel over the canvas zooms around the pointer; dragging the canvas pans it");
}

}  // namespace

void ViewTab::count_frame(double delta) {
  frame_ms_.push_back(delta * 1000.0);
  if (frame_ms_.size() > kFrameHistory) frame_ms_.pop_front();
}

void ViewTab::draw(const Session& session, CanvasView& view, const std::string& image_path, GlContext* context,
                   LoopControls* loop) {
  ui::checkbox("invert colours", &invert_, "black digits on white, as the tutorial shows them (off: white on black)");
  draw_canvas_view_controls(view);
  const std::vector<double> intervals(frame_ms_.begin(), frame_ms_.end());
  const double p50 = percentile_ms(intervals, 0.5), p99 = percentile_ms(intervals, 0.99);
  const LiveStatus status = session.trainer().status();
  if (loop) {
    int index = frame_cap_index(loop->max_fps);
    char custom[48];
    std::snprintf(custom, sizeof(custom), "%.0f fps (--max-fps)", loop->max_fps);
    const char* names[kFrameCapCount + 1] = {kFrameCapNames[0], kFrameCapNames[1], kFrameCapNames[2], kFrameCapNames[3], custom};
    const int shown = index < 0 ? kFrameCapCount + 1 : kFrameCapCount;
    if (index < 0) index = kFrameCapCount;
    ImGui::SetNextItemWidth(ImGui::CalcTextSize(kFrameCapNames[3]).x + ImGui::GetFrameHeight() * 2);
    if (ui::combo("frame cap", &index, names, shown,
                  "frames and training share the machine: fewer frames a second leave more time to training.\n"
                  "On the CPU, 30 fps keeps most of the training speed; on a GPU the display rate costs little.")) {
      if (index < kFrameCapCount) loop->max_fps = kFrameCaps[index];
    }
    if (context && context->window()) {
      ui::checkbox("vsync", &loop->vsync, "wait for the display's refresh before showing a frame (no tearing)");
    }
  }
  ImGui::TextWrapped("frames:   %.0f fps (interval %.2f ms p50, %.2f ms p99)", p50 > 0 ? 1000.0 / p50 : 0.0, p50, p99);
  ImGui::TextWrapped("training: %.0f steps/s on %s", status.steps_per_second, status.backend.c_str());
  ImGui::TextWrapped("images: %s", image_path.c_str());
  if (context) ImGui::TextWrapped("%s", context->description().c_str());
}

}  // namespace ganvas
