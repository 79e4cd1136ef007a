// The Shortcuts window (F1, or "?" in the panel column): every key and mouse action the window knows.
#pragma once

#include <vector>

namespace ganvas {

struct Shortcut {
  const char* keys;    // what to press or do, e.g. "Ctrl+Q", "left click a grid cell"
  const char* action;  // what it does
};

struct ShortcutGroup {
  const char* title;
  std::vector<Shortcut> shortcuts;
};

// Every shortcut, grouped: keys, the mouse on the canvas, the panels.
const std::vector<ShortcutGroup>& shortcut_groups();

// The list, while `*open`; Close, Esc and a click outside it clear `*open`. Each shortcut's keys are
// remembered as a widget of the window "Shortcuts" (UI tests find them by their text).
void draw_shortcuts_window(bool* open);

}  // namespace ganvas
