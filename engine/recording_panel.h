// The Recording window: Record (R) and Screenshot buttons, what to record, and a live indicator.
#pragma once

#include <imgui.h>

#include <memory>
#include <optional>
#include <string>

#include "engine/context.h"
#include "engine/plugin.h"
#include "engine/recorder.h"
#include "engine/render_target.h"

struct ImGuiWindow;  // Dear ImGui's (imgui_internal.h)

namespace ganvas {

class RecordingPanel {
 public:
  // Registers its corner's entry in the layout file of the current ImGui context (create it after the
  // ImGuiLayer, before its first frame, and save the layout while it lives).
  explicit RecordingPanel(std::string output_dir);
  RecordingPanel(const RecordingPanel&) = delete;
  RecordingPanel& operator=(const RecordingPanel&) = delete;
  ~RecordingPanel();

  // Draws the window (between ImGui's NewFrame and Render) and handles the R hotkey. Until the user
  // drags it, it sits right of `canvas` (framebuffer pixels; empty: in the bottom-left corner).
  void draw(Size framebuffer, Area canvas = {});
  // Keeps the window above the others (call after ImGui's EndFrame, where a click reorders them), so a
  // click into a panel it overlaps does not hide it.
  void keep_on_top();
  // Whether this frame (begun at `frame_start`) must also render the canvas offscreen for the
  // recorder, and into what (null too when the video has this frame's slot filled already).
  RenderTarget* canvas_target(Recorder::Clock::time_point frame_start);
  // While recording: when the next frame should begin to fill the video's next slot.
  std::optional<Recorder::Clock::time_point> next_due() const;
  // Whether a recording runs; whether the canvas is recorded with a caption.
  bool recording() const;
  bool caption() const { return caption_; }
  // What the panel's controls are set to.
  struct Settings {
    bool canvas_only;
    Size canvas_size;
    int fps;
    int quality;
  };
  Settings settings() const;
  // At the end of a frame begun at `frame_start`, with `framebuffer` holding it (panels included):
  // takes a requested screenshot and feeds the recorder (the window, or the canvas target).
  void after_frame(GLuint framebuffer, Size size, Recorder::Clock::time_point frame_start);

 private:
  void start(Size framebuffer);
  void handle_toggle(Size framebuffer);
  void stop();
  void draw_buttons(bool recording);
  void draw_settings(bool recording);
  void draw_status();
  void draw_rates(const RecorderStatus& status);
  void place_window(Area canvas);
  bool dragged() const;  // the user is moving the window by its title
  // Takes the window's place as the user's choice while the user drags it.
  void remember_anchor(const ImGuiWindow& window);
  void register_settings();  // removed with remove_settings_handler
  // The output folder's next ganvas-N with `extension` (".mp4", ".png"), made if missing: N counts up
  // from the last number this run used to the first that no file there has (video or screenshot,
  // from this run or an earlier one), so nothing is replaced.
  std::string next_path(const std::string& extension);

  std::string output_dir_;
  std::unique_ptr<Recorder> recorder_;
  std::unique_ptr<RenderTarget> canvas_;
  Size recording_size_;
  int record_mode_ = 0;        // 0: the whole window, 1: the canvas alone at a chosen size
  int canvas_size_index_ = 1;  // 1280x720, 1920x1080, 3840x2160
  int fps_ = 60;
  int quality_ = 20;
  bool caption_ = true;
  bool canvas_due_ = false;  // the canvas was drawn for the recorder in this frame
  bool toggle_requested_ = false;
  bool screenshot_requested_ = false;
  bool screenshot_due_ = false;  // asked for in the frame before: this frame is captured, with no tooltip
  int counter_ = 0;
  std::string message_;
  // The window's bottom-left corner, where it grows from, once the user dragged it: x from the
  // display's left, y up from its bottom; remembered in the layout file.
  ImVec2 anchor_{8, 8};
  bool dragged_ever_ = false;
};

}  // namespace ganvas
