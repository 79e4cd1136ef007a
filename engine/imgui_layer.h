// Dear ImGui on a context: the GLFW platform backend for windows, a hand-fed one when headless.
#pragma once

#include <imgui.h>

#include <string>

#include "engine/context.h"

namespace ganvas {

// Removes the layout-file handler (ImGuiSettingsHandler) whose UserData is `owner` from the current
// ImGui context, if there is one: for a panel that registered its own entry and is going away.
void remove_settings_handler(const void* owner);

class ImGuiLayer {
 public:
  // `settings_file`: where the layout (window positions, folded panels, plugin settings) is loaded
  // from and saved to; empty: nothing is persisted. Keys are GLFW's key codes, headless too, so a
  // UI test presses the keys a window gets.
  explicit ImGuiLayer(GlContext& context, std::string settings_file = "");
  ~ImGuiLayer();
  ImGuiLayer(const ImGuiLayer&) = delete;
  ImGuiLayer& operator=(const ImGuiLayer&) = delete;

  // A frame of `framebuffer`'s size (a window's own size comes from GLFW; a headless one's from it).
  void begin_frame(double delta, Size framebuffer);
  // Draws the UI into the bound framebuffer.
  void end_frame();
  // Writes the layout to the settings file; call it before detaching the plugins, whose settings
  // go with them.
  void save_settings();

 private:
  GlContext& context_;
  bool windowed_;
  std::string settings_file_;
  bool settings_loaded_ = false;
};

// Draws a draw list built outside ImGui's frame (marks and text over a canvas) into the bound
// framebuffer of `size`, one pixel per unit; the GL state it touches is restored.
void draw_overlay(const ImDrawList& list, Size size);


}  // namespace ganvas
