// Widgets with tooltips, remembered by label for UI tests.
#include "engine/widgets.h"

#include <imgui_internal.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

namespace ganvas::ui {
namespace {

// The widgets of the current ImGui context (ImGuiLayer forgets them when it makes a new one);
// entries older than the latest frame are ignored by find().
std::map<std::string, WidgetInfo>& registry() {
  static std::map<std::string, WidgetInfo> widgets;
  return widgets;
}

ImVec2 clamp_to(const ImVec2& v, const ImRect& r) {
  return ImVec2(std::clamp(v.x, r.Min.x, r.Max.x), std::clamp(v.y, r.Min.y, r.Max.y));
}

void remember_rect(const char* label, const ImRect& rect, float frame_width, const ImRect& visible_area) {
  const ImGuiContext& g = *ImGui::GetCurrentContext();
  const ImGuiWindow* window = g.CurrentWindow;
  WidgetInfo info;
  info.window = window->Name;
  info.label = label;
  info.min = rect.Min;
  info.max = rect.Max;
  info.frame_min = info.min;
  info.frame_max = frame_width > 0 ? ImVec2(info.min.x + frame_width, info.max.y) : info.max;
  info.visible_min = clamp_to(info.min, visible_area);
  info.visible_max = clamp_to(info.max, visible_area);
  info.frame_count = g.FrameCount;
  registry()[info.window + "/" + label] = info;
}

// Remembers the last item and gives it its tooltip; passes `changed` through.
bool finish(const char* label, const char* tip, bool changed, float frame_width = 0) {
  tooltip(tip);
  remember(label, frame_width);
  return changed;
}

}  // namespace

void remember(const char* label, float frame_width) {
  const ImGuiContext& g = *ImGui::GetCurrentContext();
  remember_rect(label, g.LastItemData.Rect, frame_width, g.CurrentWindow->ClipRect);
}

void remember_title(const char* label) {
  ImGuiWindow& window = *ImGui::GetCurrentContext()->CurrentWindow;
  remember_rect(label, window.TitleBarRect(), 0, window.OuterRectClipped);
}

const WidgetInfo* find(const std::string& name) {
  const int latest = ImGui::GetCurrentContext() ? ImGui::GetFrameCount() : -1;
  const WidgetInfo* found = nullptr;
  for (const auto& [key, info] : registry()) {
    if (info.frame_count != latest) continue;  // not drawn in the latest frame
    const bool match = key == name || info.label == name;
    if (!match) continue;
    if (found) return nullptr;  // ambiguous: name the window
    found = &info;
  }
  return found;
}

void forget_all() { registry().clear(); }

std::vector<WidgetInfo> drawn_widgets() {
  const int latest = ImGui::GetFrameCount();
  std::vector<WidgetInfo> widgets;
  for (const auto& [key, info] : registry()) {
    if (info.frame_count == latest) widgets.push_back(info);
  }
  return widgets;
}

void tooltip(const char* text) {
  if (text && *text && ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) {
    ImGui::SetTooltip("%s", text);
  }
}

bool button(const char* label, const char* tip, const ImVec2& size) {
  return finish(label, tip, ImGui::Button(label, size));
}

bool checkbox(const char* label, bool* value, const char* tip) { return finish(label, tip, ImGui::Checkbox(label, value)); }

bool radio(const char* label, int* value, int choice, const char* tip) {
  return finish(label, tip, ImGui::RadioButton(label, value, choice));
}

bool slider_float(const char* label, float* value, float lo, float hi, const char* format, const char* tip) {
  const float width = ImGui::CalcItemWidth();
  return finish(label, tip, ImGui::SliderFloat(label, value, lo, hi, format, ImGuiSliderFlags_NoRoundToFormat), width);
}

bool slider_int(const char* label, int* value, int lo, int hi, const char* format, const char* tip) {
  const float width = ImGui::CalcItemWidth();
  return finish(label, tip, ImGui::SliderInt(label, value, lo, hi, format), width);
}

bool log_slider(const char* label, float* value, float lo, float hi, const char* tip) {
  const float width = ImGui::CalcItemWidth();
  const float log_lo = std::log10(lo), log_hi = std::log10(hi);
  float exponent = std::log10(std::clamp(*value, lo, hi));
  char shown[32];  // the value itself, as the slider's text ('%' would start a format)
  std::snprintf(shown, sizeof(shown), "%.1e", static_cast<double>(*value));
  // No Ctrl+click typing: the text field would edit the exponent, not the value it shows.
  const bool changed = ImGui::SliderFloat(label, &exponent, log_lo, log_hi, shown,
                                          ImGuiSliderFlags_NoRoundToFormat | ImGuiSliderFlags_NoInput);
  if (changed) *value = std::clamp(std::pow(10.0f, exponent), lo, hi);
  return finish(label, tip, changed, width);
}

bool input_int(const char* label, int* value, const char* tip) {
  const float width = ImGui::CalcItemWidth();
  return finish(label, tip, ImGui::InputInt(label, value), width);
}

bool input_text(const char* label, char* buffer, size_t size, const char* tip) {
  const float width = ImGui::CalcItemWidth();
  return finish(label, tip, ImGui::InputText(label, buffer, size), width);
}

bool combo(const char* label, int* index, const char* const names[], int count, const char* tip) {
  const float width = ImGui::CalcItemWidth();
  const ImVec2 at = ImGui::GetCursorScreenPos();
  const float label_width = ImGui::CalcTextSize(label, nullptr, true).x;
  const ImRect rect(at, ImVec2(at.x + width + (label_width > 0 ? ImGui::GetStyle().ItemInnerSpacing.x + label_width : 0),
                               at.y + ImGui::GetFrameHeight()));
  // Before the list opens and becomes the current window.
  remember_rect(label, rect, width, ImGui::GetCurrentContext()->CurrentWindow->ClipRect);
  const char* shown = *index >= 0 && *index < count ? names[*index] : "";
  bool changed = false;
  if (ImGui::BeginCombo(label, shown, ImGuiComboFlags_HeightLarge)) {  // up to 20 choices without scrolling
    for (int i = 0; i < count; ++i) {  // each choice is a widget of its own, found by its name
      if (ImGui::Selectable(names[i], i == *index)) {
        changed = i != *index;
        *index = i;
      }
      remember(names[i]);
    }
    ImGui::EndCombo();
  } else {
    tooltip(tip);
  }
  return changed;
}

bool tab(const char* label, const char* tip, bool select) {
  const bool open = ImGui::BeginTabItem(label, nullptr, select ? ImGuiTabItemFlags_SetSelected : 0);
  finish(label, tip, open);
  return open;
}

}  // namespace ganvas::ui
