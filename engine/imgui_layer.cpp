// Dear ImGui set-up, frames and DPI scaling.
#include "imgui_layer.h"

#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

namespace ganvas {

ImGuiLayer::ImGuiLayer(GlContext& context) : context_(context), windowed_(context.window() != nullptr) {
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // layouts are not persisted between runs
  ImGui::StyleColorsDark();
  const float scale = context.content_scale();
  if (scale > 1.0f) {
    ImGui::GetStyle().ScaleAllSizes(scale);
    io.FontGlobalScale = scale;
  }
  if (windowed_) ImGui_ImplGlfw_InitForOpenGL(context.window(), true);
  ImGui_ImplOpenGL3_Init("#version 450");
}

ImGuiLayer::~ImGuiLayer() {
  ImGui_ImplOpenGL3_Shutdown();
  if (windowed_) ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
}

void ImGuiLayer::begin_frame(double delta) {
  ImGui_ImplOpenGL3_NewFrame();
  if (windowed_) {
    ImGui_ImplGlfw_NewFrame();
  } else {
    ImGuiIO& io = ImGui::GetIO();
    const Size size = context_.framebuffer_size();
    io.DisplaySize = ImVec2(static_cast<float>(size.width), static_cast<float>(size.height));
    io.DeltaTime = delta > 0 ? static_cast<float>(delta) : 1.0f / 60.0f;
  }
  ImGui::NewFrame();
}

void ImGuiLayer::end_frame() {
  ImGui::Render();
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
}

}  // namespace ganvas
