// The frame loop shared by windows and headless runs.
#include "engine/app.h"

#include <imgui.h>

#include <algorithm>
#include <thread>

#include "common/error.h"
#include "engine/gl.h"
#include "common/stop_signal.h"
#include "engine/widgets.h"

namespace ganvas {

double percentile_ms(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[static_cast<size_t>(p * static_cast<double>(values.size() - 1))];
}

namespace {

constexpr int kKeyEscape = 256;  // GLFW's key codes index ImGui's keys, in windows and headless
constexpr int kKeyQ = 'Q';
constexpr const char* kQuitPrompt = "Quit while recording?";

// Renders the plugin's canvas alone into `target` (for recording).
void render_canvas(Plugin& plugin, const FrameInfo& frame, RenderTarget& target, bool caption) {
  FrameInfo canvas = frame;
  canvas.framebuffer = target.size();
  canvas.canvas_only = true;
  canvas.caption = caption;
  target.bind();
  plugin.render(canvas);
}

}  // namespace

FrameLoop::FrameLoop(GlContext& context, ImGuiLayer& imgui, Plugin& plugin, const LoopOptions& options,
                     RenderTarget* offscreen)
    : context_(context), imgui_(imgui), plugin_(plugin), options_(options), offscreen_(offscreen) {
  GANVAS_CHECK(context.window() != nullptr || offscreen != nullptr, "a headless loop needs an offscreen target");
  if (!options.record_path.empty()) {
    recorder_ = std::make_unique<Recorder>(options.record_path, options.record_video, /*live=*/false);
    if (options.record_canvas) {
      canvas_ = std::make_unique<RenderTarget>(Size{options.record_video.width, options.record_video.height});
    }
  }
  start_ = previous_ = next_frame_ = std::chrono::steady_clock::now();
}

FrameLoop::~FrameLoop() = default;

bool FrameLoop::done() const {
  return context_.should_close() || recording_failed_ || stop_requested() ||
         (options_.max_frames != 0 && result_.frames >= options_.max_frames);
}

FrameInfo FrameLoop::next_frame_info(std::chrono::steady_clock::time_point now) {
  FrameInfo frame;
  frame.time = std::chrono::duration<double>(now - start_).count();
  frame.delta = std::chrono::duration<double>(now - previous_).count();
  if (options_.fixed_delta > 0) {  // offline: time follows the video, not the clock
    frame.time = video_time_;
    frame.delta = result_.frames == 0 ? 0.0 : options_.fixed_delta;
    video_time_ += options_.fixed_delta;
  }
  frame.framebuffer = offscreen_ ? offscreen_->size() : context_.framebuffer_size();
  frame.frame = result_.frames;
  previous_ = now;
  return frame;
}

// Esc or Ctrl+Q closes the window; while recording, a prompt asks first.
void FrameLoop::handle_quit_keys() {
  const ImGuiIO& io = ImGui::GetIO();
  // Not while a popup is open (a combo's list, a prompt): Esc closes that first.
  const bool pressed = !io.WantCaptureKeyboard && !ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId) &&
                       (ImGui::IsKeyPressed(kKeyEscape, false) || (io.KeyCtrl && ImGui::IsKeyPressed(kKeyQ, false)));
  const bool recording = options_.recording_panel && options_.recording_panel->recording();
  if (pressed && !recording) context_.request_close();
  if (pressed && recording) ImGui::OpenPopup(kQuitPrompt);
  ImGui::SetNextWindowPos(ImVec2(io.DisplaySize.x * 0.5f, io.DisplaySize.y * 0.5f), ImGuiCond_Always, ImVec2(0.5f, 0.5f));
  if (!ImGui::BeginPopupModal(kQuitPrompt, nullptr, ImGuiWindowFlags_AlwaysAutoResize)) return;
  ImGui::TextUnformatted("A recording is running. Quitting stops it and saves the video.");
  if (ui::button("Stop recording and quit", "finalizes the video file, then closes ganvas")) {
    context_.request_close();
    ImGui::CloseCurrentPopup();
  }
  ImGui::SameLine();
  // Esc answers "keep recording", unless it is the press that opened the prompt.
  if (ui::button("Keep recording", "back to the window; nothing stops") ||
      (!pressed && ImGui::IsKeyPressed(kKeyEscape, false))) {
    ImGui::CloseCurrentPopup();
  }
  ImGui::EndPopup();
}

