// The frame loop shared by windows and headless runs.
#include "app.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <thread>

#include "error.h"
#include "gl.h"

namespace ganvas {

double percentile_ms(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[static_cast<size_t>(p * static_cast<double>(values.size() - 1))];
}

namespace {

// Renders the plugin's canvas alone into `target` (for recording).
void render_canvas(Plugin& plugin, const FrameInfo& frame, RenderTarget& target) {
  FrameInfo canvas = frame;
  canvas.framebuffer = target.size();
  canvas.canvas_only = true;
  target.bind();
  plugin.render(canvas);
}

}  // namespace

LoopResult run_frames(GlContext& context, ImGuiLayer& imgui, Plugin& plugin, const LoopOptions& options,
                      RenderTarget* offscreen) {
  GANVAS_CHECK(context.window() != nullptr || offscreen != nullptr, "a headless loop needs an offscreen target");
  GANVAS_CHECK(context.window() != nullptr || options.max_frames > 0, "a headless loop needs a frame count");
  LoopResult result;
  std::unique_ptr<Recorder> recorder;
  std::unique_ptr<RenderTarget> canvas;
  if (!options.record_path.empty()) {
    recorder = std::make_unique<Recorder>(options.record_path, options.record_video, /*live=*/false);
    if (options.record_canvas) canvas = std::make_unique<RenderTarget>(Size{options.record_video.width, options.record_video.height});
  }
  double video_time = 0;
  const auto start = std::chrono::steady_clock::now();
  auto previous = start;
  auto next_frame = start;  // pacing runs on a fixed timeline, so sleep overshoot does not add up
  while (!context.should_close() && (options.max_frames == 0 || result.frames < options.max_frames)) {
    context.poll_events();
    if (context.minimized()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      continue;
    }
    const auto now = std::chrono::steady_clock::now();
    FrameInfo frame;
    frame.time = std::chrono::duration<double>(now - start).count();
    frame.delta = std::chrono::duration<double>(now - previous).count();
    if (options.fixed_delta > 0) {  // offline: time follows the video, not the clock
      frame.time = video_time;
      frame.delta = result.frames == 0 ? 0.0 : options.fixed_delta;
      video_time += options.fixed_delta;
    }
    frame.framebuffer = offscreen ? offscreen->size() : context.framebuffer_size();
    frame.frame = result.frames;
    previous = now;

    plugin.update(frame);
    // Panels first, so what a widget changes is drawn in this very frame; ImGui draws last.
    imgui.begin_frame(frame.delta);
    plugin.draw_panels(frame);
    if (options.recording_panel) options.recording_panel->draw(frame.framebuffer);
    if (offscreen) {
      offscreen->bind();
    } else {
      glBindFramebuffer(GL_FRAMEBUFFER, 0);
      glViewport(0, 0, frame.framebuffer.width, frame.framebuffer.height);
    }
    plugin.render(frame);
    imgui.end_frame();
    gl::check("drawing a frame");
    const GLuint drawn = offscreen ? offscreen->framebuffer() : 0;
    if (!offscreen) glReadBuffer(GL_BACK);
    if (options.recording_panel) {
      if (RenderTarget* target = options.recording_panel->canvas_target()) render_canvas(plugin, frame, *target);
      options.recording_panel->after_frame(drawn, frame.framebuffer);
    }
    if (recorder) {
      if (canvas) render_canvas(plugin, frame, *canvas);
      recorder->capture(canvas ? canvas->framebuffer() : drawn);
      if (!recorder->status().recording) break;  // the encoder failed: stop and report
    }

    const bool last = options.max_frames != 0 && result.frames + 1 == options.max_frames;
    if (last && !options.screenshot.empty()) {
      write_rgba_png(options.screenshot, read_pixels(drawn, frame.framebuffer), frame.framebuffer);
    }
    context.swap_buffers();
    if (offscreen) glFinish();
    ++result.frames;
    if (options.max_frames != 0) result.frame_ms.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - now).count());
    if (options.max_fps > 0 && !recorder) {
      next_frame += std::chrono::duration_cast<std::chrono::steady_clock::duration>(
          std::chrono::duration<double>(1.0 / options.max_fps));
      const auto after = std::chrono::steady_clock::now();
      if (next_frame < after) next_frame = after;  // a late frame starts the next one at once, owing nothing
      std::this_thread::sleep_until(next_frame);
    }
  }
  if (recorder) result.recording = recorder->stop();
  return result;
}

}  // namespace ganvas
