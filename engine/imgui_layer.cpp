// Dear ImGui set-up, frames and DPI scaling.
#include "engine/imgui_layer.h"

#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <utility>
#include <vector>

#include "common/atomic_file.h"
#include "common/error.h"
#include "engine/widgets.h"

namespace ganvas {

namespace {

// GLFW's codes for the keys ImGui asks about, as its GLFW backend maps them.
void map_keys_as_glfw(ImGuiIO& io) {
  const std::pair<ImGuiKey, int> keys[] = {
      {ImGuiKey_Tab, 258},       {ImGuiKey_LeftArrow, 263}, {ImGuiKey_RightArrow, 262}, {ImGuiKey_UpArrow, 265},
      {ImGuiKey_DownArrow, 264}, {ImGuiKey_PageUp, 266},    {ImGuiKey_PageDown, 267},   {ImGuiKey_Home, 268},
      {ImGuiKey_End, 269},       {ImGuiKey_Insert, 260},    {ImGuiKey_Delete, 261},     {ImGuiKey_Backspace, 259},
      {ImGuiKey_Space, 32},      {ImGuiKey_Enter, 257},     {ImGuiKey_Escape, 256},     {ImGuiKey_KeyPadEnter, 335},
      {ImGuiKey_A, 'A'},         {ImGuiKey_C, 'C'},         {ImGuiKey_V, 'V'},          {ImGuiKey_X, 'X'},
      {ImGuiKey_Y, 'Y'},         {ImGuiKey_Z, 'Z'}};
  for (const auto& [key, code] : keys) io.KeyMap[key] = code;
}

// Dear ImGui 1.86 reads a key's state once a frame, so a tap whose press and release arrive between
// two frames (at a capped frame rate) would be lost. Such a release, and every key event after it
// (the Ctrl of a Ctrl+Q let go just after the Q), waits until ImGui has seen a frame.
struct KeyTaps {
  GLFWkeyfun imgui_callback = nullptr;
  std::vector<int> down_this_frame;
  std::vector<std::array<int, 4>> held;  // key, scancode, action, mods
};
KeyTaps key_taps;

void on_key(GLFWwindow* window, int key, int scancode, int action, int mods) {
  auto& down = key_taps.down_this_frame;
  const bool tapped = action == GLFW_RELEASE && std::find(down.begin(), down.end(), key) != down.end();
  if (tapped || !key_taps.held.empty()) {
    key_taps.held.push_back({key, scancode, action, mods});
    return;
  }
  if (action == GLFW_PRESS) down.push_back(key);
  if (key_taps.imgui_callback) key_taps.imgui_callback(window, key, scancode, action, mods);
}

// After a frame has seen the keys down (its end, so nothing changes under its widgets): lets the held
// events through, in order, for the next frame.
void release_held_keys(GLFWwindow* window) {
  key_taps.down_this_frame.clear();
  for (const auto& [key, scancode, action, mods] : std::exchange(key_taps.held, {})) {
    on_key(window, key, scancode, action, mods);
  }
}

}  // namespace

void draw_overlay(const ImDrawList& list, Size size) {
  ImDrawList* lists[] = {const_cast<ImDrawList*>(&list)};
  ImDrawData data;
  data.Valid = true;
  data.CmdLists = lists;
  data.CmdListsCount = 1;
  data.TotalIdxCount = list.IdxBuffer.Size;
  data.TotalVtxCount = list.VtxBuffer.Size;
  data.DisplayPos = ImVec2(0, 0);
  data.DisplaySize = ImVec2(static_cast<float>(size.width), static_cast<float>(size.height));
  data.FramebufferScale = ImVec2(1, 1);
  ImGui_ImplOpenGL3_RenderDrawData(&data);
}

ImGuiLayer::ImGuiLayer(GlContext& context, std::string settings_file)
    : context_(context), windowed_(context.window() != nullptr), settings_file_(std::move(settings_file)) {
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ui::forget_all();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // saved by hand, atomically, into a folder made for it
  if (!windowed_) map_keys_as_glfw(io);
  ImGui::StyleColorsDark();
  const float scale = context.content_scale();
  if (scale > 1.0f) {
    ImGui::GetStyle().ScaleAllSizes(scale);
    io.FontGlobalScale = scale;
  }
  if (windowed_) {
    ImGui_ImplGlfw_InitForOpenGL(context.window(), true);
    key_taps = KeyTaps{};
    key_taps.imgui_callback = glfwSetKeyCallback(context.window(), on_key);
  }
  ImGui_ImplOpenGL3_Init("#version 450");
}

ImGuiLayer::~ImGuiLayer() {
  ImGui_ImplOpenGL3_Shutdown();
  if (windowed_) {
    glfwSetKeyCallback(context_.window(), key_taps.imgui_callback);
    ImGui_ImplGlfw_Shutdown();
  }
  ImGui::DestroyContext();
}

void ImGuiLayer::begin_frame(double delta) {
  if (!settings_loaded_) {  // at the first frame, when plugins have registered their settings
    settings_loaded_ = true;
    if (!settings_file_.empty()) ImGui::LoadIniSettingsFromDisk(settings_file_.c_str());
  }
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

void ImGuiLayer::save_settings() {
  if (settings_file_.empty() || !settings_loaded_) return;  // never replace a file it has not read
  size_t size = 0;
  const char* text = ImGui::SaveIniSettingsToMemory(&size);
  try {
    create_parent_directories(settings_file_);
    write_file_atomically(settings_file_, text, size);
  } catch (const Error& e) {
    std::fprintf(stderr, "ganvas: the layout was not saved: %s\n", e.what());
  }
}

void ImGuiLayer::end_frame() {
  ImGui::Render();
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  if (windowed_) release_held_keys(context_.window());
}

}  // namespace ganvas
