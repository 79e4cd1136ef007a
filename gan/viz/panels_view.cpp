// The View tab: colours, the frame rate traded against training speed, performance; and the
// visualizer's settings kept in the layout file (the selected tab, inverted colours).
#include <imgui.h>
#include <imgui_internal.h>

#include <cmath>
#include <cstdio>
#include <vector>

#include "engine/app.h"
#include "gan/viz/gan_visualizer.h"
#include "engine/widgets.h"

namespace ganvas {
namespace {

constexpr double kFrameCaps[] = {0.0, 60.0, 30.0, 10.0};
constexpr const char* kFrameCapNames[] = {"display rate (smoothest)", "60 fps", "30 fps (balanced)",
                                          "10 fps (training first)"};
constexpr int kFrameCapCount = 4;
constexpr const char* kSettingsType = "Ganvas";

int frame_cap_index(double max_fps) {
  for (int i = 0; i < kFrameCapCount; ++i) {
    if (std::fabs(kFrameCaps[i] - max_fps) < 0.5) return i;
  }
  return -1;
}

}  // namespace

void GanVisualizer::draw_view_tab() {
  ui::checkbox("invert colours", &invert_, "black digits on white, as the tutorial shows them (off: white on black)");
  draw_canvas_view_controls();
  const std::vector<double> intervals(frame_ms_.begin(), frame_ms_.end());
  const double p50 = percentile_ms(intervals, 0.5), p99 = percentile_ms(intervals, 0.99);
  const LiveStatus status = trainer_->status();
  if (loop_) {
    int index = frame_cap_index(loop_->max_fps);
    char custom[48];
    std::snprintf(custom, sizeof(custom), "%.0f fps (--max-fps)", loop_->max_fps);
    const char* names[kFrameCapCount + 1] = {kFrameCapNames[0], kFrameCapNames[1], kFrameCapNames[2], kFrameCapNames[3], custom};
    const int shown = index < 0 ? kFrameCapCount + 1 : kFrameCapCount;
    if (index < 0) index = kFrameCapCount;
    ImGui::SetNextItemWidth(ImGui::CalcTextSize(kFrameCapNames[3]).x + ImGui::GetFrameHeight() * 2);
    if (ui::combo("frame cap", &index, names, shown,
                  "frames and training share the machine: fewer frames a second leave more time to training.\n"
                  "On the CPU, 30 fps keeps most of the training speed; on a GPU the display rate costs little.")) {
      if (index < kFrameCapCount) loop_->max_fps = kFrameCaps[index];
    }
    if (context_ && context_->window()) {
      ui::checkbox("vsync", &loop_->vsync, "wait for the display's refresh before showing a frame (no tearing)");
    }
  }
  ImGui::TextWrapped("frames:   %.0f fps (interval %.2f ms p50, %.2f ms p99)", p50 > 0 ? 1000.0 / p50 : 0.0, p50, p99);
  ImGui::TextWrapped("training: %.0f steps/s on %s", status.steps_per_second, status.backend.c_str());
  ImGui::TextWrapped("images: %s", image_path_.c_str());
  if (context_) ImGui::TextWrapped("%s", context_->description().c_str());
}

void GanVisualizer::draw_canvas_view_controls() {
  ImGui::BeginDisabled(view_.fitted());
  if (ui::button("Fit canvas (F)", "show the whole canvas again: no zoom, no pan (the F key does the same)")) view_.fit();
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::TextDisabled("zoom %.2fx", static_cast<double>(view_.zoom()));
  ui::tooltip("the wheel over the canvas zooms around the pointer; dragging the canvas pans it");
}

// "[Ganvas][Visualizer]" in the layout file: the selected tab and the colours.
void GanVisualizer::register_settings() {
  ImGuiContext& g = *ImGui::GetCurrentContext();
  const ImGuiID type = ImHashStr(kSettingsType);
  for (const ImGuiSettingsHandler& handler : g.SettingsHandlers) {
    if (handler.TypeHash == type) return;  // one visualizer per ImGui context
  }
  ImGuiSettingsHandler handler;
  handler.TypeName = kSettingsType;
  handler.TypeHash = type;
  handler.UserData = this;
  handler.ReadOpenFn = [](ImGuiContext*, ImGuiSettingsHandler* h, const char* name) -> void* {
    return std::string(name) == "Visualizer" ? h->UserData : nullptr;
  };
  handler.ReadLineFn = [](ImGuiContext*, ImGuiSettingsHandler*, void* entry, const char* line) {
    auto* viz = static_cast<GanVisualizer*>(entry);
    int value = 0;
    if (std::sscanf(line, "Tab=%d", &value) == 1 && value >= 0 && value <= 3) {
      viz->tab_ = static_cast<PanelTab>(value);
      viz->select_tab_ = true;
    } else if (std::sscanf(line, "Invert=%d", &value) == 1) {
      viz->invert_ = value != 0;
    }
  };
  handler.WriteAllFn = [](ImGuiContext*, ImGuiSettingsHandler* h, ImGuiTextBuffer* out) {
    const auto* viz = static_cast<const GanVisualizer*>(h->UserData);
    out->appendf("[%s][Visualizer]\nTab=%d\nInvert=%d\n\n", h->TypeName, static_cast<int>(viz->tab_), viz->invert_ ? 1 : 0);
  };
  g.SettingsHandlers.push_back(handler);
}

void GanVisualizer::unregister_settings() { remove_settings_handler(this); }

}  // namespace ganvas
