// libganvas_imgui.so: ganvas's control panel in a host's Dear ImGui frames, built on the public C API
// alone. Its own copy of Dear ImGui works on the host's context, which is why versions must match.
#include "ganvas/ganvas_imgui.h"

#include <imgui.h>

#include <cmath>
#include <cstring>
#include <mutex>
#include <string>
#include <unordered_map>

namespace {

struct Panel {
  ImGuiContext* imgui = nullptr;
  float lr_g = 2e-4f, lr_d = 2e-4f;  // what this panel last set (the C API has no getter)
  float t = 0.5f;
};

std::mutex panels_mutex;
std::unordered_map<ganvas_context*, Panel> panels;
thread_local std::string last_error;

int32_t fail(int32_t code, std::string message) {
  last_error = std::move(message);
  return code;
}

// A logarithmic slider: the track spans log10 of the range.
bool log_slider(const char* label, float* value, float lo, float hi) {
  float exponent = std::log10(*value);
  if (!ImGui::SliderFloat(label, &exponent, std::log10(lo), std::log10(hi), "")) return false;
  *value = std::pow(10.0f, exponent);
  return true;
}

void draw_training(ganvas_context* context, Panel& panel, const ganvas_stats& stats) {
  if (ImGui::Button(stats.training ? "Pause" : "Play")) ganvas_set_training(context, !stats.training);
  ImGui::SameLine();
  if (ImGui::Button("Step")) ganvas_train_steps(context, 1);
  bool rates = log_slider("lr G", &panel.lr_g, 1e-5f, 1e-2f);
  ImGui::SameLine();
  ImGui::Text("%.1e", static_cast<double>(panel.lr_g));
  rates |= log_slider("lr D", &panel.lr_d, 1e-5f, 1e-2f);
  ImGui::SameLine();
  ImGui::Text("%.1e", static_cast<double>(panel.lr_d));
  if (rates) ganvas_set_learning_rates(context, panel.lr_g, panel.lr_d);
}

}  // namespace

extern "C" {

int32_t ganvas_imgui_attach(ganvas_context* context, void* imgui_context, const char* imgui_version, size_t io_size,
                            size_t draw_vert_size) {
  last_error.clear();
  int32_t noise = 0;
  if (ganvas_noise_width(context, &noise) != GANVAS_OK) return fail(GANVAS_ERROR_INVALID_HANDLE, "not a live ganvas context");
  if (imgui_context == nullptr || imgui_version == nullptr) return fail(GANVAS_ERROR_INVALID_ARGUMENT, "no ImGui context");
  if (std::strcmp(imgui_version, IMGUI_VERSION) != 0 || io_size != sizeof(ImGuiIO) || draw_vert_size != sizeof(ImDrawVert)) {
    return fail(GANVAS_ERROR_UNSUPPORTED, std::string("ganvas's panel was built with Dear ImGui ") + IMGUI_VERSION +
                                              " (ImGuiIO " + std::to_string(sizeof(ImGuiIO)) + " bytes); the host has " +
                                              imgui_version + " (ImGuiIO " + std::to_string(io_size) + " bytes)");
  }
  std::lock_guard lock(panels_mutex);
  panels[context].imgui = static_cast<ImGuiContext*>(imgui_context);
  return GANVAS_OK;
}

int32_t ganvas_imgui_draw(ganvas_context* context) {
  last_error.clear();
  Panel* panel = nullptr;
  {
    std::lock_guard lock(panels_mutex);
    const auto it = panels.find(context);
    if (it == panels.end()) return fail(GANVAS_ERROR_STATE, "ganvas_imgui_attach first");
    panel = &it->second;
  }
  ganvas_stats stats{};
  stats.struct_size = sizeof(stats);
  if (ganvas_get_stats(context, &stats) != GANVAS_OK) return fail(GANVAS_ERROR_INVALID_HANDLE, "not a live ganvas context");
  ImGuiContext* previous = ImGui::GetCurrentContext();
  ImGui::SetCurrentContext(panel->imgui);
  ImGui::Begin("ganvas");
  if (stats.has_data) {
    draw_training(context, *panel, stats);
  } else {
    ImGui::TextUnformatted("no training data: exploring the model");
  }
  if (ImGui::SliderFloat("t", &panel->t, 0.0f, 1.0f, "%.2f")) ganvas_set_t(context, panel->t);
  ImGui::Text("step %llu   G loss %.3f   D loss %.3f   %.0f steps/s", static_cast<unsigned long long>(stats.step),
              static_cast<double>(stats.gen_loss), static_cast<double>(stats.disc_loss), stats.steps_per_second);
  ImGui::End();
  ImGui::SetCurrentContext(previous);
  return GANVAS_OK;
}

int32_t ganvas_imgui_detach(ganvas_context* context) {
  last_error.clear();
  std::lock_guard lock(panels_mutex);
  return panels.erase(context) ? GANVAS_OK : fail(GANVAS_ERROR_STATE, "not attached");
}

const char* ganvas_imgui_last_error(void) { return last_error.c_str(); }

}  // extern "C"
