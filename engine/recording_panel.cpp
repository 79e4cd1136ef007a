// Recording and screenshots from the UI.
#include "engine/recording_panel.h"

#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>

#include "common/error.h"
#include "engine/imgui_layer.h"
#include "engine/widgets.h"

namespace ganvas {
namespace {

constexpr Size kCanvasSizes[] = {{1280, 720}, {1920, 1080}, {3840, 2160}};
constexpr const char* kCanvasNames[] = {"1280x720", "1920x1080", "3840x2160"};

}  // namespace

RecordingPanel::RecordingPanel(std::string output_dir) : output_dir_(std::move(output_dir)) { register_settings(); }

RecordingPanel::~RecordingPanel() {
  stop();
  remove_settings_handler(this);
}

// "[GanvasRecording][Panel]" in the layout file: the window's corner, from the display's bottom-left, so
// it comes back in its corner at the next start whatever the window's size then (ImGui's own entry
// keeps whether it is folded).
void RecordingPanel::register_settings() {
  if (!ImGui::GetCurrentContext()) return;
  ImGuiContext& g = *ImGui::GetCurrentContext();
  ImGuiSettingsHandler handler;
  handler.TypeName = "GanvasRecording";
  handler.TypeHash = ImHashStr(handler.TypeName);
  handler.UserData = this;
  handler.ReadOpenFn = [](ImGuiContext*, ImGuiSettingsHandler* h, const char* name) -> void* {
    return std::string(name) == "Panel" ? h->UserData : nullptr;
  };
  handler.ReadLineFn = [](ImGuiContext*, ImGuiSettingsHandler*, void* entry, const char* line) {
    float x = 0, above_bottom = 0;
    if (std::sscanf(line, "Corner=%f,%f", &x, &above_bottom) == 2) static_cast<RecordingPanel*>(entry)->anchor_ = ImVec2(x, above_bottom);
  };
  handler.WriteAllFn = [](ImGuiContext*, ImGuiSettingsHandler* h, ImGuiTextBuffer* out) {
    const ImVec2 corner = static_cast<const RecordingPanel*>(h->UserData)->anchor_;
    out->appendf("[GanvasRecording][Panel]\nCorner=%.0f,%.0f\n\n", static_cast<double>(corner.x), static_cast<double>(corner.y));
  };
  g.SettingsHandlers.push_back(handler);
}

std::string RecordingPanel::next_path(const std::string& extension) {
  std::error_code ignored;
  std::filesystem::create_directories(output_dir_, ignored);
  for (;;) {
    const std::string stem = output_dir_ + "/ganvas-" + std::to_string(++counter_);
    bool taken = false;
    for (const char* kind : {".mp4", ".mp4.partial", ".png"}) {
      std::error_code error;
      taken = taken || std::filesystem::exists(stem + kind, error);
    }
    if (!taken) return stem + extension;
  }
}

void RecordingPanel::start(Size framebuffer) {
  const bool canvas = record_mode_ == 1;
  recording_size_ = canvas ? kCanvasSizes[canvas_size_index_] : Size{framebuffer.width & ~1, framebuffer.height & ~1};
  const std::string path = next_path(".mp4");
  VideoSettings video;
  video.width = recording_size_.width;
  video.height = recording_size_.height;
  video.fps = fps_;
  video.quality = quality_;
  try {
    recorder_ = std::make_unique<Recorder>(path, video, /*live=*/true);
    canvas_ = canvas ? std::make_unique<RenderTarget>(recording_size_) : nullptr;
    message_.clear();
  } catch (const Error& e) {
    message_ = e.what();
  }
}

void RecordingPanel::stop() {
  if (!recorder_) return;
  const RecorderStatus status = recorder_->stop();
  message_ = status.error.empty() ? "wrote " + status.path + " (" + std::to_string(status.written) + " frames, " +
                                        std::to_string(status.dropped) + " dropped)"
                                  : "recording stopped: " + status.error;
  recorder_.reset();
  canvas_.reset();
}

RecordingPanel::Settings RecordingPanel::settings() const {
  return {record_mode_ == 1, kCanvasSizes[canvas_size_index_], fps_, quality_};
}

bool RecordingPanel::recording() const { return recorder_ && recorder_->status().recording; }

void RecordingPanel::draw(Size framebuffer) {
  const ImGuiIO& io = ImGui::GetIO();
  // ImGui 1.86's GLFW backend indexes keys by GLFW's key codes, which are ASCII for letters.
  if (!io.WantCaptureKeyboard && !io.KeyCtrl && ImGui::IsKeyPressed('R', false)) toggle_requested_ = true;
  const bool recording = this->recording();
  // Starts folded in the bottom-left corner; the title shows REC even while folded. It grows upward
  // from its bottom-left corner, which stays inside the window and follows the user's drags.
  place_window();
  const bool open = ImGui::Begin(recording ? "Recording  * REC *###Recording" : "Recording (R)###Recording", nullptr,
                                 ImGuiWindowFlags_AlwaysAutoResize);
  ui::remember_title("Recording");  // the title bar: click its arrow to unfold the window
  remember_anchor(*ImGui::GetCurrentWindow());
  if (open) {
    // The window grows upward from its corner, so what changes height goes above and the buttons
    // last: a click on Record, then on Stop at the same spot, lands on both.
    draw_status();
    draw_settings(recording);
    draw_buttons(recording);
  }
  ImGui::End();
  handle_toggle(framebuffer);
}

// Keeps the window's bottom-left corner where the user put it, measured from the display's bottom-left
// corner, so it stays in its corner when the window is resized; inside the display when that is
// smaller, and back in its place when it grows again.
void RecordingPanel::place_window() {
  const ImGuiIO& io = ImGui::GetIO();
  ImGui::SetNextWindowCollapsed(true, ImGuiCond_FirstUseEver);  // folded, unless the layout file says
  if (dragged()) return;
  const ImGuiWindow* window = ImGui::FindWindowByName("###Recording");  // by its ID, whatever the title
  const ImVec2 size = window ? window->Size : ImVec2(0, 0);
  const ImVec2 inside(std::clamp(anchor_.x, 0.0f, std::max(0.0f, io.DisplaySize.x - size.x)),
                      std::clamp(io.DisplaySize.y - anchor_.y, std::min(size.y, io.DisplaySize.y), io.DisplaySize.y));
  ImGui::SetNextWindowPos(inside, ImGuiCond_Always, ImVec2(0, 1));
}

bool RecordingPanel::dragged() const {
  const ImGuiContext& g = *ImGui::GetCurrentContext();
  const ImGuiWindow* window = ImGui::FindWindowByName("###Recording");
  return g.MovingWindow && window && g.MovingWindow->RootWindow == window;
}

void RecordingPanel::remember_anchor(const ImGuiWindow& window) {
  if (!dragged()) return;
  anchor_ = ImVec2(window.Pos.x, ImGui::GetIO().DisplaySize.y - (window.Pos.y + window.Size.y));
}

void RecordingPanel::draw_buttons(bool recording) {
  const ImGuiStyle& style = ImGui::GetStyle();
  const ImVec2 record_size(ImGui::CalcTextSize("Record (R)").x + style.FramePadding.x * 2, 0);  // Stop as wide
  if (ui::button(recording ? "Stop (R)" : "Record (R)",
                 "start or stop recording to an MP4 file in out/ (the R key does the same)", record_size)) {
    toggle_requested_ = true;
  }
  ImGui::SameLine();
  if (ui::button("Screenshot", "save this frame, panels included, as a PNG in out/")) screenshot_requested_ = true;
}

void RecordingPanel::draw_settings(bool recording) {
  ImGui::BeginDisabled(recording);
  ui::radio("window", &record_mode_, 0, "record the whole window, panels included, at its size");
  ImGui::SameLine();
  ui::radio("canvas only", &record_mode_, 1, "record the canvas alone (the images, no panels), at a chosen size, whatever the window's size");
  ImGui::BeginDisabled(record_mode_ != 1);  // shown either way, so the rows below stay in place
  ImGui::SetNextItemWidth(110);
  ui::combo("size", &canvas_size_index_, kCanvasNames, 3, "the video's size when recording the canvas alone");
  ImGui::SameLine();
  ui::checkbox("caption", &caption_, "write the canvas's caption (what the plugin says it shows) into the video");
  ImGui::EndDisabled();
  ImGui::SetNextItemWidth(120);
  ui::slider_int("fps", &fps_, 10, 60, "%d", "frames per second of the video; it plays in real time whatever the window's rate");
  ImGui::SetNextItemWidth(120);
  ui::slider_int("quality (CRF)", &quality_, 10, 35, "%d", "constant quality: lower is better and larger (x264's CRF)");
  ImGui::EndDisabled();
}

void RecordingPanel::draw_status() {
  if (recorder_) {
    const RecorderStatus status = recorder_->status();
    if (status.recording) {
      ImGui::TextColored(ImVec4(1, 0.25f, 0.25f, 1), "REC");
      ImGui::SameLine();
    }
    ImGui::Text("%.1f s, %lld written, %lld dropped (%s)", status.seconds, static_cast<long long>(status.written),
                static_cast<long long>(status.dropped), status.encoder.c_str());
    if (!status.recording && !status.error.empty()) message_ = "recording stopped: " + status.error;
  }
  if (!message_.empty()) ImGui::TextWrapped("%s", message_.c_str());
}

void RecordingPanel::handle_toggle(Size framebuffer) {
  if (toggle_requested_) {
    toggle_requested_ = false;
    if (recorder_) {
      stop();
    } else {
      start(framebuffer);
    }
  }
  if (recorder_ && !recorder_->status().recording) stop();  // failed: finalize and say why
}

RenderTarget* RecordingPanel::canvas_target() {
  canvas_due_ = recorder_ && canvas_ && recorder_->wants_frame();  // no drawing for a frame the video skips
  return canvas_due_ ? canvas_.get() : nullptr;
}

void RecordingPanel::after_frame(GLuint framebuffer, Size size) {
  if (screenshot_requested_) {
    screenshot_requested_ = false;
    const std::string path = next_path(".png");
    try {
      write_rgba_png(path, read_pixels(framebuffer, size), size);
      message_ = "wrote " + path;
    } catch (const Error& e) {
      message_ = e.what();
    }
  }
  if (!recorder_) return;
  if (canvas_) {
    if (canvas_due_) recorder_->capture(canvas_->framebuffer());
  } else if (size.width >= recording_size_.width && size.height >= recording_size_.height) {
    recorder_->capture(framebuffer);
  } else {
    stop();
    message_ = "the window shrank below the recording's size: recording stopped and saved";
  }
}

}  // namespace ganvas
