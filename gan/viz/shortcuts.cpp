// The Shortcuts window: the keys and mouse actions of the visualizer and its host, in one list.
#include "gan/viz/shortcuts.h"

#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>

#include "engine/widgets.h"

namespace ganvas {

const std::vector<ShortcutGroup>& shortcut_groups() {
  static const std::vector<ShortcutGroup> groups = {
      {"Keys (not while typing into a text field)",
       {{"Space", "play or pause training"},
        {"F", "fit the canvas to the window: no zoom, no pan"},
        {"R", "start or stop a recording"},
        {"F1", "show or hide this list"},
        {"Esc", "close a prompt, a drop-down or this list; else quit (asks first while recording)"},
        {"Ctrl+Q", "quit (asks first while recording)"}}},
      {"Mouse on the canvas",
       {{"wheel", "zoom in or out around the pointer (0.5x to 16x)"},
        {"left drag", "pan the canvas (a drag picks no anchor)"},
        {"left click a grid cell", "make that digit anchor A of the explorer"},
        {"right click a grid cell", "make that digit anchor B of the explorer"},
        {"rest on a grid cell", "D's score of the digit: its belief that it is real"}}},
      {"Mouse on the panels",
       {{"rest on a control", "what it does"},
        {"rest on a chart", "the step and value under the pointer"},
        {"Ctrl+click a slider", "type its value (not the learning rates)"},
        {"drag a window's title", "move it"}}},
  };
  return groups;
}

namespace {

constexpr const char* kTitle = "Shortcuts";

// The groups in one column layout: every group's keys as wide as the widest.
void draw_groups() {
  float keys_width = 0;
  for (const ShortcutGroup& group : shortcut_groups()) {
    for (const Shortcut& shortcut : group.shortcuts) keys_width = std::max(keys_width, ImGui::CalcTextSize(shortcut.keys).x);
  }
  for (const ShortcutGroup& group : shortcut_groups()) {
    ImGui::TextDisabled("%s", group.title);
    if (!ImGui::BeginTable(group.title, 2, ImGuiTableFlags_SizingFixedFit)) continue;
    ImGui::TableSetupColumn("keys", ImGuiTableColumnFlags_WidthFixed, keys_width);
    for (const Shortcut& shortcut : group.shortcuts) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(shortcut.keys);
      ui::remember(shortcut.keys);
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(shortcut.action);
    }
    ImGui::EndTable();
    ImGui::Spacing();
  }
}

// Closes the list without drawing it once more (CloseCurrentPopup would need its Begin first).
void close_list() {
  const ImGuiContext& g = *ImGui::GetCurrentContext();
  const ImGuiID id = ImGui::GetID(kTitle);
  for (int level = 0; level < g.OpenPopupStack.Size; ++level) {
    if (g.OpenPopupStack[level].PopupId == id) {
      ImGui::ClosePopupToLevel(level, true);
      return;
    }
  }
}

}  // namespace

// A popup, so Esc closes it instead of quitting (the host quits on Esc only while no popup is open).
// It closes a frame after it is told to: the Esc that closes it must find it still open.
void draw_shortcuts_window(bool* open) {
  if (!*open) {
    close_list();
    return;
  }
  if (!ImGui::IsPopupOpen(kTitle)) ImGui::OpenPopup(kTitle);
  const ImGuiIO& io = ImGui::GetIO();
  ImGui::SetNextWindowPos(ImVec2(io.DisplaySize.x * 0.35f, io.DisplaySize.y * 0.5f), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowBgAlpha(1.0f);  // readable over the digits
  if (!ImGui::BeginPopup(kTitle, ImGuiWindowFlags_AlwaysAutoResize)) {
    *open = false;  // a click outside closed it
    return;
  }
  if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false)) *open = false;
  ImGui::TextUnformatted(kTitle);
  ImGui::Separator();
  draw_groups();
  if (ui::button("Close", "hide this list (F1, Esc or a click outside it do the same)")) *open = false;
  ImGui::EndPopup();
}

}  // namespace ganvas
