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

 private:
  GlContext& context_;
  bool windowed_;
};

}  // namespace ganvas
