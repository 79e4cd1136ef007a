// Recording and screenshots from the UI.
#include "engine/recording_panel.h"

#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <cfloat>
#include <cstdio>
#include <string>
#include <utility>

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/printable.h"
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

// "[GanvasRecording][Panel]" in the layout file: where the user dragged the window, as its corner's
// distance from the display's bottom-left, so it comes back in its corner at the next start whatever
// the window's size then (ImGui's own entry keeps whether it is folded). Nothing while it was never
// dragged: then it finds its place off the canvas at each start. (The "Corner" of earlier versions
// was written undragged too, so it is not read.)
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
    auto& panel = *static_cast<RecordingPanel*>(entry);
    if (std::sscanf(line, "Dragged=%f,%f", &x, &above_bottom) == 2) {
      panel.anchor_ = ImVec2(x, above_bottom);
      panel.dragged_ever_ = true;
    }
  };
  handler.WriteAllFn = [](ImGuiContext*, ImGuiSettingsHandler* h, ImGuiTextBuffer* out) {
    const auto& panel = *static_cast<const RecordingPanel*>(h->UserData);
    if (!panel.dragged_ever_) return;
    out->appendf("[GanvasRecording][Panel]\nDragged=%.0f,%.0f\n\n", static_cast<double>(panel.anchor_.x),
                 static_cast<double>(panel.anchor_.y));
  };
  g.SettingsHandlers.push_back(handler);
}

std::string RecordingPanel::next_path(const std::string& extension) {
  counter_ = first_free_number(output_dir_, "ganvas", {".mp4", ".mp4.partial", ".png"}, counter_ + 1);
  return output_dir_ + "/ganvas-" + std::to_string(counter_) + extension;
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
  message_ = status.error.empty() ? "wrote " + shown_path(status.path) + " (" + std::to_string(status.written) + " frames, " +
                                        std::to_string(status.dropped) + " dropped, " +
                                        std::to_string(status.repeated) + " repeated)"
                                  : "recording stopped: " + status.error;
  recorder_.reset();
  canvas_.reset();
}

RecordingPanel::Settings RecordingPanel::settings() const {
  return {record_mode_ == 1, kCanvasSizes[canvas_size_index_], fps_, quality_};
}

bool RecordingPanel::recording() const { return recorder_ && recorder_->status().recording; }

void RecordingPanel::draw(Size framebuffer, Area canvas) {
  // A screenshot asked for by a click is taken of the next frame, whose button shows no tooltip.
  screenshot_due_ = std::exchange(screenshot_requested_, false);
  const ImGuiIO& io = ImGui::GetIO();
  // ImGui 1.86's GLFW backend indexes keys by GLFW's key codes, which are ASCII for letters.
  if (!io.WantCaptureKeyboard && !io.KeyCtrl && ImGui::IsKeyPressed('R', false)) toggle_requested_ = true;
  const bool recording = this->recording();
  // Starts folded, off the canvas; the title shows REC even while folded. It grows upward from its
  // bottom-left corner, which stays inside the window and follows the user's drags.
  place_window(canvas);
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

// Puts the window's bottom-left corner 8 units right of the canvas and up from the display's bottom,
// no wider than the room there, so unfolded or recording it covers none of the canvas; once the user
// dragged it, where they put it, measured from the display's bottom-left corner, so it stays in its
// corner when the window is resized. Inside the display when that is smaller, and back in its place
// when it grows again.
void RecordingPanel::place_window(Area canvas) {
  const ImGuiIO& io = ImGui::GetIO();
  ImGui::SetNextWindowCollapsed(true, ImGuiCond_FirstUseEver);  // folded, unless the layout file says
  if (dragged()) return;
  ImVec2 anchor = anchor_;
  if (!dragged_ever_ && !canvas.empty()) {
    const float to_ui = io.DisplayFramebufferScale.x > 0 ? 1.0f / io.DisplayFramebufferScale.x : 1.0f;
    anchor = ImVec2((canvas.x + canvas.width) * to_ui + 8, 8);
    ImGui::SetNextWindowSizeConstraints(ImVec2(0, 0), ImVec2(std::max(0.0f, io.DisplaySize.x - anchor.x - 8), FLT_MAX));
  }
  const ImGuiWindow* window = ImGui::FindWindowByName("###Recording");  // by its ID, whatever the title
  const ImVec2 size = window ? window->Size : ImVec2(0, 0);
  const ImVec2 inside(std::clamp(anchor.x, 0.0f, std::max(0.0f, io.DisplaySize.x - size.x)),
                      std::clamp(io.DisplaySize.y - anchor.y, std::min(size.y, io.DisplaySize.y), io.DisplaySize.y));
  ImGui::SetNextWindowPos(inside, ImGuiCond_Always, ImVec2(0, 1));
}

void RecordingPanel::keep_on_top() {
  ImGuiWindow* window = ImGui::FindWindowByName("###Recording");
  // Not over an open popup (a combo's list, the quit prompt): that closes first.
  if (window && !ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId)) ImGui::BringWindowToDisplayFront(window);
}

