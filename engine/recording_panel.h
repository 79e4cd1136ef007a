// The Recording window: Record (R) and Screenshot buttons, what to record, and a live indicator.
#pragma once

#include <imgui.h>

#include <memory>
#include <string>

#include "engine/context.h"
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

  // Draws the window (between ImGui's NewFrame and Render) and handles the R hotkey.
  void draw(Size framebuffer);
  // Whether this frame's canvas must also be rendered offscreen for the recorder, and into what
  // (null too when the video has this frame's slot filled already).
  RenderTarget* canvas_target();
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
  // At the end of a frame, with `framebuffer` holding it (panels included): takes a requested
  // screenshot and feeds the recorder (the window, or the canvas target).
  void after_frame(GLuint framebuffer, Size size);

 private:
  void start(Size framebuffer);
  void handle_toggle(Size framebuffer);
  void stop();
  void draw_buttons(bool recording);
  void draw_settings(bool recording);
  void draw_status();
  void place_window();
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
  int counter_ = 0;
  std::string message_;
  // The window's bottom-left corner, where it grows from: x from the display's left, y up from its
  // bottom; remembered in the layout file.
  ImVec2 anchor_{8, 8};
};

}  // namespace ganvas
