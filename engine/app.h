// The frame loop: poll, update the plugin, render it, draw its panels, swap; sleep while minimized.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "context.h"
#include "imgui_layer.h"
#include "plugin.h"
#include "recorder.h"
#include "recording_panel.h"
#include "render_target.h"

namespace ganvas {

struct LoopOptions {
  uint64_t max_frames = 0;  // 0: until the window closes
  std::string screenshot;   // PNG of the last frame, panels included
  double max_fps = 0;       // 0: as fast as the context allows (vsync in a window)
  RecordingPanel* recording_panel = nullptr;  // the Record/Screenshot window, when interactive
  // Offline recording of every frame to this file, nothing dropped; the canvas alone at the
  // video's size, or (record_canvas false) the framebuffer, which must then be the video's size.
  std::string record_path;
  VideoSettings record_video;
  bool record_canvas = true;
  double fixed_delta = 0;   // > 0: each frame advances time by this much (offline recording)
};

struct LoopResult {
  uint64_t frames = 0;
  RecorderStatus recording;  // of an offline recording
  std::vector<double> frame_ms;  // work time of each frame, ms (kept when max_frames is set)
};

// Runs frames of an attached plugin. A headless context needs `offscreen` as its canvas; then
// every frame ends with glFinish, so frame times include the GPU's work.
LoopResult run_frames(GlContext& context, ImGuiLayer& imgui, Plugin& plugin, const LoopOptions& options,
                      RenderTarget* offscreen);

// The p-th percentile (0..1) of frame times.
double percentile_ms(std::vector<double> values, double p);

}  // namespace ganvas