void FrameLoop::run_frame() {
  context_.poll_events();
  if (context_.minimized()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    return;
  }
  const auto now = std::chrono::steady_clock::now();
  const FrameInfo frame = next_frame_info(now);
  if (options_.controls && options_.controls->vsync != vsync_) {
    vsync_ = options_.controls->vsync;
    context_.set_vsync(vsync_);
  }

  plugin_.update(frame);
  // Panels first, so what a widget changes is drawn in this very frame; ImGui draws last.
  imgui_.begin_frame(frame.delta, frame.framebuffer);
  plugin_.draw_panels(frame);
  if (options_.recording_panel) options_.recording_panel->draw(frame.framebuffer, plugin_.canvas_area(frame));
  handle_quit_keys();
  if (offscreen_) {
    offscreen_->bind();
  } else {
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    glViewport(0, 0, frame.framebuffer.width, frame.framebuffer.height);
  }
  plugin_.render(frame);
  if (options_.recording_panel) {
    ImGui::EndFrame();  // where a click brings the window it hit to the front (Render would end it too)
    options_.recording_panel->keep_on_top();
  }
  imgui_.end_frame();
  gl::check("drawing a frame");
  after_frame(frame, offscreen_ ? offscreen_->framebuffer() : 0, now);
  context_.swap_buffers();
  if (offscreen_) glFinish();
  ++result_.frames;
  if (options_.max_frames != 0) {
    result_.frame_ms.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - now).count());
  }
  pace();
}

// Recording and screenshots of the finished frame.
void FrameLoop::after_frame(const FrameInfo& frame, GLuint drawn, std::chrono::steady_clock::time_point frame_start) {
  if (!offscreen_) glReadBuffer(GL_BACK);
  if (RecordingPanel* panel = options_.recording_panel) {
    if (RenderTarget* target = panel->canvas_target(frame_start)) render_canvas(plugin_, frame, *target, panel->caption());
    panel->after_frame(drawn, frame.framebuffer, frame_start);
  }
  if (recorder_) {
    if (canvas_) render_canvas(plugin_, frame, *canvas_, options_.record_caption);
    recorder_->capture(canvas_ ? canvas_->framebuffer() : drawn);
    if (!recorder_->status().recording) recording_failed_ = true;  // the encoder failed: stop and report
  }
  const bool last = options_.max_frames != 0 && result_.frames + 1 == options_.max_frames;
  if (last && !options_.screenshot.empty()) {
    write_rgba_png(options_.screenshot, read_pixels(drawn, frame.framebuffer), frame.framebuffer);
  }
}

// Sleeps to the next frame's time on a fixed timeline, so sleep overshoot does not add up. While the
// Recording panel records, a frame also begins no later than the middle of the video's next empty
// slot, and the timeline continues from there: a video faster than the frame rate gets its frames,
// and frames at its rate sit mid-slot, where a little jitter cannot put two in one slot and none in
// the next.
void FrameLoop::pace() {
  const double max_fps = options_.controls ? options_.controls->max_fps : options_.max_fps;
  if (max_fps <= 0 || recorder_) return;
  next_frame_ += std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(1.0 / max_fps));
  const auto due = options_.recording_panel ? options_.recording_panel->next_due() : std::nullopt;
  if (due && *due < next_frame_) next_frame_ = *due;
  const auto after = std::chrono::steady_clock::now();
  if (next_frame_ < after) next_frame_ = after;  // a late frame starts the next one at once, owing nothing
  // In slices, so a stop signal or the window's close button ends even a wait of minutes at once.
  constexpr auto kSlice = std::chrono::milliseconds(50);
  while (std::chrono::steady_clock::now() + kSlice < next_frame_) {
    std::this_thread::sleep_for(kSlice);
    context_.poll_events();
    if (context_.should_close() || stop_requested()) return;
  }
  std::this_thread::sleep_until(next_frame_);
}

LoopResult FrameLoop::finish() {
  if (recorder_) {
    result_.recording = recorder_->stop();
    recorder_.reset();
  }
  return result_;
}

LoopResult run_frames(GlContext& context, ImGuiLayer& imgui, Plugin& plugin, const LoopOptions& options,
                      RenderTarget* offscreen) {
  GANVAS_CHECK(context.window() != nullptr || options.max_frames > 0, "a headless loop needs a frame count");
  FrameLoop loop(context, imgui, plugin, options, offscreen);
  while (!loop.done()) loop.run_frame();
  return loop.finish();
}

}  // namespace ganvas