bool RecordingPanel::dragged() const {
  const ImGuiContext& g = *ImGui::GetCurrentContext();
  const ImGuiWindow* window = ImGui::FindWindowByName("###Recording");
  return g.MovingWindow && window && g.MovingWindow->RootWindow == window;
}

void RecordingPanel::remember_anchor(const ImGuiWindow& window) {
  if (!dragged()) return;
  dragged_ever_ = true;
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
  if (ui::button("Screenshot", screenshot_due_ ? "" : "save this frame, panels included, as a PNG in out/")) {
    screenshot_requested_ = true;
  }
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
    ImGui::Text("%.1f s, %lld written (%s)", status.seconds, static_cast<long long>(status.written), status.encoder.c_str());
    draw_rates(status);
    if (!status.recording && !status.error.empty()) message_ = "recording stopped: " + status.error;
  }
  if (!message_.empty()) ImGui::TextWrapped("%s", message_.c_str());
}

// The frames that made it into the video per second of recording, and the slots of the video that
// show a frame again: what a recording that cannot keep up looks like.
void RecordingPanel::draw_rates(const RecorderStatus& status) {
  const auto figure = [](const char* text, const char* help) {
    ImGui::TextUnformatted(text);
    ui::tooltip(help);
    ui::remember(text);
  };
  const int64_t kept = status.captured - status.dropped;
  char text[64];
  std::snprintf(text, sizeof(text), "%.1f frames/s", status.seconds > 0 ? static_cast<double>(kept) / status.seconds : 0.0);
  figure(text, "frames that went into the video per second of recording; below the fps set, frames were not ready in "
               "time and the video shows some twice");
  ImGui::SameLine();
  std::snprintf(text, sizeof(text), "%lld repeated", static_cast<long long>(status.repeated));
  figure(text, "slots of the video (1/fps each) that show the previous frame again because no new frame was ready: "
               "the window drew slower than the fps set");
  ImGui::SameLine();
  std::snprintf(text, sizeof(text), "%lld dropped", static_cast<long long>(status.dropped));
  figure(text, "frames captured but let go because the encoder fell behind; their slots show the previous frame too");
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

RenderTarget* RecordingPanel::canvas_target(Recorder::Clock::time_point frame_start) {
  canvas_due_ = recorder_ && canvas_ && recorder_->wants_frame(frame_start);  // no drawing for a frame the video skips
  return canvas_due_ ? canvas_.get() : nullptr;
}

std::optional<Recorder::Clock::time_point> RecordingPanel::next_due() const {
  if (!recording()) return std::nullopt;
  return recorder_->next_due();
}

void RecordingPanel::after_frame(GLuint framebuffer, Size size, Recorder::Clock::time_point frame_start) {
  if (screenshot_due_) {
    screenshot_due_ = false;
    const std::string path = next_path(".png");
    try {
      write_rgba_png(path, read_pixels(framebuffer, size), size);
      message_ = "wrote " + shown_path(path);
    } catch (const Error& e) {
      message_ = e.what();
    }
  }
  if (!recorder_) return;
  if (canvas_) {
    if (canvas_due_) recorder_->capture(canvas_->framebuffer(), frame_start);
  } else if (size.width >= recording_size_.width && size.height >= recording_size_.height) {
    recorder_->capture(framebuffer, frame_start);
  } else {
    stop();
    message_ = "the window shrank below the recording's size: recording stopped and saved";
  }
}

}  // namespace ganvas
