// Recording and screenshots from the UI.
#include "recording_panel.h"

#include <imgui.h>

#include <filesystem>

#include "error.h"

namespace ganvas {
namespace {

constexpr Size kCanvasSizes[] = {{1280, 720}, {1920, 1080}, {3840, 2160}};
constexpr const char* kCanvasNames[] = {"1280x720", "1920x1080", "3840x2160"};

}  // namespace

RecordingPanel::~RecordingPanel() { stop(); }

void RecordingPanel::start(Size framebuffer) {
  const bool canvas = record_mode_ == 1;
  recording_size_ = canvas ? kCanvasSizes[canvas_size_index_] : Size{framebuffer.width & ~1, framebuffer.height & ~1};
  std::error_code ignored;
  std::filesystem::create_directories(output_dir_, ignored);
  const std::string path = output_dir_ + "/ganvas-" + std::to_string(++counter_) + ".mp4";
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

void RecordingPanel::draw(Size framebuffer) {
  const ImGuiIO& io = ImGui::GetIO();
  // ImGui 1.86's GLFW backend indexes keys by GLFW's key codes, which are ASCII for letters.
  if (!io.WantCaptureKeyboard && ImGui::IsKeyPressed('R', false)) {
    toggle_requested_ = true;
  }
  const bool recording = recorder_ && recorder_->status().recording;
  // Starts folded in the bottom-left corner; the title shows REC even while folded.
  ImGui::SetNextWindowPos(ImVec2(8, io.DisplaySize.y - 8), ImGuiCond_FirstUseEver, ImVec2(0, 1));
  ImGui::SetNextWindowCollapsed(true, ImGuiCond_FirstUseEver);
  const bool open = ImGui::Begin(recording ? "Recording  * REC *###Recording" : "Recording (R)###Recording", nullptr,
                                 ImGuiWindowFlags_AlwaysAutoResize);
  if (!open) {
    ImGui::End();
    handle_toggle(framebuffer);
    return;
  }
  if (ImGui::Button(recording ? "Stop (R)" : "Record (R)")) toggle_requested_ = true;
  ImGui::SameLine();
  if (ImGui::Button("Screenshot")) screenshot_requested_ = true;
  ImGui::BeginDisabled(recording);
  ImGui::RadioButton("window", &record_mode_, 0);
  ImGui::SameLine();
  ImGui::RadioButton("canvas only", &record_mode_, 1);
  if (record_mode_ == 1) {
    ImGui::SameLine();
    ImGui::SetNextItemWidth(110);
    ImGui::Combo("##size", &canvas_size_index_, kCanvasNames, 3);
  }
  ImGui::SetNextItemWidth(120);
  ImGui::SliderInt("fps", &fps_, 10, 60);
  ImGui::SetNextItemWidth(120);
  ImGui::SliderInt("quality (CRF)", &quality_, 10, 35);
  ImGui::EndDisabled();
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
  ImGui::End();
  handle_toggle(framebuffer);
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

RenderTarget* RecordingPanel::canvas_target() { return recorder_ ? canvas_.get() : nullptr; }

void RecordingPanel::after_frame(GLuint framebuffer, Size size) {
  if (screenshot_requested_) {
    screenshot_requested_ = false;
    std::error_code ignored;
    std::filesystem::create_directories(output_dir_, ignored);
    const std::string path = output_dir_ + "/ganvas-" + std::to_string(++counter_) + ".png";
    try {
      write_rgba_png(path, read_pixels(framebuffer, size), size);
      message_ = "wrote " + path;
    } catch (const Error& e) {
      message_ = e.what();
    }
  }
  if (!recorder_) return;
  if (canvas_) {
    recorder_->capture(canvas_->framebuffer());
  } else if (size.width >= recording_size_.width && size.height >= recording_size_.height) {
    recorder_->capture(framebuffer);
  } else {
    stop();
    message_ = "the window shrank below the recording's size: recording stopped and saved";
  }
}

}  // namespace ganvas
