// Dear ImGui set-up, frames and DPI scaling.
#include "engine/imgui_layer.h"

#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>
#include <imgui_internal.h>

#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>

#include <cstdio>
#include <utility>

#include "common/atomic_file.h"
#include "common/error.h"
#include "engine/key_taps.h"
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

// The window's key callback goes through KeyTaps (engine/key_taps.h) on its way to ImGui's.
struct KeyRoute {
  GLFWkeyfun imgui_callback = nullptr;
  KeyTaps taps;
};
KeyRoute key_route;

void offer_key(GLFWwindow* window, const KeyEvent& e) {
  if (key_route.taps.pass(e) && key_route.imgui_callback) {
    key_route.imgui_callback(window, e.key, e.scancode, e.action, e.mods);
  }
}

void on_key(GLFWwindow* window, int key, int scancode, int action, int mods) {
  offer_key(window, KeyEvent{key, scancode, action, mods});
}

// After a frame has seen its keys (its end, so nothing changes under its widgets): the kept events,
// in order, for the next frame.
void release_held_keys(GLFWwindow* window) {
  for (const KeyEvent& e : key_route.taps.end_frame()) offer_key(window, e);
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

void remove_settings_handler(const void* owner) {
  if (!ImGui::GetCurrentContext()) return;
  ImGuiContext& g = *ImGui::GetCurrentContext();
  for (int i = 0; i < g.SettingsHandlers.Size; ++i) {
    if (g.SettingsHandlers[i].UserData == owner) {
      g.SettingsHandlers.erase(g.SettingsHandlers.Data + i);
      return;
    }
  }
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
    key_route = KeyRoute{};
    key_route.imgui_callback = glfwSetKeyCallback(context.window(), on_key);
  }
  ImGui_ImplOpenGL3_Init("#version 450");
}

ImGuiLayer::~ImGuiLayer() {
  ImGui_ImplOpenGL3_Shutdown();
  if (windowed_) {
    glfwSetKeyCallback(context_.window(), key_route.imgui_callback);
    ImGui_ImplGlfw_Shutdown();
  }
  ImGui::DestroyContext();
}

void ImGuiLayer::begin_frame(double delta, Size framebuffer) {
  if (!settings_loaded_) {  // at the first frame, when plugins have registered their settings
    settings_loaded_ = true;
    if (!settings_file_.empty()) ImGui::LoadIniSettingsFromDisk(settings_file_.c_str());
  }
  ImGui_ImplOpenGL3_NewFrame();
  if (windowed_) {
    ImGui_ImplGlfw_NewFrame();
  } else {
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(static_cast<float>(framebuffer.width), static_cast<float>(framebuffer.height));
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
