// The frame loop: poll, update the plugin, render it, draw its panels, swap; sleep while minimized.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/context.h"
#include "engine/imgui_layer.h"
#include "engine/plugin.h"
#include "engine/recorder.h"
#include "engine/recording_panel.h"
#include "engine/render_target.h"

namespace ganvas {

struct LoopOptions {
  uint64_t max_frames = 0;  // 0: until the window closes
  std::string screenshot;   // PNG of the last frame, panels included
  double max_fps = 0;       // 0: as fast as the context allows (vsync in a window)
  LoopControls* controls = nullptr;  // when set, read every frame instead of max_fps (panels change it)
  RecordingPanel* recording_panel = nullptr;  // the Record/Screenshot window, when interactive
  // Offline recording of every frame to this file, nothing dropped; the canvas alone at the
  // video's size, or (record_canvas false) the framebuffer, which must then be the video's size.
  std::string record_path;
  VideoSettings record_video;
  bool record_canvas = true;
  bool record_caption = false;  // the canvas with the caption its plugin writes
  double fixed_delta = 0;   // > 0: each frame advances time by this much (offline recording)
};

struct LoopResult {
  uint64_t frames = 0;
  RecorderStatus recording;  // of an offline recording
  std::vector<double> frame_ms;  // work time of each frame, ms (kept when max_frames is set)
};

// Frames of an attached plugin, one at a time (UI tests feed input between frames). A headless
// context needs `offscreen` as its canvas; then every frame ends with glFinish, so frame times
// include the GPU's work. Esc or Ctrl+Q closes the window (after a confirmation while recording).
class FrameLoop {
 public:
  FrameLoop(GlContext& context, ImGuiLayer& imgui, Plugin& plugin, const LoopOptions& options,
            RenderTarget* offscreen);
  ~FrameLoop();
  FrameLoop(const FrameLoop&) = delete;
  FrameLoop& operator=(const FrameLoop&) = delete;

  // Whether the window closed, the frame count was reached, an offline recording failed or SIGINT /
  // SIGTERM asked to stop (install_stop_signals).
  bool done() const;
  void run_frame();
  // A headless host's canvas changed size: frames render into `offscreen` from the next one on.
  void set_offscreen(RenderTarget* offscreen) { offscreen_ = offscreen; }
  // Finalizes an offline recording; what ran.
  LoopResult finish();

 private:
  FrameInfo next_frame_info(std::chrono::steady_clock::time_point now);
  void handle_quit_keys();
  void after_frame(const FrameInfo& frame, GLuint drawn, std::chrono::steady_clock::time_point frame_start);
  void pace();

  GlContext& context_;
  ImGuiLayer& imgui_;
  Plugin& plugin_;
  LoopOptions options_;
  RenderTarget* offscreen_;
  std::unique_ptr<Recorder> recorder_;
  std::unique_ptr<RenderTarget> canvas_;
  LoopResult result_;
  bool recording_failed_ = false;
  bool vsync_ = true;
  double video_time_ = 0;
  std::chrono::steady_clock::time_point start_, previous_, next_frame_;
};

// Runs frames until the loop is done.
LoopResult run_frames(GlContext& context, ImGuiLayer& imgui, Plugin& plugin, const LoopOptions& options,
                      RenderTarget* offscreen);

// The p-th percentile (0..1) of frame times.
double percentile_ms(std::vector<double> values, double p);

}  // namespace ganvas
