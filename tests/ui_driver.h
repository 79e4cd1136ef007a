// Drives the real visualizer headless as a user would: the mouse and keys go in through Dear ImGui's
// input, widgets are found by label in the frame before, and every frame runs the real loop.
#pragma once

#include <imgui.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "engine/app.h"
#include "engine/context.h"
#include "gan/viz/gan_visualizer.h"
#include "engine/imgui_layer.h"
#include "engine/recording_panel.h"
#include "engine/render_target.h"
#include "engine/widgets.h"

namespace ganvas::test {

constexpr int kKeySpace = 32, kKeyEscape = 256, kKeyEnter = 257;  // GLFW key codes

class UiDriver {
 public:
  // A headless window of `size` with the visualizer, its panels and the Recording panel writing into
  // `output_dir`; `settings_file` persists the layout ("" for none).
  UiDriver(Size size, VizConfig config, const std::string& output_dir, const std::string& settings_file = "");
  ~UiDriver();

  GanVisualizer& viz() { return *viz_; }
  RecordingPanel& recording() { return *recording_; }
  LoopControls& loop_controls() { return controls_; }
  ImGuiLayer& imgui() { return *imgui_; }
  Size size() const { return size_; }
  bool closed() const { return context_->should_close(); }

  void frames(int n = 1);
  // The window resized to `size`, as a user drags its corner; frames follow at the new size.
  void resize(Size size);
  // The widget drawn in the latest frame; fails the test (and returns a blank one) when absent.
  ui::WidgetInfo widget(const std::string& name);
  bool has_widget(const std::string& name);

  void move_to(ImVec2 point);
  void click_at(ImVec2 point, int button = 0);
  // Presses at `from`, moves to `to` in a few moves as a hand does, releases.
  void drag(ImVec2 from, ImVec2 to, int button = 0);
  // Turns the wheel by `notches` (positive: away from the user) with the pointer at `point`.
  void scroll(ImVec2 point, float notches);
  // Moves the mouse onto the widget until it stays put there (a growing window moves it).
  ui::WidgetInfo aim(const std::string& name);
  void click(const std::string& name, int button = 0);
  // Presses on the slider's track, drags to `fraction` (0: left end, 1: right end) and releases.
  void drag_slider(const std::string& name, float fraction);
  // Where on a slider's track `fraction` of its range lies; `steps` > 0 for an integer slider of
  // that many steps.
  ImVec2 slider_point(const ui::WidgetInfo& slider, float fraction, int steps = 0) const;
  void press_key(int key, bool ctrl = false);
  void type_text(const std::string& text);
  // Framebuffer pixels of a rectangle of the latest frame (y down), RGBA.
  std::vector<uint8_t> pixels(const PixelRect& rect);

 private:
  // Presses `button` at `point`, runs `while_pressed` in the frame that shows the press, releases.
  void press_and_release(ImVec2 point, int button, const std::function<void()>& while_pressed);

  Size size_;
  std::unique_ptr<GlContext> context_;
  std::unique_ptr<RenderTarget> target_;
  std::unique_ptr<GanVisualizer> viz_;
  std::unique_ptr<ImGuiLayer> imgui_;
  std::unique_ptr<RecordingPanel> recording_;
  LoopControls controls_;
  std::unique_ptr<FrameLoop> loop_;
};

// Whether two pixel blocks differ in more than 1 % of their bytes (by more than 8 levels).
bool differs(const std::vector<uint8_t>& a, const std::vector<uint8_t>& b);

// Clicks the arrow of the folded Recording window's title, as a user unfolds it.
void unfold_recording(UiDriver& ui);

// Seconds of video in an MP4 file, as its container says.
double video_seconds(const std::string& path);
// Every frame of an MP4 as RGBA, rows top first, decoded with libavformat/libavcodec; `width` and
// `height` get the video's size.
std::vector<std::vector<uint8_t>> decode_video(const std::string& path, int& width, int& height);

// MNIST, the CPU, training paused: the visualizer as most UI tests start it.
VizConfig paused_config();
// A fresh folder for a test's files.
std::string scratch(const std::string& name);
// Waits until the trainer has run what the widgets asked for (only while paused: a running
// trainer never rests, and the test would hang instead of failing).
void settle(UiDriver& ui);

}  // namespace ganvas::test
