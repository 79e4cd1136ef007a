// Panel widgets for plugins and the engine's own windows: each shows a tooltip, and each is
// remembered with its rectangle in the latest frame, so a UI test can find it by label and drive it
// with the mouse and keyboard like a user.
#pragma once

#include <imgui.h>

#include <string>
#include <vector>

namespace ganvas::ui {

// A widget as drawn in the latest frame, in ImGui's display coordinates.
struct WidgetInfo {
  std::string window;  // the ImGui window it is in
  std::string label;   // as passed to the widget
  ImVec2 min, max;     // the whole item, label included
  ImVec2 frame_min, frame_max;  // the part that takes the mouse (a slider's track, a button)
  ImVec2 visible_min, visible_max;  // what the window shows of the item, no scrolling needed
  int frame_count = -1;             // ImGui's frame in which it was drawn
};

// Remembers ImGui's last item under `label`; `frame_width` > 0 is the width of its interactive frame
// when the label sits beside it (sliders, inputs, combos).
void remember(const char* label, float frame_width = 0);
// The widget drawn in the latest frame with this label ("Window/label" or a label unique in the
// frame), or nullptr.
const WidgetInfo* find(const std::string& name);
// Forgets every widget (a new ImGui context begins).
void forget_all();
// Every widget drawn in the latest frame.
std::vector<WidgetInfo> drawn_widgets();

// Remembers the current window's title bar under `label` (call it right after ImGui::Begin).
void remember_title(const char* label);

// Shows `text` as the last item's tooltip while the mouse rests on it.
void tooltip(const char* text);

bool button(const char* label, const char* tip, const ImVec2& size = ImVec2(0, 0));
bool checkbox(const char* label, bool* value, const char* tip);
bool radio(const char* label, int* value, int choice, const char* tip);
bool slider_float(const char* label, float* value, float lo, float hi, const char* format, const char* tip);
bool slider_int(const char* label, int* value, int lo, int hi, const char* format, const char* tip);
// A slider whose position is the logarithm of the value: its middle is the geometric middle of
// [lo, hi]. Shows the value as "%.1e".
bool log_slider(const char* label, float* value, float lo, float hi, const char* tip);
bool input_int(const char* label, int* value, const char* tip);
bool input_text(const char* label, char* buffer, size_t size, const char* tip);
bool combo(const char* label, int* index, const char* const names[], int count, const char* tip);
// A tab of a tab bar; true while it is the selected one (then call ImGui::EndTabItem()).
bool tab(const char* label, const char* tip, bool select = false);

}  // namespace ganvas::ui
