// Dear ImGui on a context: the GLFW platform backend for windows, a hand-fed one when headless.
#pragma once

#include "context.h"

namespace ganvas {

class ImGuiLayer {
 public:
  explicit ImGuiLayer(GlContext& context);
  ~ImGuiLayer();
  ImGuiLayer(const ImGuiLayer&) = delete;
  ImGuiLayer& operator=(const ImGuiLayer&) = delete;

  void begin_frame(double delta);
  // Draws the UI into the bound framebuffer.
  void end_frame();
  // Whether ImGui uses the mouse or keyboard now (so the app should not).
  bool wants_mouse() const;
  bool wants_keyboard() const;

 private:
  GlContext& context_;
  bool windowed_;
};

}  // namespace ganvas
